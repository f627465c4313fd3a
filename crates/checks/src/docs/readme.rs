//! `docs.readme` — a README with the sections a newcomer needs.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::{find_docs, headings, names, read_text};
use crate::wording::{claims_more, has_any, has_phrase, human_act, leftover};

pub struct Readme;

static META: CheckMeta = CheckMeta {
    id: "docs.readme",
    title: "README with installation and usage sections",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "sections",
        kind: ParamKind::TextList,
        default: Some("installation,usage"),
        required: false,
        doc: "sections the README must have; each is recognised by its usual headings \
              (installation: Install, Setup, Getting started…; usage: Usage, Examples, Running…; \
              also configuration, api, architecture, contributing, troubleshooting, license)",
    }],
    docs: CheckDocs {
        what: "A README exists at the repository root (or in docs/) and has a heading for each \
               required section, recognised by synonyms.",
        why: "In production, the README is where the on-call engineer and the next maintainer \
              start; without install and usage instructions they reverse-engineer the service \
              under pressure.",
        fix: "Add README.md at the root with `## Installation` and `## Usage` sections (or the \
              sections the checklist item lists).",
        example: "README.md:\n  # my-service\n  ## Getting started\n  ## Usage\n  ## Configuration",
        binds: &[
            "README.md complete",
            "README with installation and usage instructions",
            "README.md updated",
            "Project README present",
        ],
        not_binds: &[
            "README reviewed by the team",
            "Architecture documentation",
            "All team members read docs",
        ],
    },
};

/// Section keys and the heading words that stand for them.
const SECTIONS: &[(&str, &[&str])] = &[
    (
        "installation",
        &[
            "install",
            "installation",
            "installing",
            "setup",
            "set up",
            "getting started",
            "quick start",
            "quickstart",
            "build",
            "building",
            "deployment",
        ],
    ),
    (
        "usage",
        &[
            "usage",
            "use",
            "using",
            "how to use",
            "example",
            "examples",
            "getting started",
            "quick start",
            "quickstart",
            "tutorial",
            "running",
            "run",
            "commands",
            "cli",
        ],
    ),
    (
        "configuration",
        &[
            "configuration",
            "config",
            "configure",
            "configuring",
            "settings",
            "environment variables",
            "options",
        ],
    ),
    ("api", &["api", "api reference", "endpoints", "reference"]),
    (
        "architecture",
        &["architecture", "design", "how it works", "internals"],
    ),
    (
        "contributing",
        &[
            "contributing",
            "contribute",
            "contribution",
            "development",
            "developing",
            "hacking",
        ],
    ),
    (
        "troubleshooting",
        &[
            "troubleshooting",
            "faq",
            "common issues",
            "known issues",
            "debugging",
            "problems",
        ],
    ),
    ("license", &["license", "licence", "licensing"]),
];

/// The section key a phrase names ("Usage examples" → usage), if exactly one.
fn section_named(lower: &str) -> Option<&'static str> {
    let direct: &[(&str, &[&str])] = &[
        (
            "installation",
            &[
                "installation",
                "install",
                "setup instructions",
                "installation instructions",
            ],
        ),
        ("usage", &["usage", "usage examples"]),
        ("configuration", &["configuration guide", "configuration"]),
        ("api", &["api reference", "api documentation", "api docs"]),
        ("architecture", &["architecture overview", "architecture"]),
        ("contributing", &["contributing guide", "contributing"]),
        (
            "troubleshooting",
            &["troubleshooting guide", "troubleshooting"],
        ),
        ("license", &["license"]),
    ];
    let hits: Vec<&str> = direct
        .iter()
        .filter(|(_, phrases)| has_any(lower, phrases))
        .map(|(k, _)| *k)
        .collect();
    (hits.len() == 1).then(|| hits[0])
}

fn is_readme(stem: &str) -> bool {
    stem == "readme"
}

#[async_trait::async_trait]
impl Check for Readme {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["readme"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["readme"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        // A sub-item of a README item naming one section: "Installation instructions".
        if let Some(parent) = view.parent_lower
            && has_any(parent, &["readme", "readme.md"])
            && human_act(lower).is_none()
            && let Some(key) = section_named(lower)
        {
            return BindVerdict::Bind(vec![
                AutoBinding::new(format!(
                    "sub-item of a README item naming its {key} section"
                ))
                .with("sections", Value::from(vec![key])),
            ]);
        }
        if !has_any(lower, &["readme", "readme.md"]) {
            return BindVerdict::No;
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!(
                    "\"{act}\" is a person's judgement; a README existing does not prove it"
                ),
                candidates: Vec::new(),
            };
        }
        // Sections named in the item itself or its plain sub-bullets.
        let mut keys: Vec<&str> = Vec::new();
        for note in &view.item.notes {
            if let Some(k) = section_named(&note.to_lowercase())
                && !keys.contains(&k)
            {
                keys.push(k);
            }
        }
        for (k, _) in SECTIONS {
            if has_phrase(lower, k) && !keys.contains(k) {
                keys.push(k);
            }
        }
        let extra = leftover(
            lower,
            &[
                "readme",
                "readme.md",
                "instructions",
                "sections",
                "section",
                "examples",
                "usage",
                "installation",
            ],
        );
        let extra: Vec<&str> = extra
            .into_iter()
            .filter(|w| !SECTIONS.iter().any(|(k, _)| k == w))
            .collect();
        if let Some(no) = claims_more(&extra, 1, "a README can show", || {
            vec![AutoBinding::new("names the README")]
        }) {
            return no;
        }
        let mut b = AutoBinding::new("wording names the README");
        if !keys.is_empty() {
            b = b.with("sections", Value::from(keys));
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let found = find_docs(&ctx, is_readme);
        let Some(readme) = found.first() else {
            return Outcome::fail(
                "no README found at the repository root or in docs/: add README.md with installation and usage sections",
            );
        };
        let text = match read_text(&ctx, &readme.path) {
            Ok(t) => t,
            Err(e) => return Outcome::error(e),
        };
        if text.trim().is_empty() {
            return Outcome::fail(format!("{} is empty", readme.path));
        }
        let heads = headings(&text);
        let wanted: Vec<String> = params
            .get("sections")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str())
                    .map(str::to_lowercase)
                    .collect()
            })
            .unwrap_or_default();
        let mut evidence = Vec::new();
        let mut missing = Vec::new();
        for key in &wanted {
            let synonyms: Vec<&str> = SECTIONS
                .iter()
                .find(|(k, _)| k == key)
                .map_or_else(|| vec![key.as_str()], |(_, s)| s.to_vec());
            match heads
                .iter()
                .find(|(_, h)| synonyms.iter().any(|s| has_phrase(h, s)))
            {
                Some((line, h)) => evidence.push(Evidence::at(
                    readme.path.clone(),
                    Some(*line),
                    format!("{key}: heading \"{h}\""),
                )),
                None => match (key.as_str(), usage_shown(&text)) {
                    // A list of endpoints or a block that calls or runs the service shows
                    // usage under any heading ("Web API:", "Install").
                    ("usage", Some((line, what))) => evidence.push(Evidence::at(
                        readme.path.clone(),
                        Some(line),
                        format!("usage: {what}"),
                    )),
                    _ => missing.push(key.clone()),
                },
            }
        }
        let mut outcome = if missing.is_empty() {
            Outcome::pass(format!(
                "{} has {}",
                readme.path,
                if wanted.is_empty() {
                    "content".to_string()
                } else {
                    format!("sections for {}", wanted.join(", "))
                }
            ))
        } else {
            Outcome::fail(format!(
                "{} has no section for {}: add a heading such as \"## {}\"",
                readme.path,
                missing.join(", "),
                capitalise(&missing[0])
            ))
        };
        if found.len() > 1 {
            evidence.push(Evidence::detail(format!(
                "READMEs found: {}",
                names(&found)
            )));
        }
        outcome.evidence = evidence;
        outcome
    }
}

/// Commands that show the service being used once installed: calling it or running it.
const USE_COMMANDS: &[&str] = &[
    "curl ",
    "wget ",
    "http ",
    "httpie ",
    "grpcurl ",
    "docker run ",
    "docker compose up",
    "docker-compose up",
    "kubectl port-forward",
    "go run ",
    "cargo run",
    "npm start",
    "npm run dev",
    "yarn start",
    "yarn dev",
    "pnpm dev",
    "python -m ",
    "uvicorn ",
    "fastapi run",
    "flask run",
    "java -jar",
    "dotnet run",
];

/// Where a README shows how to use the service without a usage heading: a list of at least
/// three HTTP endpoints (`GET /version …`), or a command that calls or runs it in a code block
/// or inline code. (line, what) of the first.
fn usage_shown(text: &str) -> Option<(usize, String)> {
    const METHODS: &[&str] = &["GET ", "POST ", "PUT ", "PATCH ", "DELETE ", "POST/PUT "];
    let mut endpoints: Vec<usize> = Vec::new();
    let mut in_code = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with("```") || line.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        let item = line
            .trim_start_matches(['*', '-', '+', '|', ' '])
            .trim_start_matches('`');
        if METHODS.iter().any(|m| item.starts_with(m))
            && item
                .split_whitespace()
                .nth(1)
                .is_some_and(|p| p.trim_start_matches('`').starts_with('/'))
        {
            endpoints.push(i + 1);
        }
        let code = if in_code {
            Some(line.trim_start_matches("$ "))
        } else {
            // Inline code: `curl -sd 'anon' podinfo:9898/token`.
            line.split('`').nth(1)
        };
        if let Some(c) = code
            && let Some(cmd) = USE_COMMANDS.iter().find(|u| {
                c.starts_with(*u) || c.contains(&format!("| {u}")) || c.contains(&format!("$({u}"))
            })
        {
            return Some((i + 1, format!("`{}` shows it in use", cmd.trim())));
        }
    }
    (endpoints.len() >= 3).then(|| {
        (
            endpoints[0],
            format!("a list of {} HTTP endpoints", endpoints.len()),
        )
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_is_shown_by_calls_runs_or_endpoint_lists() {
        let curl = "# svc\n\n```console\n$ curl -s localhost:8080/version\n```\n";
        assert_eq!(usage_shown(curl).map(|u| u.0), Some(4));
        let inline = "Issue a token: `JWT=$(curl -sd 'anon' podinfo:9898/token | jq -r .token)`\n";
        assert!(usage_shown(inline).is_some());
        let run = "```sh\ndocker run -p 8080:8080 ghcr.io/acme/svc:1.2\n```\n";
        assert!(usage_shown(run).is_some());
        // Installing is not using; two endpoints are not a list; prose naming curl is not a call.
        assert_eq!(
            usage_shown("```sh\nmake install\npip install svc\n```\n"),
            None
        );
        assert_eq!(usage_shown("* GET /a\n* POST /b\n"), None);
        assert_eq!(usage_shown("We test it with curl and friends.\n"), None);
    }
}
