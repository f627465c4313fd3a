//! The Markdown report: the checklist byte for byte, boxes set from statuses, and a short
//! status note (an HTML comment, invisible when rendered) at the end of each item's line.
//! A note left by an earlier run is replaced, not repeated.

use gonogo_engine::decide::{ItemResult, ItemStatus};
use gonogo_engine::model::Checklist;

use crate::{RunReport, clip};

const NOTE_OPEN: &str = " <!-- gonogo-status: ";

/// The note for one item, without characters that would end an HTML comment early (or, for
/// an item in a table row, end its cell: `|`).
fn note(r: &ItemResult) -> String {
    let why = r
        .checks
        .iter()
        .find(|c| {
            matches!(
                (r.status, c.outcome.status.as_str()),
                (ItemStatus::Fail, "fail") | (ItemStatus::Error, "error")
            )
        })
        .map(|c| format!("{}: {}", c.binding.check.id, c.outcome.message));
    let text = match why {
        Some(w) => format!("{} — {}", r.status.as_str(), clip(&w, 100)),
        None => r.status.as_str().to_string(),
    };
    let safe = crate::safe(&text)
        .replace("--", "–")
        .replace(['\n', '\r'], " ")
        .replace('>', "›")
        .replace('|', "¦");
    format!("{NOTE_OPEN}{safe} -->")
}

/// One checklist with its boxes and notes set.
pub fn render_checklist(cl: &Checklist, results: &[ItemResult], with_notes: bool) -> String {
    let src = cl.source.as_str();
    // Edits as (start, end, replacement), applied in order of position.
    let mut edits: Vec<(usize, usize, String)> = Vec::with_capacity(cl.items.len() * 2);
    for (item, r) in cl.items.iter().zip(results) {
        let ticked = matches!(r.status, ItemStatus::Pass | ItemStatus::Signed);
        let m = &item.marker;
        let inner = m.start + 1..m.end - 1;
        if src.get(inner.clone()).is_some_and(|s| s.len() == 1) {
            edits.push((
                inner.start,
                inner.end,
                if ticked { "x".into() } else { " ".into() },
            ));
        }
        if with_notes {
            let at = item.note_at;
            let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
            let start = match src[line_start..at].rfind(NOTE_OPEN) {
                Some(i) if src[line_start + i..at].trim_end().ends_with("-->") => line_start + i,
                _ => at,
            };
            edits.push((start, at, note(r)));
        }
    }
    edits.sort_by_key(|e| (e.0, e.1));
    let mut out = String::with_capacity(src.len() + edits.len() * 24);
    let mut last = 0;
    for (start, end, text) in edits {
        if start < last {
            continue;
        }
        out.push_str(&src[last..start]);
        out.push_str(&text);
        last = end;
    }
    out.push_str(&src[last..]);
    out
}

/// All checklists of the run; more than one are separated by a comment naming the next file.
pub fn render(r: &RunReport<'_>) -> String {
    let mut out = String::new();
    for (i, (cl, results)) in r.checklists.iter().zip(&r.decision.items).enumerate() {
        if i > 0 {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&format!("\n<!-- gonogo-file: {} -->\n\n", cl.path));
        }
        out.push_str(&render_checklist(cl, results, true));
    }
    out
}
