//! `gonogo map`: every item with the checks bound to it, their parameters and why; and why the
//! others are left to a person. Human and JSON (`gonogo/map/v1`).

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use gonogo_engine::bind::{Binding, ClaimCover, ItemBindings};
use gonogo_engine::catalogue::Params;
use gonogo_engine::model::Checklist;
use gonogo_engine::parse::mojibake::repair;
use serde::Serialize;

use crate::SafeParams;

pub const SCHEMA: &str = "gonogo/map/v1";

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const BOUND: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
const MANUAL: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));

#[derive(Serialize)]
struct WireMap<'a> {
    schema: &'static str,
    summary: WireMapSummary,
    checklists: Vec<WireMapChecklist<'a>>,
    items: WireMapItems<'a>,
}

#[derive(Serialize)]
struct WireMapSummary {
    items: usize,
    bound: usize,
    manual: usize,
}

#[derive(Serialize)]
struct WireMapChecklist<'a> {
    path: &'a str,
    title: &'a str,
    items: usize,
}

/// Every item of every checklist, serialised as it is read: a 50 000-item map never holds a
/// second copy of itself.
struct WireMapItems<'a> {
    checklists: &'a [Checklist],
    bindings: &'a [Vec<ItemBindings>],
}

impl Serialize for WireMapItems<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.checklists
                .iter()
                .zip(self.bindings)
                .flat_map(|(cl, bs)| {
                    cl.items.iter().zip(bs).map(move |(item, b)| WireMapItem {
                        id: &item.id,
                        checklist: &cl.path,
                        line: item.line,
                        section: &item.section,
                        text: &item.text,
                        parent: item.parent.map(|p| cl.items[p].id.as_str()),
                        checked_in_file: item.checked,
                        bindings: WireBindings(&b.bindings),
                        manual_reason: b.manual_reason.as_deref().map(crate::safe),
                        automation: automation(b),
                        confidence: b.confidence.as_str(),
                        claims: WireClaims(&b.claims),
                    })
                }),
        )
    }
}

#[derive(Serialize)]
struct WireMapItem<'a> {
    id: &'a str,
    checklist: &'a str,
    line: usize,
    section: &'a [String],
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
    checked_in_file: bool,
    bindings: WireBindings<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manual_reason: Option<String>,
    /// `full`, `partial` (checks run and a person signs the rest) or `none`.
    automation: &'static str,
    confidence: &'static str,
    /// Left out when the item is one claim covered by its checks: it would repeat the item.
    #[serde(skip_serializing_if = "WireClaims::is_plain")]
    claims: WireClaims<'a>,
}

/// How much of an item machines judge.
pub fn automation(b: &ItemBindings) -> &'static str {
    if b.bindings.is_empty() {
        "none"
    } else if b.is_partial() {
        "partial"
    } else {
        "full"
    }
}

struct WireClaims<'a>(&'a [ClaimCover]);

impl WireClaims<'_> {
    fn is_plain(&self) -> bool {
        matches!(self.0, [one] if one.uncovered.is_none())
    }
}

impl Serialize for WireClaims<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|c| WireClaim {
            text: crate::safe(&c.text),
            checks: &c.checks,
            // Binding leaves a claim uncovered only when no check covers it.
            covered_by: if c.uncovered.is_some() {
                "person"
            } else {
                "checks"
            },
            uncovered: c.uncovered.as_ref().map(|u| u.kind()),
            why: c.uncovered.as_ref().map(|u| crate::safe(&u.reason())),
        }))
    }
}

#[derive(Serialize)]
struct WireClaim<'a> {
    text: String,
    checks: &'a [&'static str],
    /// What covers the claim: `checks`, or a `person` (a sign-off).
    covered_by: &'static str,
    /// Why no check covers it: `needs-person`, `declined` or `no-check`.
    #[serde(skip_serializing_if = "Option::is_none")]
    uncovered: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<String>,
}

struct WireBindings<'a>(&'a [Binding]);

impl Serialize for WireBindings<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|x| WireBinding {
            check: x.check.id,
            params: SafeParams(&x.params),
            bound_by: x.source.as_str(),
            reason: &x.reason,
        }))
    }
}

#[derive(Serialize)]
struct WireBinding<'a> {
    check: &'static str,
    params: SafeParams<'a>,
    bound_by: &'static str,
    reason: &'a str,
}

fn counts(bindings: &[Vec<ItemBindings>]) -> (usize, usize, usize) {
    let all = bindings.iter().flatten();
    let bound = all.clone().filter(|b| !b.bindings.is_empty()).count();
    let items = all.count();
    (items, bound, items - bound)
}

pub fn render_json(checklists: &[Checklist], bindings: &[Vec<ItemBindings>]) -> String {
    let mut out = Vec::new();
    write_json(checklists, bindings, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// `render_json` streamed to a writer: a 50 000-item map is tens of megabytes, which need
/// not sit in memory before they are written.
pub fn write_json<W: std::io::Write>(
    checklists: &[Checklist],
    bindings: &[Vec<ItemBindings>],
    mut out: W,
) -> std::io::Result<()> {
    let (items, bound, manual) = counts(bindings);
    let wire = WireMap {
        schema: SCHEMA,
        summary: WireMapSummary {
            items,
            bound,
            manual,
        },
        checklists: checklists
            .iter()
            .map(|c| WireMapChecklist {
                path: &c.path,
                title: &c.title,
                items: c.items.len(),
            })
            .collect(),
        items: WireMapItems {
            checklists,
            bindings,
        },
    };
    serde_json::to_writer_pretty(&mut out, &wire)?;
    out.write_all(b"\n")
}

fn params_inline(p: &Params) -> String {
    if p.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = p
        .iter()
        .map(|(k, v)| {
            let shown = match v {
                serde_json::Value::String(s) if s.contains('\n') => format!("{:?}", s),
                serde_json::Value::String(s) => format!("{s:?}"),
                other => other.to_string(),
            };
            format!("{k}={}", crate::clip(&shown, 90))
        })
        .collect();
    format!(" {}", parts.join(" "))
}

pub fn render_human(checklists: &[Checklist], bindings: &[Vec<ItemBindings>]) -> String {
    let mut out = String::new();
    for (cl, bs) in checklists.iter().zip(bindings) {
        let bound = bs.iter().filter(|b| !b.bindings.is_empty()).count();
        let _ = writeln!(
            out,
            "{BOLD}{}{BOLD:#}  {DIM}{}{DIM:#}\n{} items: {} bound to checks, {} left to a person",
            cl.title,
            cl.path,
            cl.items.len(),
            bound,
            cl.items.len() - bound
        );
        let mut last_section: Option<&Vec<String>> = None;
        for (item, b) in cl.items.iter().zip(bs) {
            if last_section != Some(&item.section) {
                let heading = item
                    .section
                    .iter()
                    .map(|s| repair(s))
                    .collect::<Vec<_>>()
                    .join(" › ");
                let _ = writeln!(
                    out,
                    "\n  {BOLD}{}{BOLD:#}",
                    if heading.is_empty() {
                        "(no heading)".into()
                    } else {
                        heading
                    }
                );
                last_section = Some(&item.section);
            }
            let depth = {
                let mut d = 0;
                let mut p = item.parent;
                while let Some(pi) = p {
                    d += 1;
                    p = cl.items[pi].parent;
                }
                d
            };
            let indent = "  ".repeat(depth + 2);
            let _ = writeln!(
                out,
                "{indent}{DIM}L{:<4} {}{DIM:#}  {}",
                item.line, item.id, item.display_text
            );
            for x in &b.bindings {
                let _ = writeln!(
                    out,
                    "{indent}    {BOUND}→ {}{BOUND:#}{}  {DIM}({}: {}){DIM:#}",
                    x.check.id,
                    params_inline(&crate::safe_params(&x.params)),
                    x.source.as_str(),
                    x.reason
                );
            }
            if b.bindings.is_empty() {
                let _ = writeln!(
                    out,
                    "{indent}    {MANUAL}manual{MANUAL:#}  {DIM}{}{DIM:#}",
                    crate::safe(b.manual_reason.as_deref().unwrap_or(""))
                );
            } else if b.claims.len() > 1 || b.is_partial() {
                // Which claim each check covers, and what waits for a person.
                for c in &b.claims {
                    let covered = match &c.uncovered {
                        None => format!("{BOUND}{}{BOUND:#}", c.checks.join(", ")),
                        Some(u) => format!(
                            "{MANUAL}person{MANUAL:#} {DIM}({}){DIM:#}",
                            crate::safe(&u.reason())
                        ),
                    };
                    let _ = writeln!(
                        out,
                        "{indent}    {DIM}claim{DIM:#} \"{}\" → {covered}",
                        crate::safe(&c.text)
                    );
                }
                if b.is_partial() {
                    let _ = writeln!(
                        out,
                        "{indent}    {MANUAL}partly manual{MANUAL:#}  {DIM}the checks run; a sign-off covers the rest{DIM:#}"
                    );
                }
            }
        }
        out.push('\n');
    }
    let (items, bound, manual) = counts(bindings);
    let _ = writeln!(out, "{items} items · {bound} bound · {manual} manual");
    out
}
