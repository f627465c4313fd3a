//! SARIF 2.1.0 (`--format sarif`) for code scanning: one rule per check used in the run (with
//! its documentation), one result per failing finding, located at the evidence's file and line
//! or else at the item's line in its checklist. Fingerprints leave out line numbers so an alert
//! keeps its identity when code moves.

use std::collections::BTreeMap;

use gonogo_engine::catalogue::{CheckMeta, CheckStatus};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{RunReport, safe};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    results: Vec<ResultEntry>,
    invocations: Vec<Invocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultEntry {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
}

/// `PascalCase` rule name from a check id: `docs.readme` → `DocsReadme`.
fn rule_name(id: &str) -> String {
    id.split(['.', '-'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn rule(meta: &'static CheckMeta) -> Rule {
    let d = &meta.docs;
    Rule {
        id: meta.id,
        name: rule_name(meta.id),
        short_description: Text {
            text: meta.title.to_string(),
        },
        full_description: Text {
            text: d.what.to_string(),
        },
        help: Help {
            text: format!(
                "{}\n\nWhy it matters: {}\n\nExample:\n{}",
                d.fix, d.why, d.example
            ),
            markdown: format!(
                "{}\n\n**Why it matters:** {}\n\n**Example**\n\n```\n{}\n```",
                d.fix, d.why, d.example
            ),
        },
        default_configuration: Configuration { level: "error" },
    }
}

/// A path as SARIF wants it: relative, forward slashes, no `./`.
fn uri(path: &str) -> String {
    path.trim_start_matches("./").replace('\\', "/")
}

pub fn render(r: &RunReport<'_>) -> String {
    let mut metas: Vec<&'static CheckMeta> = r
        .bindings
        .iter()
        .flatten()
        .flat_map(|b| b.bindings.iter().map(|x| x.check))
        .collect();
    metas.sort_by_key(|m| m.id);
    metas.dedup_by_key(|m| m.id);
    let index: BTreeMap<&str, usize> = metas.iter().enumerate().map(|(i, m)| (m.id, i)).collect();

    let mut results = Vec::new();
    for (cl, items) in r.checklists.iter().zip(&r.decision.items) {
        for (item, res) in cl.items.iter().zip(items) {
            for c in &res.checks {
                let level = match c.outcome.status {
                    CheckStatus::Fail => "error",
                    CheckStatus::Error => "warning",
                    _ => continue,
                };
                let id = c.binding.check.id;
                let located: Vec<_> = c
                    .outcome
                    .evidence
                    .iter()
                    .filter(|e| e.file.is_some())
                    .collect();
                let mut places: Vec<(String, Option<usize>, String)> = located
                    .iter()
                    .map(|e| {
                        (
                            uri(e.file.as_deref().unwrap_or_default()),
                            e.line,
                            e.detail.clone(),
                        )
                    })
                    .collect();
                if places.is_empty() {
                    places.push((uri(&cl.path), Some(item.line), String::new()));
                }
                for (file, line, detail) in places {
                    let mut fp = Sha256::new();
                    for part in [id, item.id.as_str(), file.as_str(), detail.as_str()] {
                        fp.update(part.as_bytes());
                        fp.update([0]);
                    }
                    let fingerprint = gonogo_engine::hex::hex(&fp.finalize()[..16]);
                    let text = if detail.is_empty() {
                        format!(
                            "{} — checklist item: \"{}\"",
                            c.outcome.message, item.display_text
                        )
                    } else {
                        format!(
                            "{} ({detail}) — checklist item: \"{}\"",
                            c.outcome.message, item.display_text
                        )
                    };
                    results.push(ResultEntry {
                        rule_id: id,
                        rule_index: index[id],
                        level,
                        message: Text { text: safe(&text) },
                        locations: vec![Location {
                            physical_location: PhysicalLocation {
                                artifact_location: ArtifactLocation { uri: file },
                                region: line
                                    .filter(|&l| l > 0)
                                    .map(|start_line| Region { start_line }),
                            },
                        }],
                        partial_fingerprints: BTreeMap::from([("gonogoFinding/v1", fingerprint)]),
                    });
                }
            }
        }
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "gonogo",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://crates.io/crates/gonogo",
                    rules: metas.into_iter().map(rule).collect(),
                },
            },
            results,
            invocations: vec![Invocation {
                execution_successful: !r.decision.interrupted,
            }],
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).expect("sarif serialises");
    s.push('\n');
    s
}
