//! `exec.command` — a command the checklist gives succeeds and prints what it says to expect.

use std::sync::Arc;
use std::time::Duration;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::extract::comparisons;
use gonogo_engine::model::CodeBlock;
use gonogo_engine::redact::redact;
use gonogo_engine::run::human_duration;
use serde_json::Value;

use super::expected::{judge, parse};
use super::process::run_shell;
use super::shell_words::{looks_like_command, mutation};
use crate::wording::{has_any, words};

pub struct Command;

static META: CheckMeta = CheckMeta {
    id: "exec.command",
    title: "Checklist command succeeds with the expected output",
    target: TargetKind::Command,
    params: &[
        ParamSpec {
            name: "command",
            kind: ParamKind::Text,
            default: None,
            required: true,
            doc: "the shell command (or several lines) to run in the repository directory",
        },
        ParamSpec {
            name: "expect",
            kind: ParamKind::Text,
            default: None,
            required: false,
            doc: "what the output must show, one expectation per line, as in `# Expected:` \
                  comments: `318+ tests passing`, `<20ms`, `HTTP 200`, `No errors`, a JSON body, \
                  or text to find",
        },
        ParamSpec {
            name: "timeout_ms",
            kind: ParamKind::DurationMs,
            default: None,
            required: false,
            doc: "time limit for this command (default: `[exec] timeout` of gonogo.toml, 120s)",
        },
    ],
    docs: CheckDocs {
        what: "Runs a command written in the checklist (an item's inline code or its fenced \
               block) with `sh -c` in the repository directory, only when --allow-exec is given, \
               with a time limit and a cap on the output kept. It passes when the command exits 0 \
               and every `# Expected:` comment of the block holds.",
        why: "A checklist command that nobody runs is a claim, not evidence: running it at \
              decision time shows the suite still passes today, with the output to prove it.",
        fix: "Make the command pass, or fix the expectation if it is out of date. To bind a \
              command that was not bound automatically, annotate the item: \
              `<!-- gonogo: exec.command command=\"make verify\" -->`.",
        example: "- [ ] **All tests passing**\n  ```bash\n  pytest tests/ -v\n  # Expected: 318+ tests passing\n  ```",
        binds: &[
            "All tests passing (`pytest -q`)",
            "Coverage at least 90% (`make coverage`)",
            "Linting clean (`pre-commit run --all-files`)",
            "Security scan passed (`pip-audit`)",
            "`make check` exits 0",
            "`go vet ./...` reports no issues",
            "`cargo test` completes successfully",
            "Redis installed and running (`systemctl status redis-server`)",
        ],
        not_binds: &[
            "Database migrations applied (`alembic upgrade head`)",
            "Namespaces created (`qbitel`, `qbitel-service-mesh`)",
            "Image tags: `latest`, `YYYY.MM.DD`, `commit-sha`",
            "Production configuration file reviewed (`config/qbitel.production.yaml`)",
            "Run `make smoke`",
            "Running `make seed` on a fresh database",
            "All services are running (`docker compose ps`)",
            "`kubectl apply -f k8s/` completes with no errors",
        ],
    },
};

/// Words by which an item claims a command's result (so its command is a check to run).
const RESULT_WORDS: &[&str] = &[
    "pass",
    "passes",
    "passed",
    "passing",
    "clean",
    "successful",
    "succeeds",
    "success",
    "green",
    "verified",
    "verify",
    "works",
    "working",
    "ok",
    "valid",
    "validated",
    "succeed",
    "succeeded",
    "successfully",
    "completes",
    "cleanly",
];

/// A state a status command reports ("Redis running (`systemctl status redis-server`)"):
/// a result only of a command whose exit status says it, not of one that lists whatever
/// state there is and exits 0 (`docker compose ps`, `kubectl get pods`).
const STATE_WORDS: &[&str] = &[
    "running",
    "active",
    "healthy",
    "reachable",
    "responding",
    "responds",
];

/// Commands that list state and succeed whatever it is.
const LISTINGS: &[&str] = &[
    "docker ps",
    "docker compose ps",
    "docker-compose ps",
    "podman ps",
    "kubectl get",
    "kubectl describe",
    "helm list",
    "helm ls",
    "systemctl list-units",
    "ps ",
    "ls ",
];

fn is_listing(command: &str) -> bool {
    let c = command.trim_start().to_lowercase();
    LISTINGS
        .iter()
        .any(|l| c.starts_with(l) || c == l.trim_end())
}

/// Phrases by which an item claims a command's result: its exit status, or no failures.
const RESULT_PHRASES: &[&str] = &[
    "exits 0",
    "exit 0",
    "exit code 0",
    "status 0",
    "no failures",
    "no errors",
    "no issues",
    "no drift",
    "no warnings",
    "without errors",
    "without failures",
    "without threshold failures",
];

fn claims_result(lower: &str) -> bool {
    words(lower).iter().any(|w| RESULT_WORDS.contains(w)) || has_any(lower, RESULT_PHRASES)
}

/// Whether the item claims a state that `command`'s exit status reports. "Running `make
/// seed`" opens with the act, not a state.
fn claims_state(lower: &str, command: &str) -> bool {
    !is_listing(command)
        && words(lower)
            .iter()
            .enumerate()
            .any(|(i, w)| STATE_WORDS.contains(w) && !(i == 0 && *w == "running"))
}

/// A threshold the item states ("Coverage at least 90%"), which its command must meet.
fn stated_threshold(lower: &str) -> Option<String> {
    match comparisons(lower).as_slice() {
        [one] => Some(one.describe()),
        _ => None,
    }
}

fn block_binding(b: &CodeBlock) -> AutoBinding {
    let mut ab = AutoBinding::new(if b.expected.is_empty() {
        format!(
            "the item claims a result of the commands in its code block (line {})",
            b.line
        )
    } else {
        format!("code block at line {} with `# Expected:`", b.line)
    })
    .with("command", Value::from(b.commands.join("\n")));
    if !b.expected.is_empty() {
        ab = ab.with("expect", Value::from(b.expected.join("\n")));
    }
    ab
}

#[async_trait::async_trait]
impl Check for Command {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let item = view.item;
        if item.code_blocks.is_empty() && item.code_spans.is_empty() {
            return BindVerdict::No;
        }
        // The wording without its code: a threshold inside a command is not a claim.
        let mut prose = view.lower.to_string();
        for span in &item.code_spans {
            prose = prose.replace(&span.to_lowercase(), " ");
        }
        let threshold = stated_threshold(&prose);
        let claims = claims_result(&prose) || threshold.is_some();
        let blocks: Vec<&CodeBlock> = item
            .code_blocks
            .iter()
            .filter(|b| b.is_shell() && !b.commands.is_empty())
            .collect();
        let mut bound = Vec::new();
        let mut candidates = Vec::new();
        let mut why = Vec::new();
        if !blocks.is_empty() {
            for b in blocks {
                let script = b.commands.join("\n");
                let mut binding = block_binding(b);
                if let (true, Some(t)) = (b.expected.is_empty(), &threshold) {
                    binding = binding.with("expect", Value::from(t.as_str()));
                }
                if let Some(m) = mutation(&script) {
                    why.push(format!(
                        "{m}: gonogo runs commands that check, not commands that act"
                    ));
                    candidates.push(binding);
                } else if !b.expected.is_empty() || claims || claims_state(&prose, &script) {
                    bound.push(binding);
                } else {
                    why.push(format!(
                        "the code block at line {} reads as steps to perform (no `# Expected:` comment, and the item claims no result)",
                        b.line
                    ));
                    candidates.push(binding);
                }
            }
        } else {
            for span in item.code_spans.iter().filter(|s| looks_like_command(s)) {
                let mut binding = AutoBinding::new(format!("the item claims a result of `{span}`"))
                    .with("command", Value::from(span.as_str()));
                if let Some(t) = &threshold {
                    binding = binding.with("expect", Value::from(t.as_str()));
                }
                if let Some(m) = mutation(span) {
                    why.push(format!(
                        "{m}: gonogo runs commands that check, not commands that act"
                    ));
                    candidates.push(binding);
                } else if claims || claims_state(&prose, span) {
                    bound.push(binding);
                } else if is_listing(span) {
                    why.push(format!(
                        "`{span}` lists what there is and exits 0 whatever it shows: bind it with `expect=` to judge its output"
                    ));
                    candidates.push(binding);
                } else {
                    why.push(format!(
                        "`{span}` reads as a step to perform: the item claims no result of it"
                    ));
                    candidates.push(binding);
                }
            }
        }
        if !bound.is_empty() {
            BindVerdict::Bind(bound)
        } else if !why.is_empty() {
            BindVerdict::Declined {
                why: why.join("; "),
                candidates,
            }
        } else {
            BindVerdict::No
        }
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let Some(script) = params.get("command").and_then(Value::as_str) else {
            return Outcome::error("no command given");
        };
        // The command itself may carry a credential (`mysql -pSECRET`).
        let shown = redact(&one_line(script));
        let limit = params
            .get("timeout_ms")
            .and_then(Value::as_u64)
            .map(Duration::from_millis)
            .unwrap_or(ctx.exec.timeout);
        // Several lines run as one script that stops at the first failure.
        let body = if script.contains('\n') {
            format!("set -e\n{script}")
        } else {
            script.to_string()
        };
        let ran = match run_shell(&body, &ctx.repo, limit, ctx.exec.output_cap).await {
            Ok(r) => r,
            Err(e) => return Outcome::error(format!("`{shown}` could not be started: {e}")),
        };
        let output = redact(&ran.output);
        let tail = Evidence::detail(format!("output (last lines):\n{}", last_lines(&output, 20)));
        if ran.timed_out {
            return Outcome::error(format!(
                "`{shown}` did not finish within {} and was stopped (raise `[exec] timeout` in gonogo.toml or `timeout_ms`)",
                human_duration(limit)
            ))
            .with_evidence(tail);
        }
        let Some(exit) = ran.exit else {
            return Outcome::fail(format!("`{shown}` was killed by a signal")).with_evidence(tail);
        };
        let took = human_duration(ran.took);
        let expectations: Vec<&str> = params
            .get("expect")
            .and_then(Value::as_str)
            .map(|e| e.lines().map(str::trim).filter(|l| !l.is_empty()).collect())
            .unwrap_or_default();
        if expectations.is_empty() {
            return if exit == 0 {
                Outcome::pass(format!("`{shown}` succeeded in {took}")).with_evidence(tail)
            } else {
                Outcome::fail(format!(
                    "`{shown}` exited with {exit} after {took}: see its output"
                ))
                .with_evidence(tail)
            };
        }
        let judged: Vec<_> = expectations
            .iter()
            .map(|e| (e, judge(&parse(e), script, &output, exit)))
            .collect();
        let mut outcome = match judged.iter().find(|(_, j)| !j.ok) {
            None => Outcome::pass(format!(
                "`{shown}`: {} ({took})",
                judged
                    .iter()
                    .map(|(_, j)| j.detail.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            Some((_, j)) => Outcome::fail(format!("`{shown}`: {}", j.detail)),
        };
        for (e, j) in &judged {
            outcome = outcome.with_evidence(Evidence::detail(format!(
                "{} Expected: {e} → {}",
                if j.ok { "✓" } else { "✗" },
                j.detail
            )));
        }
        outcome.with_evidence(tail)
    }
}

/// A script shown on one line: its first line, with "…" when there are more.
fn one_line(script: &str) -> String {
    let mut lines = script.lines();
    let first = lines.next().unwrap_or("").trim();
    let first: String = if first.chars().count() > 80 {
        first.chars().take(79).collect::<String>() + "…"
    } else {
        first.to_string()
    };
    if lines.next().is_some() {
        format!("{first} …")
    } else {
        first
    }
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(n);
    lines[start..]
        .iter()
        .map(|l| {
            if l.chars().count() > 200 {
                l.chars().take(200).collect::<String>() + "…"
            } else {
                (*l).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
