//! What the commands read out of the ledger: runs, attestations, diffs between runs.

use std::collections::BTreeMap;

use gonogo_engine::attest::{Attestations, Regression, SignOff, Waiver};
use serde_json::Value;

use crate::{Entry, RUN, SIGNOFF, WAIVER};

/// One stored `check` run, as `history` shows it.
#[derive(Debug, Clone)]
pub struct Run {
    /// Its ledger entry's sequence number: the run's id.
    pub id: i64,
    pub at: i64,
    pub verdict: String,
    pub summary: BTreeMap<String, u64>,
    pub commit: Option<String>,
    pub branch: Option<String>,
    pub by: Option<String>,
    pub duration_ms: u64,
    /// The full JSON report.
    pub report: Value,
}

impl Run {
    pub fn from_entry(e: &Entry) -> Option<Run> {
        if e.kind != RUN {
            return None;
        }
        let v = e.json();
        let report = v.get("report").cloned().unwrap_or(Value::Null);
        let summary = report
            .get("summary")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_u64()?)))
                    .collect()
            })
            .unwrap_or_default();
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        Some(Run {
            id: e.seq,
            at: e.created_at,
            verdict: report
                .get("verdict")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string(),
            summary,
            commit: s("commit"),
            branch: s("branch"),
            by: s("by"),
            duration_ms: v.get("duration_ms").and_then(Value::as_u64).unwrap_or(0),
            report,
        })
    }

    pub fn count(&self, k: &str) -> u64 {
        self.summary.get(k).copied().unwrap_or(0)
    }

    /// Item id → (text, status).
    pub fn statuses(&self) -> BTreeMap<String, (String, String)> {
        self.report
            .get("items")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| {
                        Some((
                            i.get("id")?.as_str()?.to_string(),
                            (
                                i.get("text")?.as_str()?.to_string(),
                                i.get("status")?.as_str()?.to_string(),
                            ),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub fn runs(entries: &[Entry]) -> Vec<Run> {
    entries.iter().filter_map(Run::from_entry).collect()
}

/// Every sign-off and waiver recorded, as of `now`.
pub fn attestations(entries: &[Entry], now: i64) -> Attestations {
    let mut a = Attestations {
        now,
        ..Default::default()
    };
    for e in entries {
        match e.kind.as_str() {
            SIGNOFF => {
                if let Ok(mut s) = serde_json::from_str::<SignOff>(&e.payload) {
                    s.entry = e.seq;
                    a.signoffs.push(s);
                }
            }
            WAIVER => {
                if let Ok(mut w) = serde_json::from_str::<Waiver>(&e.payload) {
                    w.entry = e.seq;
                    a.waivers.push(w);
                }
            }
            _ => {}
        }
    }
    a
}

/// What changed between two runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// Clear before (or not failing), failing or erroring now.
    pub regressed: Vec<Regression>,
    /// Failing or erroring before, not now.
    pub recovered: Vec<Regression>,
    pub appeared: Vec<Regression>,
    pub disappeared: Vec<Regression>,
}

fn bad(status: &str) -> bool {
    matches!(status, "fail" | "error")
}

pub fn diff(a: &Run, b: &Run) -> Diff {
    let (sa, sb) = (a.statuses(), b.statuses());
    let mut d = Diff::default();
    for (id, (text, to)) in &sb {
        let r = |from: &str| Regression {
            item: id.clone(),
            text: text.clone(),
            from: from.to_string(),
            to: to.clone(),
        };
        match sa.get(id) {
            None => d.appeared.push(r("")),
            Some((_, from)) if !bad(from) && bad(to) => d.regressed.push(r(from)),
            Some((_, from)) if bad(from) && !bad(to) => d.recovered.push(r(from)),
            Some(_) => {}
        }
    }
    for (id, (text, from)) in &sa {
        if !sb.contains_key(id) {
            d.disappeared.push(Regression {
                item: id.clone(),
                text: text.clone(),
                from: from.clone(),
                to: String::new(),
            });
        }
    }
    d
}

/// `git rev-parse` of the repository (one call): (commit, branch); `None` where git or a
/// repository is absent.
pub fn git_head(repo: &std::path::Path) -> (Option<String>, Option<String>) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["rev-parse", "HEAD", "--abbrev-ref", "HEAD"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .unwrap_or_default();
    let mut lines = out.lines().map(str::trim).filter(|l| !l.is_empty());
    (
        lines.next().map(str::to_string),
        lines.next().map(str::to_string),
    )
}

/// A compact trend of verdicts, oldest first: `✓` GO, `✗` NO-GO.
pub fn trend(runs: &[Run]) -> String {
    runs.iter()
        .map(|r| if r.verdict == "go" { '✓' } else { '✗' })
        .collect()
}

/// A sparkline of the share of clear items per run, oldest first.
pub fn sparkline(runs: &[Run]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    runs.iter()
        .map(|r| {
            let items = r.count("items").max(1) as f64;
            let clear =
                (r.count("pass") + r.count("signed") + r.count("waived") + r.count("skipped"))
                    as f64;
            BARS[((clear / items) * 7.0).round().clamp(0.0, 7.0) as usize]
        })
        .collect()
}
