//! The scanner: one read of each file, an Aho-Corasick pass over it for every rule's keywords
//! (case-insensitive), then only the regexes of rules whose keywords occurred, then the judges
//! that tell secrets from placeholders, references and hashes. Files are scanned in parallel;
//! binary, oversized and lock files are skipped and counted.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use regex::bytes::Regex;
use sha2::{Digest, Sha256};

use super::judge::{self, Verdict};
use super::rules::{RULES, Rule};

/// The inline comment that accepts a finding on its line.
pub const ALLOW_MARK: &str = "gonogo:allow-secret";

/// A secret found: where and which kind. The value itself is never kept; only a masked prefix
/// and hashes.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static str,
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// A few leading characters and a redaction marker.
    pub shown: String,
    /// Stable across runs and line moves: hash of rule, path and the line with the value cut
    /// out. What baselines hold.
    pub fingerprint: String,
    /// Hash of rule and value, in memory only: ties a history finding to a HEAD finding.
    pub value_key: u64,
}

/// What one scan saw.
#[derive(Debug, Default)]
pub struct ScanReport {
    pub findings: Vec<Finding>,
    pub files_scanned: usize,
    pub bytes_scanned: u64,
    pub skipped_binary: usize,
    pub skipped_large: usize,
    pub skipped_lockfiles: usize,
    pub allowed_paths: usize,
    pub allowed_inline: usize,
    pub allowed_rules: usize,
    pub baselined: usize,
    /// Tests, fixtures, examples, development tooling and generated code: only known token
    /// formats are looked for there (see `scope`).
    pub not_product: usize,
    /// Findings whose value is the password of a database the repository starts only for
    /// development (its Compose file publishes it): that database's, not a secret.
    pub dev_database_values: usize,
    pub unreadable: Vec<(String, String)>,
    /// YAML files with findings that are Kubernetes manifests.
    pub manifests: Vec<String>,
    pub elapsed: Duration,
}

/// Compiled rules and the keyword automaton, built once per process.
pub struct Scanner {
    ac: AhoCorasick,
    /// Keyword pattern index → rule indices.
    keyword_rules: Vec<Vec<usize>>,
    regexes: Vec<Regex>,
}

pub static SCANNER: LazyLock<Scanner> = LazyLock::new(Scanner::build);

impl Scanner {
    fn build() -> Scanner {
        let mut keywords: Vec<&str> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        for (i, r) in RULES.iter().enumerate() {
            for k in r.keywords {
                match keywords.iter().position(|x| x == k) {
                    Some(p) => keyword_rules[p].push(i),
                    None => {
                        keywords.push(k);
                        keyword_rules.push(vec![i]);
                    }
                }
            }
        }
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&keywords)
            .expect("secret keywords");
        let regexes = RULES
            .iter()
            .map(|r| {
                regex::bytes::RegexBuilder::new(&format!("(?-u){}", r.pattern))
                    .size_limit(32 << 20)
                    .build()
                    .unwrap_or_else(|e| panic!("rule {}: {e}", r.id))
            })
            .collect();
        Scanner {
            ac,
            keyword_rules,
            regexes,
        }
    }

    /// Findings in one file's bytes (`path` decides path-scoped rules and fingerprints).
    /// Returns the findings and how many were accepted by an inline allow comment.
    pub fn scan(&self, path: &str, data: &[u8]) -> (Vec<Finding>, usize) {
        let mut candidates = [false; 128];
        debug_assert!(RULES.len() <= candidates.len());
        let mut any = false;
        for m in self.ac.find_overlapping_iter(data) {
            for &r in &self.keyword_rules[m.pattern().as_usize()] {
                candidates[r] = true;
                any = true;
            }
        }
        let mut out: Vec<Finding> = Vec::new();
        let mut allowed = 0;
        let mut taken: Vec<(usize, usize)> = Vec::new();
        // Outside the product (tests, fixtures, examples, dev tooling) a `password = "…"` is
        // a test value far more often than a leak; a known token format is a leak anywhere.
        let product = gonogo_engine::scope::of(path).is_product();
        if product && super::images::is_yaml(path) {
            for (off, value, secret) in super::images::kubernetes_secret_values(data) {
                if taken.iter().any(|&(s, e)| off < e && s < off + value.len()) {
                    continue;
                }
                taken.push((off, off + value.len()));
                if !secret {
                    continue;
                }
                let (ls, le) = line_bounds(data, off);
                let line_text = String::from_utf8_lossy(&data[ls..le]);
                if line_text.contains(ALLOW_MARK) {
                    allowed += 1;
                    continue;
                }
                out.push(finding(
                    &super::rules::K8S_SECRET,
                    path,
                    data,
                    off,
                    ls,
                    &value,
                    &line_text,
                ));
            }
        }
        if any {
            for (i, rule) in RULES.iter().enumerate() {
                if !candidates[i]
                    || rule.only.is_some_and(|f| !f(path))
                    || (!product && rule.kind != super::rules::Kind::Token)
                {
                    continue;
                }
                for caps in self.regexes[i].captures_iter(data) {
                    let Some(m) = ["s", "q", "q2", "u"].iter().find_map(|n| caps.name(n)) else {
                        continue;
                    };
                    // A span another rule already reported is not reported twice.
                    if taken.iter().any(|&(s, e)| m.start() < e && s < m.end()) {
                        continue;
                    }
                    let Ok(value) = std::str::from_utf8(m.as_bytes()) else {
                        continue;
                    };
                    let key = caps
                        .name("key")
                        .and_then(|k| std::str::from_utf8(k.as_bytes()).ok())
                        .unwrap_or("");
                    let quoted = caps.name("q").is_some() || caps.name("q2").is_some();
                    // An unquoted value that runs into a template or a call is code.
                    if caps.name("u").is_some()
                        && matches!(data.get(m.end()), Some(b'<' | b'{' | b'$' | b'(' | b'['))
                    {
                        continue;
                    }
                    let (ls, le) = line_bounds(data, m.start());
                    let line_text = String::from_utf8_lossy(&data[ls..le]);
                    if judge::judge(rule, key, value, quoted, &line_text, path) != Verdict::Secret {
                        continue;
                    }
                    taken.push((m.start(), m.end()));
                    if line_text.contains(ALLOW_MARK) {
                        allowed += 1;
                        continue;
                    }
                    out.push(finding(rule, path, data, m.start(), ls, value, &line_text));
                }
            }
        }
        (out, allowed)
    }
}

fn finding(
    rule: &Rule,
    path: &str,
    data: &[u8],
    start: usize,
    line_start: usize,
    value: &str,
    line_text: &str,
) -> Finding {
    let line = memchr_count(&data[..start]) + 1;
    let column = String::from_utf8_lossy(&data[line_start..start])
        .chars()
        .count()
        + 1;
    Finding {
        rule: rule.id,
        file: path.to_string(),
        line,
        column,
        shown: gonogo_engine::redact::mask(value),
        fingerprint: fingerprint(rule.id, path, &line_text.replacen(value, "", 1)),
        value_key: value_key(rule.id, value),
    }
}

fn memchr_count(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}

fn line_bounds(data: &[u8], at: usize) -> (usize, usize) {
    let s = data[..at]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |p| p + 1);
    let e = data[at..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(data.len(), |p| at + p);
    (s, e)
}

/// 16 hex digits of SHA-256 over rule, path and the line without its secret.
pub fn fingerprint(rule: &str, path: &str, line_without_value: &str) -> String {
    let mut h = Sha256::new();
    h.update(rule.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    h.update([0]);
    h.update(line_without_value.trim().as_bytes());
    gonogo_engine::hex::hex(&h.finalize()[..8])
}

pub(crate) fn value_key(rule: &str, value: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    rule.hash(&mut h);
    value.hash(&mut h);
    h.finish()
}

/// Files never worth reading: package lockfiles (hashes, not secrets) by name.
pub fn is_lockfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        "package-lock.json"
            | "npm-shrinkwrap.json"
            | "yarn.lock"
            | "pnpm-lock.yaml"
            | "bun.lock"
            | "Cargo.lock"
            | "go.sum"
            | "poetry.lock"
            | "Pipfile.lock"
            | "uv.lock"
            | "composer.lock"
            | "Gemfile.lock"
            | "gradle.lockfile"
            | "flake.lock"
            | "packages.lock.json"
            | "mix.lock"
            | "pubspec.lock"
            | "Podfile.lock"
            | "conda-lock.yml"
    ) || name.ends_with(".lock.json")
}

/// Extensions of files that are binary by construction: skipped without reading.
fn is_binary_name(path: &str) -> bool {
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some(
            "png"
                | "jpg"
                | "jpeg"
                | "gif"
                | "webp"
                | "ico"
                | "bmp"
                | "tiff"
                | "pdf"
                | "zip"
                | "gz"
                | "tgz"
                | "bz2"
                | "xz"
                | "zst"
                | "7z"
                | "jar"
                | "war"
                | "class"
                | "so"
                | "dylib"
                | "dll"
                | "exe"
                | "o"
                | "a"
                | "wasm"
                | "woff"
                | "woff2"
                | "ttf"
                | "otf"
                | "eot"
                | "mp3"
                | "mp4"
                | "mov"
                | "avi"
                | "webm"
                | "ogg"
                | "wav"
                | "flac"
                | "pyc"
                | "db"
                | "sqlite"
        )
    )
}

/// What the scan accepts: `[secrets]` of gonogo.toml, resolved against the repository.
pub struct Accept {
    paths: Option<ignore::gitignore::Gitignore>,
    rules: HashSet<String>,
    baseline: HashSet<String>,
}

impl Accept {
    /// Reads the baseline; a missing or malformed baseline is an error naming the file.
    pub fn load(repo: &Path, cfg: &gonogo_engine::config::SecretsConfig) -> Result<Accept, String> {
        let paths = if cfg.allow_paths.is_empty() {
            None
        } else {
            let mut b = ignore::gitignore::GitignoreBuilder::new(repo);
            for p in &cfg.allow_paths {
                b.add_line(None, p)
                    .map_err(|e| format!("[secrets] allow_paths `{p}`: {e}"))?;
            }
            Some(
                b.build()
                    .map_err(|e| format!("[secrets] allow_paths: {e}"))?,
            )
        };
        let baseline = match &cfg.baseline {
            None => HashSet::new(),
            Some(rel) => read_baseline(&repo.join(rel)).map_err(|e| format!("{rel}: {e}"))?,
        };
        Ok(Accept {
            paths,
            rules: cfg.allow_rules.iter().cloned().collect(),
            baseline,
        })
    }

    pub fn none() -> Accept {
        Accept {
            paths: None,
            rules: HashSet::new(),
            baseline: HashSet::new(),
        }
    }

    pub fn path_allowed(&self, rel: &str) -> bool {
        self.paths
            .as_ref()
            .is_some_and(|g| g.matched_path_or_any_parents(rel, false).is_ignore())
    }

    pub fn rule_allowed(&self, rule: &str) -> bool {
        self.rules.contains(rule)
    }

    pub fn baselined(&self, fingerprint: &str) -> bool {
        self.baseline.contains(fingerprint)
    }
}

/// A baseline: `{"fingerprints": ["…", {"fingerprint": "…", …}]}` or a bare list.
pub fn read_baseline(path: &Path) -> Result<HashSet<String>, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("baseline cannot be read: {e}"))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("baseline is not JSON: {e}"))?;
    let list = v
        .get("fingerprints")
        .unwrap_or(&v)
        .as_array()
        .ok_or("baseline needs a `fingerprints` list")?;
    list.iter()
        .map(|e| {
            e.as_str()
                .or_else(|| e.get("fingerprint").and_then(|f| f.as_str()))
                .map(str::to_string)
                .ok_or_else(|| "each baseline entry is a fingerprint string".to_string())
        })
        .collect()
}

/// Scan these files of `root` in parallel, each read once.
pub fn scan_tree(
    root: &Path,
    files: &[gonogo_engine::repo::RepoFile],
    accept: &Accept,
) -> ScanReport {
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(16);
    let scanner = &*SCANNER;
    let mut report = ScanReport::default();
    let parts: Vec<ScanReport> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut r = ScanReport::default();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(f) = files.get(i) else { break };
                        scan_one(root, f, accept, scanner, &mut r);
                    }
                    r
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for p in parts {
        report.findings.extend(p.findings);
        report.files_scanned += p.files_scanned;
        report.bytes_scanned += p.bytes_scanned;
        report.skipped_binary += p.skipped_binary;
        report.skipped_large += p.skipped_large;
        report.skipped_lockfiles += p.skipped_lockfiles;
        report.allowed_paths += p.allowed_paths;
        report.allowed_inline += p.allowed_inline;
        report.allowed_rules += p.allowed_rules;
        report.baselined += p.baselined;
        report.not_product += p.not_product;
        report.unreadable.extend(p.unreadable);
        report.manifests.extend(p.manifests);
    }
    report
        .findings
        .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    report.unreadable.sort();
    report.elapsed = started.elapsed();
    report
}

fn scan_one(
    root: &Path,
    f: &gonogo_engine::repo::RepoFile,
    accept: &Accept,
    scanner: &Scanner,
    r: &mut ScanReport,
) {
    if accept.path_allowed(&f.rel) {
        r.allowed_paths += 1;
        return;
    }
    if is_lockfile(&f.rel) {
        r.skipped_lockfiles += 1;
        return;
    }
    if is_binary_name(&f.rel) {
        r.skipped_binary += 1;
        return;
    }
    if f.size > gonogo_engine::repo::MAX_READ_BYTES {
        r.skipped_large += 1;
        return;
    }
    let data = match std::fs::read(root.join(&f.rel)) {
        Ok(d) => d,
        Err(e) => {
            r.unreadable.push((f.rel.clone(), e.to_string()));
            return;
        }
    };
    if data.len() as u64 > gonogo_engine::repo::MAX_READ_BYTES {
        r.skipped_large += 1;
        return;
    }
    if data[..data.len().min(8192)].contains(&0) {
        r.skipped_binary += 1;
        return;
    }
    r.files_scanned += 1;
    r.bytes_scanned += data.len() as u64;
    if !gonogo_engine::scope::of(&f.rel).is_product() {
        r.not_product += 1;
    }
    let (found, allowed) = scanner.scan(&f.rel, &data);
    r.allowed_inline += allowed;
    if !found.is_empty() && super::images::is_yaml(&f.rel) && super::images::is_manifest_text(&data)
    {
        r.manifests.push(f.rel.clone());
    }
    for x in found {
        if accept.rule_allowed(x.rule) {
            r.allowed_rules += 1;
        } else if accept.baselined(&x.fingerprint) {
            r.baselined += 1;
        } else {
            r.findings.push(x);
        }
    }
}

/// Findings grouped by rule, for summaries: `rule ×n`.
pub fn by_rule(findings: &[Finding]) -> Vec<(&'static str, usize)> {
    let mut m: HashMap<&'static str, usize> = HashMap::new();
    for f in findings {
        *m.entry(f.rule).or_default() += 1;
    }
    let mut v: Vec<_> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::rules::{ALNUM, Gen};

    #[test]
    fn fingerprints_survive_line_moves_but_not_other_files_or_lines() {
        let mut g = Gen::new(5);
        let line = format!("token = \"glpat-{}\"\n", g.of(ALNUM, 20));
        let (a, _) = SCANNER.scan("a.py", line.as_bytes());
        let (b, _) = SCANNER.scan("a.py", format!("\n\n# moved\n{line}").as_bytes());
        let (c, _) = SCANNER.scan("b.py", line.as_bytes());
        assert_eq!(a[0].fingerprint, b[0].fingerprint);
        assert_eq!(b[0].line, 4);
        assert_ne!(a[0].fingerprint, c[0].fingerprint);
        assert_eq!(a[0].fingerprint.len(), 16);
        assert!(!a[0].fingerprint.contains(&line[14..22]));
    }

    #[test]
    fn outside_the_product_only_known_token_formats_count() {
        let mut g = Gen::new(7);
        let token = format!("ghp_{}", g.of(ALNUM, 36));
        let text = format!("password = \"Xq7pL2mZr9Tk!v\"\nGITHUB = \"{token}\"\n");
        let rules = |path: &str| -> Vec<&str> {
            SCANNER
                .scan(path, text.as_bytes())
                .0
                .iter()
                .map(|f| f.rule)
                .collect()
        };
        assert_eq!(
            rules("app/settings.py").len(),
            2,
            "{:?}",
            rules("app/settings.py")
        );
        for path in [
            "tests/test_login.py",
            "src/agent/fixtures/vcr_cassettes/run.yaml",
            "examples/demo/settings.py",
            "config/test.exs",
        ] {
            assert_eq!(rules(path), ["github-pat"], "{path}");
        }
    }

    #[test]
    fn the_allow_comment_accepts_only_its_line() {
        let mut g = Gen::new(6);
        let t1 = format!("ghp_{}", g.of(ALNUM, 36));
        let t2 = format!("ghp_{}", g.of(ALNUM, 36));
        let text = format!("a = \"{t1}\"  # gonogo:allow-secret\nb = \"{t2}\"\n");
        let (found, allowed) = SCANNER.scan("x.py", text.as_bytes());
        assert_eq!(allowed, 1);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 2);
    }
}
