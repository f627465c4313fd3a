//! `gonogo checks` and `gonogo checks explain ID`: the catalogue, from each check's own docs.

use std::fmt::Write;

use anstyle::Style;
use gonogo_engine::catalogue::{CheckMeta, ParamKind};
use serde_json::json;

use crate::Exit;
use crate::cli::{ChecksAction, ChecksArgs, MapFormat};
use crate::output::emit;

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

pub fn run(args: ChecksArgs) -> anyhow::Result<Exit> {
    let catalogue = gonogo_checks::catalogue();
    let text = match args.action {
        None if args.format == MapFormat::Json => {
            let all: Vec<_> = catalogue
                .iter()
                .map(|c| meta_json(c.meta(), c.concepts()))
                .collect();
            serde_json::to_string_pretty(
                &json!({ "schema": "gonogo/catalogue/v1", "checks": all }),
            )? + "\n"
        }
        None => {
            let mut out = String::new();
            let mut family = "";
            for c in catalogue.iter() {
                let m = c.meta();
                if m.family() != family {
                    family = m.family();
                    let _ = writeln!(out, "\n{BOLD}{family}{BOLD:#}");
                }
                let _ = writeln!(out, "  {:<26} {:<11} {}", m.id, m.target.as_str(), m.title);
            }
            let _ = writeln!(
                out,
                "\n{} checks. `gonogo checks explain ID` shows one check's documentation.",
                catalogue.len()
            );
            out
        }
        Some(ChecksAction::Explain { id }) => match catalogue.get(&id) {
            Some(c) if args.format == MapFormat::Json => {
                serde_json::to_string_pretty(&meta_json(c.meta(), c.concepts()))? + "\n"
            }
            Some(c) => explain(c.meta(), c.concepts()),
            None => {
                let near: Vec<&str> = catalogue
                    .iter()
                    .map(|c| c.meta().id)
                    .filter(|known| {
                        known.contains(&id) || id.contains(known.split('.').nth(1).unwrap_or("~"))
                    })
                    .collect();
                eprintln!(
                    "gonogo: error: no check `{id}` in the catalogue{}; `gonogo checks` lists them all",
                    if near.is_empty() {
                        String::new()
                    } else {
                        format!(" (did you mean {}?)", near.join(", "))
                    }
                );
                return Ok(Exit::Input);
            }
        },
    };
    emit(&text, None)?;
    Ok(Exit::Go)
}

fn kind_name(k: ParamKind) -> &'static str {
    match k {
        ParamKind::Integer => "integer",
        ParamKind::Number => "number",
        ParamKind::DurationMs => "duration",
        ParamKind::Text => "text",
        ParamKind::Bool => "bool",
        ParamKind::TextList => "list",
    }
}

/// The documentation page of one check, with the vocabulary concepts it declares.
pub fn explain(m: &CheckMeta, concepts: &[&str]) -> String {
    let d = &m.docs;
    let mut out = String::new();
    let _ = writeln!(out, "{BOLD}{}{BOLD:#} — {}", m.id, m.title);
    let _ = writeln!(out, "{DIM}needs: {}{DIM:#}\n", m.target.as_str());
    for (head, body) in [
        ("What it checks", d.what),
        ("Why it matters", d.why),
        ("How to pass", d.fix),
    ] {
        let _ = writeln!(out, "{BOLD}{head}{BOLD:#}\n  {body}\n");
    }
    let _ = writeln!(out, "{BOLD}Example{BOLD:#}");
    for line in d.example.lines() {
        let _ = writeln!(out, "  {line}");
    }
    if !m.params.is_empty() {
        let _ = writeln!(out, "\n{BOLD}Parameters{BOLD:#}");
        for p in m.params {
            let default = match (p.required, p.default) {
                (true, _) => " (required)".to_string(),
                (false, Some(d)) => format!(" (default: {d})"),
                (false, None) => String::new(),
            };
            let _ = writeln!(
                out,
                "  {} ({}){default}\n      {}",
                p.name,
                kind_name(p.kind),
                p.doc
            );
        }
    }
    let _ = writeln!(out, "\n{BOLD}Binds to wordings such as{BOLD:#}");
    for b in d.binds {
        let _ = writeln!(out, "  - [ ] {b}");
    }
    let _ = writeln!(out, "\n{BOLD}But not to{BOLD:#}");
    for b in d.not_binds {
        let _ = writeln!(out, "  - [ ] {b}");
    }
    if !concepts.is_empty() {
        let named = gonogo_engine::understand::canonical_of(concepts);
        let _ = writeln!(
            out,
            "\n{BOLD}Named alone{BOLD:#}\n  An item that names only {} (in any of the vocabulary's \
words for it), with words saying it exists or is in use, is asked of this check again in \
those words.",
            named
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(" or ")
        );
    }
    let _ = writeln!(
        out,
        "\n{BOLD}How wordings reach it{BOLD:#}\n  Items are understood before this check reads them: normalised (case, contractions, \
British spellings, numbers in words), framing such as \"Verify that\" or \"must\" and purpose \
clauses removed, synonyms rewritten from the shared vocabulary, and split into claims. It binds \
when it recognises the whole item or one of its claims; claims it cannot show stay with a \
person beside it. `gonogo map` shows the claims and what covers each."
    );
    let _ = writeln!(
        out,
        "\nBind it explicitly with `<!-- gonogo: {} key=value -->` on an item, or a [[bind]] rule in gonogo.toml.",
        m.id
    );
    out
}

fn meta_json(m: &CheckMeta, concepts: &[&str]) -> serde_json::Value {
    json!({
        "id": m.id,
        "concepts": concepts,
        "title": m.title,
        "target": m.target.as_str(),
        "docs": {
            "what": m.docs.what, "why": m.docs.why, "fix": m.docs.fix, "example": m.docs.example,
            "binds": m.docs.binds, "not_binds": m.docs.not_binds,
        },
        "params": m.params.iter().map(|p| json!({
            "name": p.name, "kind": kind_name(p.kind), "default": p.default, "required": p.required, "doc": p.doc,
        })).collect::<Vec<_>>(),
    })
}
