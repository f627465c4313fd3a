//! `--history`: secrets in the git history. Reads `git log -p` oldest first (added lines only,
//! no context), scans each hunk's added lines with the same scanner, and keeps for each secret
//! the first commit that added it. Bounded by a commit count, an output size and a time limit.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};

use super::scan::{Accept, Finding, SCANNER, is_lockfile};

/// A secret as it first appeared in history.
#[derive(Debug, Clone)]
pub struct HistoryFinding {
    pub finding: Finding,
    pub commit: String,
    /// Commit time, seconds since the epoch.
    pub time: i64,
}

#[derive(Debug, Default)]
pub struct HistoryReport {
    /// First appearance of each distinct secret, oldest first.
    pub first_seen: Vec<HistoryFinding>,
    pub commits: usize,
    pub bytes: u64,
    /// Why the scan stopped early, if it did.
    pub incomplete: Option<String>,
    pub elapsed: Duration,
}

pub struct Limits {
    pub max_commits: usize,
    pub max_bytes: u64,
    pub timeout: Duration,
}

/// Longest run of added lines scanned as one piece; the rest of a huge hunk is skipped.
const MAX_HUNK: usize = 1 << 20;

struct Hunk {
    path: Option<String>,
    first_line: usize,
    text: Vec<u8>,
}

pub async fn scan_history(
    repo: &Path,
    accept: &Accept,
    limits: &Limits,
) -> Result<HistoryReport, String> {
    let started = Instant::now();
    let mut child = tokio::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args([
            "-c",
            "core.quotepath=off",
            "log",
            "--all",
            "--reverse",
            "-p",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--no-renames",
            "--diff-filter=AM",
            "--format=%x01%H %ct",
        ])
        .arg(format!("--max-count={}", limits.max_commits))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("git could not be started: {e}"))?;
    let stdout = child.stdout.take().ok_or("git gave no output")?;
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    let mut report = HistoryReport::default();
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let mut commit = String::new();
    let mut time = 0i64;
    let mut hunk = Hunk {
        path: None,
        first_line: 0,
        text: Vec::new(),
    };
    let mut in_header = false;
    let mut line = Vec::with_capacity(256);
    let deadline = tokio::time::Instant::now() + limits.timeout;
    loop {
        line.clear();
        let n = match tokio::time::timeout_at(deadline, reader.read_until(b'\n', &mut line)).await {
            Err(_) => {
                report.incomplete = Some(format!(
                    "stopped after {} s at commit {} of history",
                    limits.timeout.as_secs(),
                    report.commits
                ));
                break;
            }
            Ok(Err(e)) => return Err(format!("reading git log failed: {e}")),
            Ok(Ok(n)) => n,
        };
        if n == 0 {
            break;
        }
        report.bytes += n as u64;
        if report.bytes > limits.max_bytes {
            report.incomplete = Some(format!(
                "stopped after {} MiB of diffs at commit {}",
                limits.max_bytes >> 20,
                report.commits
            ));
            break;
        }
        let l = line.strip_suffix(b"\n").unwrap_or(&line);
        if let Some(rest) = l.strip_prefix(b"\x01") {
            flush(&mut hunk, &commit, time, accept, &mut seen, &mut report);
            let rest = String::from_utf8_lossy(rest);
            let mut parts = rest.split(' ');
            commit = parts.next().unwrap_or("").to_string();
            time = parts.next().and_then(|t| t.parse().ok()).unwrap_or(0);
            report.commits += 1;
            hunk.path = None;
        } else if l.starts_with(b"diff --git ") {
            flush(&mut hunk, &commit, time, accept, &mut seen, &mut report);
            hunk.path = None;
            in_header = true;
        } else if in_header && l.starts_with(b"+++ ") {
            let p = String::from_utf8_lossy(&l[4..]);
            hunk.path = p.strip_prefix("b/").map(str::to_string);
        } else if l.starts_with(b"@@ ") {
            flush(&mut hunk, &commit, time, accept, &mut seen, &mut report);
            in_header = false;
            hunk.first_line = new_start(l).unwrap_or(1);
        } else if !in_header && l.first() == Some(&b'+') && hunk.text.len() < MAX_HUNK {
            hunk.text.extend_from_slice(&l[1..]);
            hunk.text.push(b'\n');
        }
    }
    flush(&mut hunk, &commit, time, accept, &mut seen, &mut report);
    if report.incomplete.is_some() {
        let _ = child.start_kill();
    } else {
        let status = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
        if let Ok(Ok(s)) = status
            && !s.success()
        {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                use tokio::io::AsyncReadExt;
                let _ = e.read_to_string(&mut err).await;
            }
            let err = err.lines().next().unwrap_or("").trim().to_string();
            return Err(if err.is_empty() {
                "git log failed (is this a git repository?)".to_string()
            } else {
                format!("git log failed: {err}")
            });
        }
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// `@@ -a,b +c,d @@` → c.
fn new_start(l: &[u8]) -> Option<usize> {
    let s = std::str::from_utf8(l).ok()?;
    let plus = s.split(' ').find(|p| p.starts_with('+'))?;
    plus[1..].split(',').next()?.parse().ok()
}

fn flush(
    hunk: &mut Hunk,
    commit: &str,
    time: i64,
    accept: &Accept,
    seen: &mut HashMap<u64, usize>,
    report: &mut HistoryReport,
) {
    if hunk.text.is_empty() {
        return;
    }
    let text = std::mem::take(&mut hunk.text);
    let Some(path) = hunk.path.as_deref() else {
        return;
    };
    if accept.path_allowed(path) || is_lockfile(path) || text[..text.len().min(8192)].contains(&0) {
        return;
    }
    let (found, _) = SCANNER.scan(path, &text);
    for mut f in found {
        if accept.rule_allowed(f.rule) || accept.baselined(&f.fingerprint) {
            continue;
        }
        if seen.contains_key(&f.value_key) {
            continue;
        }
        f.line += hunk.first_line.saturating_sub(1);
        seen.insert(f.value_key, report.first_seen.len());
        report.first_seen.push(HistoryFinding {
            finding: f,
            commit: commit.to_string(),
            time,
        });
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hunk_headers_give_the_new_start_line() {
        assert_eq!(super::new_start(b"@@ -3,0 +4,2 @@ fn x()"), Some(4));
        assert_eq!(super::new_start(b"@@ -1 +1 @@"), Some(1));
        assert_eq!(super::new_start(b"@@ broken"), None);
    }
}
