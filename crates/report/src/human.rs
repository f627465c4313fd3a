//! The terminal report: sections in file order, within each the items that fail first (an item
//! keeps its sub-items under it), evidence for what is wrong, then what stands between the
//! user and GO, one summary line and the verdict.
//!
//! Output carries ANSI styles; the caller strips them for non-terminals and NO_COLOR
//! (anstream does).

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use gonogo_engine::catalogue::CheckStatus;
use gonogo_engine::decide::{ItemResult, ItemStatus, Verdict};
use gonogo_engine::model::Checklist;
use gonogo_engine::parse::mojibake::repair;
use gonogo_engine::run::human_duration;

use crate::{RunReport, clip, safe};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

fn status_style(s: ItemStatus) -> Style {
    let c = match s {
        ItemStatus::Pass => AnsiColor::Green,
        ItemStatus::Fail => AnsiColor::Red,
        ItemStatus::Error => AnsiColor::Magenta,
        ItemStatus::Manual => AnsiColor::Yellow,
        ItemStatus::Signed => AnsiColor::Cyan,
        ItemStatus::Waived => AnsiColor::Blue,
        ItemStatus::Skipped => AnsiColor::BrightBlack,
    };
    Style::new().fg_color(Some(c.into())).bold()
}

fn symbol(s: ItemStatus) -> &'static str {
    match s {
        ItemStatus::Pass => "✓",
        ItemStatus::Fail => "✗",
        ItemStatus::Error => "!",
        ItemStatus::Manual => "?",
        ItemStatus::Signed => "✎",
        ItemStatus::Waived => "~",
        ItemStatus::Skipped => "-",
    }
}

fn label(s: ItemStatus) -> String {
    format!("{:<7}", s.as_str().to_uppercase())
}

/// How many blocking manual items are listed one by one before they are summarised.
const MANUAL_LISTED: usize = 8;

pub fn render(r: &RunReport<'_>) -> String {
    let mut out = String::new();
    let d = r.decision;
    let n_items: usize = r.checklists.iter().map(|c| c.items.len()).sum();
    let _ = writeln!(
        out,
        "{BOLD}gonogo{BOLD:#} checked {} item{} of {} checklist{} in {}",
        n_items,
        plural(n_items),
        r.checklists.len(),
        plural(r.checklists.len()),
        human_duration(r.duration)
    );
    if d.interrupted {
        let _ = writeln!(
            out,
            "{}Interrupted:{} checks still running were stopped; this report is partial.",
            status_style(ItemStatus::Error),
            status_style(ItemStatus::Error).render_reset()
        );
    }

    for (cl, results) in r.checklists.iter().zip(&d.items) {
        let _ = writeln!(out, "\n{BOLD}{}{BOLD:#}  {DIM}{}{DIM:#}", cl.title, cl.path);
        render_sections(&mut out, cl, results);
    }

    render_blockers(&mut out, r);
    crate::record::render_record(&mut out, &d.record);

    let s = d.summary;
    let _ = writeln!(
        out,
        "\n{} items · {} pass · {} fail · {} error · {} manual · {} signed · {} waived · {} skipped",
        s.items, s.pass, s.fail, s.error, s.manual, s.signed, s.waived, s.skipped
    );
    let (style, word) = match d.verdict {
        Verdict::Go => (status_style(ItemStatus::Pass), "GO"),
        Verdict::NoGo => (status_style(ItemStatus::Fail), "NO-GO"),
    };
    let _ = writeln!(out, "{style}{word}{style:#}");
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Sections in file order; within one, item trees ordered by their root's status.
fn render_sections(out: &mut String, cl: &Checklist, results: &[ItemResult]) {
    let mut i = 0;
    while i < cl.items.len() {
        let section = &cl.items[i].section;
        let mut j = i;
        while j < cl.items.len() && cl.items[j].section == *section {
            j += 1;
        }
        // The checklist's title is shown above its sections already.
        let shown: Vec<String> = section
            .iter()
            .map(|s| repair(s))
            .skip_while(|s| *s == cl.title)
            .collect();
        let heading = if shown.is_empty() {
            cl.title.clone()
        } else {
            shown.join(" › ")
        };
        let counts = section_counts(&results[i..j]);
        let _ = writeln!(out, "\n  {BOLD}{heading}{BOLD:#}  {DIM}{counts}{DIM:#}");
        // Roots of this section: items whose parent is outside it (or none).
        // In file order, as README promises for every report: a team reads its checklist in
        // the order it wrote it; the summary at the end lists what blocks GO.
        let roots: Vec<usize> = (i..j)
            .filter(|&k| cl.items[k].parent.is_none_or(|p| p < i || p >= j))
            .collect();
        for root in roots {
            render_tree(out, cl, results, root, 0);
        }
        i = j;
    }
}

fn section_counts(results: &[ItemResult]) -> String {
    let mut parts = Vec::new();
    for s in [
        ItemStatus::Fail,
        ItemStatus::Error,
        ItemStatus::Manual,
        ItemStatus::Pass,
        ItemStatus::Signed,
        ItemStatus::Waived,
        ItemStatus::Skipped,
    ] {
        let n = results.iter().filter(|r| r.status == s).count();
        if n > 0 {
            parts.push(format!("{n} {}", s.as_str()));
        }
    }
    parts.join(" · ")
}

fn render_tree(out: &mut String, cl: &Checklist, results: &[ItemResult], k: usize, depth: usize) {
    let item = &cl.items[k];
    let r = &results[k];
    let st = status_style(r.status);
    let indent = "  ".repeat(depth + 2);
    let _ = writeln!(
        out,
        "{indent}{st}{} {}{st:#} {}  {DIM}L{} {}{DIM:#}",
        symbol(r.status),
        label(r.status),
        item.display_text,
        item.line,
        item.id
    );
    let pad = format!("{indent}          ");
    for c in &r.checks {
        let show_evidence = matches!(c.outcome.status, CheckStatus::Fail | CheckStatus::Error);
        let cs = match c.outcome.status {
            CheckStatus::Fail => status_style(ItemStatus::Fail),
            CheckStatus::Error => status_style(ItemStatus::Error),
            _ => DIM,
        };
        let _ = writeln!(
            out,
            "{pad}{cs}{}{cs:#} {}",
            c.binding.check.id,
            if show_evidence {
                safe(&c.outcome.message)
            } else {
                format!("{DIM}{}{DIM:#}", clip(&safe(&c.outcome.message), 110))
            }
        );
        if show_evidence {
            for e in c.outcome.evidence.iter().take(6) {
                let place = match (&e.file, e.line) {
                    (Some(f), Some(l)) => format!("{f}:{l}: "),
                    (Some(f), None) => format!("{f}: "),
                    _ => String::new(),
                };
                let detail = safe(&e.detail);
                let mut lines = detail.lines();
                let first = lines.next().unwrap_or("");
                let _ = writeln!(out, "{pad}  {DIM}·{DIM:#} {place}{first}");
                for l in lines.take(12) {
                    let _ = writeln!(out, "{pad}    {DIM}{}{DIM:#}", clip(l, 160));
                }
            }
        }
    }
    // Notes of items with checks say what the checks alone could not: a part left to a
    // person, or a part not run.
    if let Some(note) = &r.note
        && (r.checks.is_empty()
            || r.rolled_up
            || matches!(
                r.status,
                ItemStatus::Manual | ItemStatus::Skipped | ItemStatus::Signed
            ))
    {
        let _ = writeln!(out, "{pad}{DIM}{}{DIM:#}", clip(note, 140));
    }
    // A ticked box is a claim; say when nothing backs it.
    if item.checked && !matches!(r.status, ItemStatus::Pass | ItemStatus::Signed) {
        let st = status_style(ItemStatus::Manual);
        let _ = writeln!(
            out,
            "{pad}{st}ticked in the file, but gonogo finds it {}{st:#}",
            r.status.as_str()
        );
    }
    for &child in &item.children {
        render_tree(out, cl, results, child, depth + 1);
    }
}

fn render_blockers(out: &mut String, r: &RunReport<'_>) {
    let mut hard = Vec::new();
    let mut manual = Vec::new();
    for (cl, results) in r.checklists.iter().zip(&r.decision.items) {
        for (item, res) in cl.items.iter().zip(results) {
            // An item that only rolls up its sub-items is represented by them.
            if !res.blocks || res.rolled_up {
                continue;
            }
            if res.status == ItemStatus::Manual {
                manual.push((cl, item, res));
            } else {
                hard.push((cl, item, res));
            }
        }
    }
    if hard.is_empty() && manual.is_empty() {
        return;
    }
    let total = hard.len() + manual.len();
    let _ = writeln!(
        out,
        "\n{BOLD}Standing between you and GO ({total} item{}):{BOLD:#}",
        plural(total)
    );
    hard.sort_by_key(|(_, _, res)| res.status.rank());
    for (cl, item, res) in &hard {
        let st = status_style(res.status);
        let why = res
            .checks
            .iter()
            .find(|c| matches!(c.outcome.status, CheckStatus::Fail | CheckStatus::Error))
            .map(|c| c.outcome.message.as_str())
            .or(res.note.as_deref())
            .unwrap_or("");
        let _ = writeln!(
            out,
            "  {st}{}{st:#} {}  {DIM}{}:{}{DIM:#}\n      → {}",
            symbol(res.status),
            item.display_text,
            cl.path,
            item.line,
            clip(&safe(why), 160)
        );
    }
    for (cl, item, _) in manual.iter().take(MANUAL_LISTED) {
        let st = status_style(ItemStatus::Manual);
        let _ = writeln!(
            out,
            "  {st}?{st:#} {}  {DIM}{}:{} · needs a person's sign-off{DIM:#}",
            item.display_text, cl.path, item.line
        );
    }
    if manual.len() > MANUAL_LISTED {
        let _ = writeln!(
            out,
            "  {DIM}… and {} more items that need a person's sign-off (`gonogo map` says why each is manual){DIM:#}",
            manual.len() - MANUAL_LISTED
        );
    }
}
