//! GitHub Actions integration: error/warning workflow commands (annotations) with file and line,
//! and a Markdown job summary. Used when `GITHUB_ACTIONS=true` and `GITHUB_STEP_SUMMARY` is set.

use gonogo_engine::catalogue::CheckStatus;
use gonogo_engine::decide::{ItemStatus, Verdict};

use crate::{RunReport, clip, safe};

/// Workflow-command escaping: `%`, CR and LF in data; also `:` and `,` in properties.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One line per failing or erroring check (error/warning), and per manual item that blocks
/// (notice), located at the evidence or at the item's line in its checklist.
pub fn annotations(r: &RunReport<'_>) -> String {
    let mut out = String::new();
    for (cl, results) in r.checklists.iter().zip(&r.decision.items) {
        for (item, res) in cl.items.iter().zip(results) {
            for c in &res.checks {
                let level = match c.outcome.status {
                    CheckStatus::Fail => "error",
                    CheckStatus::Error => "warning",
                    _ => continue,
                };
                let (file, line) = c
                    .outcome
                    .evidence
                    .iter()
                    .find_map(|e| e.file.clone().map(|f| (f, e.line.unwrap_or(1))))
                    .unwrap_or_else(|| (cl.path.clone(), item.line));
                out.push_str(&format!(
                    "::{level} file={},line={line},title={}::{}\n",
                    escape_property(file.trim_start_matches("./")),
                    escape_property(&clip(
                        &format!("gonogo {}: {}", c.binding.check.id, item.display_text),
                        120
                    )),
                    escape_data(&safe(&c.outcome.message))
                ));
            }
            if res.blocks && res.status == ItemStatus::Manual && !res.rolled_up {
                out.push_str(&format!(
                    "::notice file={},line={},title={}::{}\n",
                    escape_property(&cl.path),
                    item.line,
                    escape_property("gonogo: needs a person's sign-off"),
                    escape_data(&item.display_text)
                ));
            }
        }
    }
    out
}

/// The job summary: verdict, counts and what blocks GO, as Markdown.
pub fn step_summary(r: &RunReport<'_>) -> String {
    let d = r.decision;
    let s = d.summary;
    let mut out = format!(
        "## gonogo: {}\n\n| items | pass | fail | error | manual | signed | waived | skipped |\n|---|---|---|---|---|---|---|---|\n| {} | {} | {} | {} | {} | {} | {} | {} |\n",
        match d.verdict {
            Verdict::Go => "✅ GO",
            Verdict::NoGo => "⛔ NO-GO",
        },
        s.items,
        s.pass,
        s.fail,
        s.error,
        s.manual,
        s.signed,
        s.waived,
        s.skipped
    );
    let blockers: Vec<_> = r
        .checklists
        .iter()
        .zip(&d.items)
        .flat_map(|(cl, rs)| cl.items.iter().zip(rs).map(move |(i, r)| (cl, i, r)))
        .filter(|(_, _, r)| r.blocks && !r.rolled_up)
        .collect();
    if !blockers.is_empty() {
        out.push_str(&format!(
            "\n### Standing between you and GO ({})\n\n",
            blockers.len()
        ));
        for (cl, item, res) in blockers.iter().take(50) {
            let why = res
                .checks
                .iter()
                .find(|c| matches!(c.outcome.status, CheckStatus::Fail | CheckStatus::Error))
                .map(|c| safe(&c.outcome.message))
                .or_else(|| res.note.clone())
                .unwrap_or_default();
            // Table cells: no pipes or newlines from user text.
            let cell = |t: &str| t.replace('|', "\\|").replace('\n', " ");
            out.push_str(&format!(
                "- **{}** {} (`{}:{}`) — {}\n",
                res.status.as_str(),
                cell(&item.display_text),
                cl.path,
                item.line,
                cell(&clip(&why, 200))
            ));
        }
        if blockers.len() > 50 {
            out.push_str(&format!("- … and {} more\n", blockers.len() - 50));
        }
    }
    out
}
