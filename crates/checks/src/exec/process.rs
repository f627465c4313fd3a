//! Running a shell command in its own process group, with a time limit and a cap on the output
//! kept. On timeout the whole group is killed, so `sleep 1000 &` children do not linger.

use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use process_wrap::tokio::{CommandWrap, KillOnDrop, ProcessGroup};
use tokio::io::{AsyncRead, AsyncReadExt};

/// What a command did.
#[derive(Debug, Clone)]
pub struct Ran {
    /// The exit code; `None` when killed by a signal or the time limit.
    pub exit: Option<i32>,
    /// stdout and stderr interleaved as they came: the first part and the last part when
    /// longer than the cap.
    pub output: String,
    /// Bytes dropped from the middle of the output.
    pub dropped: usize,
    pub timed_out: bool,
    pub took: Duration,
}

/// Keeps the head and the tail of a stream of bytes within `cap`.
struct Capture {
    head: Vec<u8>,
    tail: std::collections::VecDeque<u8>,
    head_cap: usize,
    tail_cap: usize,
    dropped: usize,
}

impl Capture {
    fn new(cap: usize) -> Self {
        let head_cap = cap / 4;
        Capture {
            head: Vec::new(),
            tail: std::collections::VecDeque::new(),
            head_cap,
            tail_cap: cap - head_cap,
            dropped: 0,
        }
    }

    fn push(&mut self, mut bytes: &[u8]) {
        let room = self.head_cap.saturating_sub(self.head.len());
        let take = room.min(bytes.len());
        self.head.extend_from_slice(&bytes[..take]);
        bytes = &bytes[take..];
        for &b in bytes {
            if self.tail.len() == self.tail_cap {
                self.tail.pop_front();
                self.dropped += 1;
            }
            self.tail.push_back(b);
        }
    }

    fn text(&self) -> String {
        let mut s = String::from_utf8_lossy(&self.head).into_owned();
        if self.dropped > 0 {
            s.push_str(&format!(
                "\n… {} bytes of output not kept …\n",
                self.dropped
            ));
        }
        let tail: Vec<u8> = self.tail.iter().copied().collect();
        s.push_str(&String::from_utf8_lossy(&tail));
        s
    }
}

async fn pump(mut r: impl AsyncRead + Unpin, into: Arc<Mutex<Capture>>) {
    let mut buf = [0u8; 8192];
    loop {
        match r.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => into.lock().expect("capture lock").push(&buf[..n]),
        }
    }
}

/// Run `script` with `sh -c` in `cwd`. Standard input is closed.
pub async fn run_shell(
    script: &str,
    cwd: &Path,
    limit: Duration,
    cap: usize,
) -> std::io::Result<Ran> {
    let started = Instant::now();
    let mut cmd = CommandWrap::with_new("sh", |c| {
        c.arg("-c")
            .arg(script)
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
    });
    cmd.wrap(ProcessGroup::leader()).wrap(KillOnDrop);
    let mut child = cmd.spawn()?;
    let capture = Arc::new(Mutex::new(Capture::new(cap.max(1024))));
    let out = child
        .stdout()
        .take()
        .map(|s| tokio::spawn(pump(s, capture.clone())));
    let err = child
        .stderr()
        .take()
        .map(|s| tokio::spawn(pump(s, capture.clone())));
    let (exit, timed_out) = match tokio::time::timeout(limit, child.wait()).await {
        Ok(status) => (status?.code(), false),
        Err(_) => {
            let _ = child.start_kill();
            let _ = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
            (None, true)
        }
    };
    // Grandchildren may hold the pipes open: give the readers a moment, then move on.
    for h in [out, err].into_iter().flatten() {
        if tokio::time::timeout(Duration::from_secs(2), h)
            .await
            .is_err()
        {
            break;
        }
    }
    let c = capture.lock().expect("capture lock");
    Ok(Ran {
        exit,
        output: c.text(),
        dropped: c.dropped,
        timed_out,
        took: started.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn captures_exit_code_and_both_streams() {
        let dir = std::env::temp_dir();
        let ran = run_shell(
            "echo out; echo err >&2; exit 3",
            &dir,
            Duration::from_secs(10),
            4096,
        )
        .await
        .unwrap();
        assert_eq!(ran.exit, Some(3));
        assert!(
            ran.output.contains("out") && ran.output.contains("err"),
            "{}",
            ran.output
        );
        assert!(!ran.timed_out);
    }

    #[tokio::test]
    async fn kills_the_whole_group_on_timeout() {
        let dir = std::env::temp_dir();
        let ran = run_shell(
            "sleep 30 & sleep 30",
            &dir,
            Duration::from_millis(300),
            4096,
        )
        .await
        .unwrap();
        assert!(ran.timed_out);
        assert_eq!(ran.exit, None);
        assert!(ran.took < Duration::from_secs(10), "took {:?}", ran.took);
    }

    #[tokio::test]
    async fn keeps_head_and_tail_of_long_output() {
        let dir = std::env::temp_dir();
        let ran = run_shell(
            "echo FIRST; seq 1 100000; echo LAST",
            &dir,
            Duration::from_secs(20),
            4096,
        )
        .await
        .unwrap();
        assert!(ran.output.starts_with("FIRST"));
        assert!(ran.output.trim_end().ends_with("LAST"));
        assert!(ran.dropped > 500_000);
        assert!(ran.output.len() < 5000);
    }
}
