//! `secrets.none-in-repository` — no credentials committed to the repository (and, with
//! `--history`, none left in its git history).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::history::{Limits, scan_history};
use super::scan::{Accept, by_rule};
use super::{coverage, describe, tree_scan};
use crate::wording::{has_any, human_act};

pub struct NoneInRepository;

static META: CheckMeta = CheckMeta {
    id: "secrets.none-in-repository",
    title: "No secrets committed to the repository",
    target: TargetKind::Repository,
    params: &[
        ParamSpec {
            name: "timeout_ms",
            kind: ParamKind::DurationMs,
            default: Some("120s"),
            required: false,
            doc: "time limit of the git history scan (with --history); the working tree scan is not limited",
        },
        ParamSpec {
            name: "history_commits",
            kind: ParamKind::Integer,
            default: Some("20000"),
            required: false,
            doc: "with --history, how many of the most recent commits (of all branches) are read",
        },
        ParamSpec {
            name: "max_evidence",
            kind: ParamKind::Integer,
            default: Some("50"),
            required: false,
            doc: "findings listed as evidence; the message counts them all",
        },
    ],
    docs: CheckDocs {
        what: "Scans every file of the repository (gitignore-aware; binary, lock and files over 8 MiB \
               skipped and counted) with 79 credential rules written from vendors' token formats \
               (cloud keys, VCS and CI tokens, chat, payment and registry tokens, private key blocks, \
               JWTs, database URLs with passwords) and with generic `password = \"…\"` / `api_key: …` \
               assignments judged by entropy and context. Placeholders, values read from the \
               environment or a secret manager, documented example keys, hashes, UUIDs and commit \
               ids are not reported. With `--history` it also reads the git history and names the \
               commit that first added each secret, including secrets since removed.",
        why: "A credential in a repository is readable by everyone who can clone it, forever: \
              forks, CI caches and old commits keep it after it is deleted. Leaked keys are found \
              and abused by automated scanners within minutes of a push.",
        fix: "Move the value to a secrets store or an environment variable, rotate the credential \
              (it is compromised), and delete it from the file. Accept a false positive with a \
              `gonogo:allow-secret` comment on its line, `[secrets] allow_paths`/`allow_rules` in \
              gonogo.toml, or a baseline of fingerprints (`[secrets] baseline`); see docs/secrets.md.",
        example: "config.py:\n  DATABASE_PASSWORD = os.environ[\"DATABASE_PASSWORD\"]\n\
                  gonogo.toml:\n  [secrets]\n  allow_paths = [\"tests/fixtures/**\"]\n  \
                  baseline = \".gonogo/secrets-baseline.json\"",
        binds: &[
            "No secrets in code",
            "No hardcoded secrets",
            "All secrets stored in secrets manager (not in code/config)",
            "Secrets management: No secrets in code",
            "All secrets moved to repository secrets or an external secrets store (Vault/KMS).",
            "No credentials committed to the repository",
            "No API keys or passwords hard-coded in source",
            "Secret scanning passes (gitleaks)",
            "Use secret management tools (AWS Secrets Manager, Vault)",
            "Secrets are managed centrally",
            "Keep deployment credentials in a secrets manager",
            "All secrets are in a secrets manager",
            "Gitleaks configured to scan the whole git history",
            "The code is scanned for leaked credentials",
        ],
        not_binds: &[
            "Secrets vault configured",
            "Kubernetes secrets created",
            "JWT secret is cryptographically strong",
            "API keys are properly hashed",
            "No secrets in images",
            "Secrets injected at runtime via repo secrets or cloud KMS",
            "No secrets in logs",
            "Redis password set",
            "Hardcoded credentials reviewed by security team",
            "Secrets encrypted at rest in etcd",
            "No passwords in docker-compose.yml",
            "No Secret data committed in Kubernetes manifests",
            "Images are scanned for secrets",
            "Gitleaks alerts are routed to the security team",
            "Gitleaks configuration example",
            "The webhook defined in the repository has a token configured",
            "Check for randomness of the password reset token",
        ],
    },
};

/// Nouns for credentials.
const SECRET_NOUNS: &[&str] = &[
    "secret",
    "secrets",
    "credential",
    "credentials",
    "api key",
    "api keys",
    "password",
    "passwords",
    "token",
    "tokens",
    "private key",
    "private keys",
];

/// Wording that says credentials are absent from the code.
const NOT_IN_CODE: &[&str] = &[
    "no secrets",
    "no secret",
    "no credentials",
    "no passwords",
    "no api keys",
    "no tokens",
    "no private keys",
    "no hardcoded",
    "no hard-coded",
    "hardcoded",
    "hard-coded",
    "hard coded",
    "leaked",
    "secret scanning",
    "secrets scanning",
    "secret scan",
    "secrets scan",
    "gitleaks",
    "trufflehog",
    "detect-secrets",
];

/// Where credentials must not be: named with a negation ("never committed", "not in the
/// repo") they are absent from the code; named alone ("the webhook defined in the
/// repository has a token configured") they are only a place.
const IN_CODE: &[&str] = &[
    "in code",
    "in the code",
    "in source",
    "in source code",
    "in the source",
    "in the repository",
    "in the repo",
    "in repo",
    "in any repository",
    "in any repo",
    "in repositories",
    "in any code",
    "in git",
    "committed",
    "checked in",
    "checked into",
];

/// Words that deny what follows.
const NEGATIONS: &[&str] = &[
    "no", "not", "never", "none", "without", "zero", "free of", "avoid", "don't", "do not",
    "nothing", "neither", "nor",
];

/// Responding to a leak: what a team does once a secret is found.
const RESPONSE_WORDS: &[&str] = &[
    "alert",
    "alerts",
    "alerting",
    "notify",
    "notification",
    "notifications",
    "actions",
    "action",
    "respond",
    "incident",
    "revoke",
    "revoked",
    "rotate",
    "rotated",
    "rotation",
    "remediate",
    "remediation",
    "real-time",
    "immediate",
];

/// Places the item may be about that are not the repository.
const ELSEWHERE: &[&str] = &[
    // Docker's own secrets are handed to containers at run time: the images' concern.
    "docker secrets",
    "image",
    "images",
    "container",
    "containers",
    "dockerfile",
    "dockerfiles",
    "log",
    "logs",
    "logging",
    "logged",
    "output",
    "response",
    "responses",
    "error message",
    "error messages",
    "url",
    "urls",
    "query string",
    "browser",
    "etcd",
    "at rest",
    "in transit",
    "memory",
    "telemetry",
    "traces",
    // Places a narrower check judges exactly: a repository-wide scan failing on an unrelated
    // file would fail an item about them.
    "compose",
    "docker-compose",
    "docker-compose.yml",
    "docker-compose.yaml",
    "manifest",
    "manifests",
    "secret data",
    "secret values",
    "secret objects",
    "secret manifests",
    "kubernetes",
    "k8s",
    "build args",
    "build arg",
    "production config",
    "production configuration",
    "config files",
    "configuration files",
    "values-prod.yaml",
    "baked",
];

/// Wording that says credentials live in a secrets store (so, not in the code).
const STORES: &[&str] = &[
    "secrets manager",
    "secret manager",
    "secrets store",
    "secret store",
    "vault",
    "kms",
    "key vault",
    "parameter store",
    "repository secrets",
    "secret management",
    "secrets management",
    "external secret",
    "external secrets",
    "external-secrets",
    "sealed secrets",
    "sealed-secrets",
    "sops",
    "centrally",
];

#[async_trait::async_trait]
impl Check for NoneInRepository {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        crate::wording::triggers_of(&[SECRET_NOUNS, super::SECRET_SCANNERS])
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let l = view.lower;
        // A Dockerfile's ARG and ENV instructions, written as Dockerfiles write them, are the
        // image's place (docker.no-secrets-in-image), not the whole repository.
        let instructions = crate::wording::names_as_written(view, &["ARG", "ENV"]);
        if !(has_any(l, SECRET_NOUNS) || super::scanner_scans(l))
            || has_any(l, ELSEWHERE)
            || instructions
        {
            return BindVerdict::No;
        }
        let not_in_code = has_any(l, NOT_IN_CODE)
            // A question asks whether they are there at all ("Are there secrets committed
            // anywhere in the repo?").
            || (has_any(l, IN_CODE)
                && (has_any(l, NEGATIONS) || crate::wording::is_question(view)))
            || super::searched_for(l);
        let moved = has_any(
            l,
            &[
                "moved to",
                "stored in",
                // "All secrets are in a secrets manager".
                "are in",
                "is in",
                "reside in",
                "held in",
                "kept in",
                "live in",
                "moved into",
                "injected from",
                "injected by",
                "loaded from",
                "fetched from",
                "pulled from",
                "read from",
                "come from",
                "comes from",
                "managed by",
                "managed in",
                "managed with",
                "managed through",
                "managed centrally",
                "centrally managed",
                "provided by",
                "looked up",
                "retrieved from",
                "sourced from",
                // "Use a secrets manager", "Keep the credentials in Vault": the secrets are
                // then kept in it.
                "use",
                "using",
                "keep",
                "store",
            ],
        ) && has_any(l, STORES);
        if !(not_in_code || moved) {
            return BindVerdict::No;
        }
        // What happens after a secret is found (alerts, actions, rotation) is a process,
        // not the absence of secrets.
        if has_any(l, RESPONSE_WORDS) {
            return BindVerdict::No;
        }
        let candidates = vec![AutoBinding::new(
            "wording says no credentials are in the code",
        )];
        if let Some(act) = human_act(l) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement; a secret scan does not prove it"),
                candidates,
            };
        }
        BindVerdict::Bind(candidates)
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let c = ctx.clone();
        let tree = match tokio::task::spawn_blocking(move || tree_scan(&c)).await {
            Ok(Ok(t)) => t,
            Ok(Err(e)) => return Outcome::error(format!("secret scan not run: {e}")),
            Err(e) => return Outcome::error(format!("secret scan failed: {e}")),
        };
        if tree.files_scanned == 0 && !ctx.history {
            return Outcome::skipped(format!("no text files to scan ({})", coverage(&tree)));
        }
        let max_evidence = params
            .get("max_evidence")
            .and_then(|v| v.as_u64())
            .unwrap_or(50) as usize;

        // History: first commit of each secret, by (rule, value) hash.
        let mut first: HashMap<u64, (String, i64)> = HashMap::new();
        let mut removed = Vec::new();
        let mut history_note = None;
        let mut history_incomplete = None;
        if ctx.history {
            let accept = match Accept::load(&ctx.repo, &ctx.secrets) {
                Ok(a) => a,
                Err(e) => return Outcome::error(format!("secret scan not run: {e}")),
            };
            let limits = Limits {
                max_commits: params
                    .get("history_commits")
                    .and_then(|v| v.as_u64())
                    .unwrap_or(20_000) as usize,
                max_bytes: 1 << 30,
                timeout: Duration::from_millis(
                    params
                        .get("timeout_ms")
                        .and_then(|v| v.as_u64())
                        .unwrap_or(120_000),
                ),
            };
            match scan_history(&ctx.repo, &accept, &limits).await {
                Ok(h) => {
                    let head: std::collections::HashSet<u64> =
                        tree.findings.iter().map(|f| f.value_key).collect();
                    for hf in &h.first_seen {
                        first.insert(hf.finding.value_key, (hf.commit.clone(), hf.time));
                        if !head.contains(&hf.finding.value_key) {
                            removed.push(hf.clone());
                        }
                    }
                    history_note = Some(format!(
                        "history: {} commits ({:.1} MiB of diffs) read",
                        h.commits,
                        h.bytes as f64 / (1024.0 * 1024.0)
                    ));
                    history_incomplete = h.incomplete;
                }
                Err(e) => return Outcome::error(format!("history not scanned: {e}")),
            }
        }

        let mut evidence = Vec::new();
        for f in tree.findings.iter().take(max_evidence) {
            let mut d = describe(f);
            if let Some((commit, time)) = first.get(&f.value_key) {
                d.push_str(&format!(
                    "; first added in commit {} ({})",
                    short(commit),
                    date(*time)
                ));
            }
            evidence.push(Evidence::at(f.file.clone(), Some(f.line), d));
        }
        for hf in removed
            .iter()
            .take(max_evidence.saturating_sub(evidence.len()))
        {
            evidence.push(Evidence::at(
                hf.finding.file.clone(),
                Some(hf.finding.line),
                format!(
                    "{}; removed from HEAD but still in history: added in commit {} ({})",
                    describe(&hf.finding),
                    short(&hf.commit),
                    date(hf.time)
                ),
            ));
        }
        let shown = evidence.len();
        let total = tree.findings.len() + removed.len();
        if total > shown {
            evidence.push(Evidence::detail(format!(
                "{} more not listed (raise max_evidence)",
                total - shown
            )));
        }
        evidence.push(Evidence::detail(coverage(&tree)));
        if let Some(n) = history_note {
            evidence.push(Evidence::detail(n));
        }
        if let Some(why) = &history_incomplete {
            evidence.push(Evidence::detail(format!("history scan incomplete: {why}")));
        }

        let mut outcome = if total == 0 {
            if let Some(why) = history_incomplete {
                Outcome::error(format!(
                    "no secrets in the working tree, but the history scan {why}: raise timeout_ms or history_commits"
                ))
            } else {
                Outcome::pass(format!(
                    "no secrets found in {} files{}",
                    tree.files_scanned,
                    if ctx.history {
                        " or their git history"
                    } else {
                        ""
                    }
                ))
            }
        } else {
            let mut parts = Vec::new();
            if !tree.findings.is_empty() {
                parts.push(format!(
                    "{} secret{} committed ({})",
                    tree.findings.len(),
                    if tree.findings.len() == 1 { "" } else { "s" },
                    kinds(&tree.findings)
                ));
            }
            if !removed.is_empty() {
                let fs: Vec<_> = removed.iter().map(|h| h.finding.clone()).collect();
                parts.push(format!(
                    "{} removed from HEAD but still in the git history ({})",
                    removed.len(),
                    kinds(&fs)
                ));
            }
            Outcome::fail(format!(
                "{}: rotate them, move them to a secrets store and delete them from the code",
                parts.join("; ")
            ))
        };
        outcome.evidence = evidence;
        outcome
    }
}

fn kinds(findings: &[super::scan::Finding]) -> String {
    by_rule(findings)
        .iter()
        .map(|(r, n)| {
            if *n == 1 {
                r.to_string()
            } else {
                format!("{r} ×{n}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(12)]
}

/// `YYYY-MM-DD` of a Unix time (UTC).
pub(crate) fn date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(super::date(0), "1970-01-01");
        assert_eq!(super::date(1_700_000_000), "2023-11-14");
    }
}
