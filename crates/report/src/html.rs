//! The HTML report (`--format html`): one self-contained page (inline styles, no scripts, no
//! fetches) with the verdict on top, what blocks GO, and every section with its items; failing
//! items open with their evidence, the rest fold. askama escapes every value, so checklist text
//! such as `<script>` shows as text.

use askama::Template;
use gonogo_engine::catalogue::{CheckStatus, Measure};
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
    measures: Vec<MeasureRow>,
    chart: Option<Chart>,
}

/// A measured value beside its limit.
struct MeasureRow {
    name: String,
    value: String,
    limit: String,
    /// `met`, `missed`, or empty when the value was not judged.
    verdict: &'static str,
}

/// Latency percentiles as horizontal bars (inline SVG, geometry computed here), with the
/// item's threshold as a line across them.
struct Chart {
    label: String,
    height: u32,
    bars: Vec<Bar>,
    limit: Option<LimitLine>,
}

struct Bar {
    name: String,
    y: u32,
    text_y: u32,
    width: String,
    value: String,
    value_x: String,
    over: bool,
}

struct LimitLine {
    x: String,
    text: String,
    /// Where the dashed line ends and its label sits, below the bars.
    end: u32,
    text_y: u32,
}

/// Chart geometry: where bars start and how wide the widest may be, in SVG units.
const CHART_LEFT: f64 = 60.0;
const CHART_SPAN: f64 = 360.0;
const BAR_STEP: u32 = 22;

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
                    measures: c.outcome.measures.iter().map(measure_row).collect(),
                    chart: latency_chart(&c.outcome.measures),
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

fn number(v: f64) -> String {
    // Whole numbers and large values need no decimals: "2000 ms", "683 req/s".
    if (v.fract() == 0.0 && v.abs() < 1e12) || v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn with_unit(v: f64, unit: &str) -> String {
    match unit {
        "" => number(v),
        "%" => format!("{}%", number(v)),
        u => format!("{} {u}", number(v)),
    }
}

fn measure_row(m: &Measure) -> MeasureRow {
    MeasureRow {
        name: safe(&m.name),
        value: safe(&with_unit(m.value, &m.unit)),
        limit: m
            .limit
            .map(|l| format!("{} {}", l.symbol(), with_unit(l.value(), &m.unit)))
            .unwrap_or_default(),
        verdict: match m.limit {
            Some(l) if l.holds(m.value) => "met",
            Some(_) => "missed",
            None => "",
        },
    }
}

/// A chart when a check measured at least two latency percentiles (`p50`, `p95`… in ms).
fn latency_chart(measures: &[Measure]) -> Option<Chart> {
    let points: Vec<&Measure> = measures
        .iter()
        .filter(|m| {
            m.unit == "ms"
                && m.name.len() > 1
                && m.name.starts_with('p')
                && m.name[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
        })
        .collect();
    if points.len() < 2 {
        return None;
    }
    let limit = points.iter().find_map(|m| m.limit);
    let top = points
        .iter()
        .map(|m| m.value)
        .chain(limit.map(|l| l.value()))
        .fold(0.0_f64, f64::max)
        .max(1e-6)
        * 1.15;
    let scale = |v: f64| CHART_SPAN * (v / top).clamp(0.0, 1.0);
    let bars = points
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let w = scale(m.value).max(1.0);
            Bar {
                name: safe(&m.name),
                y: 6 + i as u32 * BAR_STEP,
                text_y: 6 + i as u32 * BAR_STEP + 12,
                width: format!("{w:.1}"),
                value: with_unit(m.value, "ms"),
                value_x: format!("{:.1}", CHART_LEFT + w + 4.0),
                over: limit.is_some_and(|l| !l.holds(m.value)),
            }
        })
        .collect::<Vec<_>>();
    let label = points
        .iter()
        .map(|m| format!("{} {}", m.name, with_unit(m.value, "ms")))
        .collect::<Vec<_>>()
        .join(", ");
    Some(Chart {
        label: safe(&match limit {
            Some(l) => format!(
                "latency: {label}; limit {} {}",
                l.symbol(),
                with_unit(l.value(), "ms")
            ),
            None => format!("latency: {label}"),
        }),
        height: 28 + bars.len() as u32 * BAR_STEP,
        limit: limit.map(|l| LimitLine {
            x: format!("{:.1}", CHART_LEFT + scale(l.value())),
            text: format!("limit {}", with_unit(l.value(), "ms")),
            end: 10 + bars.len() as u32 * BAR_STEP,
            text_y: 24 + bars.len() as u32 * BAR_STEP,
        }),
        bars,
    })
}
