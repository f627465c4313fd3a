//! The HTML report (`--format html`): one self-contained page (inline styles, no scripts, no
//! fetches) with the verdict on top, what blocks GO, and every section with its items; failing
//! items open with their evidence, the rest fold. askama escapes every value, so checklist text
//! such as `<script>` shows as text.

use askama::Template;
use gonogo_engine::catalogue::CheckStatus;
use gonogo_engine::decide::{ItemStatus, Verdict};
use gonogo_engine::parse::mojibake::repair;
use gonogo_engine::run::human_duration;

use crate::{RunReport, clip, safe, safe_params};

struct Segment {
    status: &'static str,
    count: usize,
    percent: String,
}

struct Blocker {
    status: &'static str,
    text: String,
    anchor: String,
    location: String,
    why: String,
}

struct CheckView {
    id: &'static str,
    status: &'static str,
    message: String,
    thresholds: String,
    evidence: Vec<String>,
}

struct ItemView {
    anchor: String,
    id: String,
    line: usize,
    text: String,
    status: &'static str,
    indent: usize,
    open: bool,
    checks: Vec<CheckView>,
    note: String,
}

struct SectionView {
    heading: String,
    counts: String,
    items: Vec<ItemView>,
}

struct ChecklistView {
    title: String,
    path: String,
    count: usize,
    sections: Vec<SectionView>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page {
    title: String,
    verdict_word: &'static str,
    verdict_class: &'static str,
    summary_line: String,
    meta_line: String,
    bar: Vec<Segment>,
    interrupted: bool,
    blockers: Vec<Blocker>,
    checklists: Vec<ChecklistView>,
    version: &'static str,
}

fn anchor(checklist: usize, id: &str) -> String {
    format!("c{checklist}-{id}")
}

pub fn render(r: &RunReport<'_>) -> String {
    let d = r.decision;
    let s = d.summary;
    let counts = [
        ("pass", s.pass),
        ("signed", s.signed),
        ("waived", s.waived),
        ("skipped", s.skipped),
        ("manual", s.manual),
        ("error", s.error),
        ("fail", s.fail),
    ];
    let total = s.items.max(1) as f64;
    let bar = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|&(status, count)| Segment {
            status,
            count,
            percent: format!("{:.2}", count as f64 * 100.0 / total),
        })
        .collect();
    let mut blockers = Vec::new();
    let mut checklists = Vec::new();
    for (ci, (cl, results)) in r.checklists.iter().zip(&d.items).enumerate() {
        let mut sections: Vec<SectionView> = Vec::new();
        for (item, res) in cl.items.iter().zip(results) {
            let heading = {
                let shown: Vec<String> = item
                    .section
                    .iter()
                    .map(|s| repair(s))
                    .skip_while(|s| *s == cl.title)
                    .collect();
                if shown.is_empty() {
                    cl.title.clone()
                } else {
                    shown.join(" › ")
                }
            };
            if sections.last().is_none_or(|s| s.heading != heading) {
                sections.push(SectionView {
                    heading,
                    counts: String::new(),
                    items: Vec::new(),
                });
            }
            let depth = {
                let mut n = 0;
                let mut p = item.parent;
                while let Some(pi) = p {
                    n += 1;
                    p = cl.items[pi].parent;
                }
                n
            };
            let failing = matches!(res.status, ItemStatus::Fail | ItemStatus::Error);
            let checks = res
                .checks
                .iter()
                .map(|c| CheckView {
                    id: c.binding.check.id,
                    status: c.outcome.status.as_str(),
                    message: safe(&c.outcome.message),
                    thresholds: safe_params(&c.binding.params)
                        .iter()
                        .map(|(k, v)| format!("{k} = {}", clip(&v.to_string(), 120)))
                        .collect::<Vec<_>>()
                        .join(", "),
                    evidence: if matches!(
                        c.outcome.status,
                        CheckStatus::Pass | CheckStatus::Skipped
                    ) && !failing
                    {
                        c.outcome
                            .evidence
                            .iter()
                            .take(3)
                            .map(evidence_line)
                            .collect()
                    } else {
                        c.outcome.evidence.iter().map(evidence_line).collect()
                    },
                })
                .collect();
            let mut note = res.note.clone().unwrap_or_default();
            if item.checked && !matches!(res.status, ItemStatus::Pass | ItemStatus::Signed) {
                note = format!(
                    "{note} Ticked in the file, but gonogo finds it {}.",
                    res.status.as_str()
                )
                .trim()
                .to_string();
            }
            let view = ItemView {
                anchor: anchor(ci, &item.id),
                id: item.id.clone(),
                line: item.line,
                text: item.display_text.clone(),
                status: res.status.as_str(),
                indent: depth * 2,
                open: failing,
                checks,
                note,
            };
            if res.blocks && !res.rolled_up {
                let why = res
                    .checks
                    .iter()
                    .find(|c| matches!(c.outcome.status, CheckStatus::Fail | CheckStatus::Error))
                    .map(|c| safe(&c.outcome.message))
                    .or_else(|| res.note.clone())
                    .unwrap_or_default();
                blockers.push((
                    res.status.rank(),
                    Blocker {
                        status: res.status.as_str(),
                        text: item.display_text.clone(),
                        anchor: view.anchor.clone(),
                        location: format!("{}:{}", cl.path, item.line),
                        why,
                    },
                ));
            }
            sections.last_mut().expect("pushed").items.push(view);
        }
        for s in &mut sections {
            let mut parts = Vec::new();
            for st in [
                "fail", "error", "manual", "pass", "signed", "waived", "skipped",
            ] {
                let n = s.items.iter().filter(|i| i.status == st).count();
                if n > 0 {
                    parts.push(format!("{n} {st}"));
                }
            }
            s.counts = parts.join(" · ");
        }
        checklists.push(ChecklistView {
            title: cl.title.clone(),
            path: cl.path.clone(),
            count: cl.items.len(),
            sections,
        });
    }
    blockers.sort_by_key(|(rank, _)| *rank);
    let (verdict_word, verdict_class) = match d.verdict {
        Verdict::Go => ("GO", "go"),
        Verdict::NoGo => ("NO-GO", "no-go"),
    };
    let page = Page {
        title: r
            .checklists
            .first()
            .map(|c| c.title.clone())
            .unwrap_or_default(),
        verdict_word,
        verdict_class,
        summary_line: format!(
            "{} items · {} pass · {} fail · {} error · {} manual · {} signed · {} waived · {} skipped",
            s.items, s.pass, s.fail, s.error, s.manual, s.signed, s.waived, s.skipped
        ),
        meta_line: format!(
            "{} checklist{} checked in {}",
            r.checklists.len(),
            if r.checklists.len() == 1 { "" } else { "s" },
            human_duration(r.duration)
        ),
        bar,
        interrupted: d.interrupted,
        blockers: blockers.into_iter().map(|(_, b)| b).collect(),
        checklists,
        version: env!("CARGO_PKG_VERSION"),
    };
    page.render().expect("template renders")
}

fn evidence_line(e: &gonogo_engine::catalogue::Evidence) -> String {
    let place = match (&e.file, e.line) {
        (Some(f), Some(l)) => format!("{f}:{l}: "),
        (Some(f), None) => format!("{f}: "),
        _ => String::new(),
    };
    safe(&format!("{place}{}", e.detail))
}
