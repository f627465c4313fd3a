//! `config.env-not-committed` — no `.env` file, and no env file holding a secret, is tracked
//! by git.
//!
//! `config.env-ignored` reads the ignore rules; this check reads what git actually tracks, which
//! is what leaks: a `.env` committed before the rule was added stays tracked (and published)
//! whatever `.gitignore` says today.

use std::sync::Arc;
use std::time::Duration;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::scope;

use crate::secrets::{describe, images::is_env_file, tree_scan};
use crate::wording::{has_any, human_act};

pub struct EnvNotCommitted;

/// How long `git ls-files` may take (a repository of a million files lists in about a second).
const GIT_TIMEOUT: Duration = Duration::from_secs(20);

static META: CheckMeta = CheckMeta {
    id: "config.env-not-committed",
    title: "No .env file is tracked by git",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "Lists what git tracks (`git ls-files`). Fails when a local env file (`.env`, \
               `.env.local`, `.env.<stage>.local`) of the product is tracked, or when any other \
               tracked env file (`.env.production`, `prod.env`) holds a value the secret scanner \
               judges to be a credential. Templates (`.env.example`, `.sample`, `.template`, \
               `.dist`) are meant to be tracked. Skipped outside a git repository.",
        why: "An ignore rule added after the fact does not untrack a file: a `.env` committed \
              once is in every clone and in history. Frameworks do commit public settings in \
              `.env.production`; a password there is published all the same.",
        fix: "`git rm --cached .env`, add `.env` to .gitignore, rotate every secret the file \
              held (history keeps them) and commit a `.env.example` with placeholders instead.",
        example: "git rm --cached .env && echo .env >> .gitignore",
        binds: &[
            ".env not committed",
            "No `.env` files in the repository",
            "Environment files are not tracked by git",
            "dotenv files never checked in",
        ],
        not_binds: &[
            ".env in .gitignore",
            "Secrets not committed",
            "`.env.example` committed",
        ],
    },
};

/// Words that put something in git: committing, tracking, checking in, pushing.
const TRACKING: &[&str] = &[
    "commit",
    "commits",
    "committed",
    "committing",
    "check in",
    "checked in",
    "checked into",
    "tracked",
    "track",
    "push",
    "pushed",
    "version control",
    "source control",
    "vcs",
    "git",
    "repo",
    "repository",
];

/// Words that deny it.
const NEGATION: &[&str] = &[
    "no",
    "not",
    "never",
    "none",
    "nor",
    "without",
    "dont",
    "don't",
    "doesn't",
    "isn't",
    "aren't",
    "untracked",
    "out of",
    "excluded from",
    "kept out",
    "removed from",
];

/// Words naming env files.
const ENV_FILES: &[&str] = &[
    "env file",
    "env files",
    "dotenv",
    "environment file",
    "environment files",
];

#[async_trait::async_trait]
impl Check for EnvNotCommitted {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec![".env", "env", "dotenv", "environment"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let names_env = lower
            .split(|c: char| c.is_whitespace() || matches!(c, '`' | '(' | ')' | ',' | '"'))
            .any(super::names_env_file)
            || has_any(lower, ENV_FILES);
        if !names_env {
            return BindVerdict::No;
        }
        // "No .env files in the repository", ".env never committed", "dotenv files are kept
        // out of version control": a denial of putting the file in git. Ignore rules alone
        // (".env in .gitignore") are `config.env-ignored`'s.
        let denied = (has_any(lower, NEGATION) && has_any(lower, TRACKING))
            || has_any(lower, &["untracked"]);
        // What a .dockerignore keeps out of an image is not what git tracks.
        if !denied || has_any(lower, &["dockerignore", "build context", "image", "images"]) {
            return BindVerdict::No;
        }
        let candidates = vec![AutoBinding::new(
            "wording says env files are not committed to git",
        )];
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement; git cannot show it"),
                candidates,
            };
        }
        BindVerdict::Bind(candidates)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let listed = tracked(&ctx).await;
        let tracked = match listed.as_ref() {
            Ok(Some(t)) => t,
            Ok(None) => {
                return Outcome::skipped(
                    "not a git repository, so nothing is tracked: run gonogo in a clone",
                );
            }
            Err(e) => return Outcome::error(e.clone()),
        };
        let env_files: Vec<&String> = tracked.iter().filter(|rel| is_env_file(rel)).collect();
        if env_files.is_empty() {
            return Outcome::pass(format!(
                "no env file is among the {} files git tracks",
                tracked.len()
            ));
        }
        let report = tokio::task::spawn_blocking({
            let ctx = ctx.clone();
            move || tree_scan(&ctx)
        })
        .await
        .unwrap_or_else(|e| Err(format!("the secret scan stopped: {e}")));
        let mut problems = Vec::new();
        let mut harmless = Vec::new();
        for rel in env_files {
            let product = scope::of(rel).is_product();
            let findings: Vec<_> = match &report {
                Ok(r) => r.findings.iter().filter(|f| &f.file == rel).collect(),
                Err(_) => Vec::new(),
            };
            if let Some(f) = findings.first() {
                problems.push(Evidence::at(
                    rel.clone(),
                    Some(f.line),
                    format!(
                        "tracked by git and holds a secret: {}{}",
                        describe(f),
                        match findings.len() {
                            1 => String::new(),
                            n => format!(" and {} more", n - 1),
                        }
                    ),
                ));
            } else if product && is_local_env(rel) {
                problems.push(Evidence::at(
                    rel.clone(),
                    None,
                    "a local env file tracked by git: no secret value in it now, but whatever is \
                     put in it next is published",
                ));
            } else {
                harmless.push(rel.clone());
            }
        }
        if let Err(e) = &report
            && problems.is_empty()
        {
            return Outcome::error(format!(
                "{} tracked env file(s) could not be judged: {e}",
                harmless.len()
            ));
        }
        let mut out = if problems.is_empty() {
            Outcome::pass(format!(
                "{} tracked env file(s), none a local .env and none holding a secret value ({})",
                harmless.len(),
                harmless.join(", ")
            ))
        } else {
            let first = problems[0].file.clone().unwrap_or_default();
            Outcome::fail(format!(
                "{} env file(s) tracked by git that should not be ({first} first): `git rm \
                 --cached` them, ignore them and rotate what they held",
                problems.len()
            ))
        };
        out.evidence = problems;
        if !out.evidence.is_empty() && !harmless.is_empty() {
            out.evidence.push(Evidence::detail(format!(
                "also tracked, with no secret value found in them ({})",
                harmless.join(", ")
            )));
        }
        out
    }
}

/// `.env`, `.env.local`, `.env.production.local`: files dotenv loaders read as the machine's
/// own, never meant to be shared.
fn is_local_env(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    name == ".env" || (name.starts_with(".env.") && name.ends_with(".local"))
}

/// What git tracks, listed once per run (`config.env-ignored` asks too).
pub(super) async fn tracked(ctx: &RunContext) -> Arc<Result<Option<Vec<String>>, String>> {
    type Listed = tokio::sync::OnceCell<Arc<Result<Option<Vec<String>>, String>>>;
    let cell = ctx.cached::<Listed>("git:ls-files", Listed::new);
    cell.get_or_init(|| async { Arc::new(tracked_files(&ctx.repo).await) })
        .await
        .clone()
}

/// What git tracks under `repo`, relative to it; `None` when `repo` is not in a git work tree.
async fn tracked_files(repo: &std::path::Path) -> Result<Option<Vec<String>>, String> {
    let child = tokio::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        // The repository's own config must not run anything: an fsmonitor hook would.
        .args(["-c", "core.quotepath=off", "-c", "core.fsmonitor=false"])
        .args(["ls-files", "-z"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn();
    let child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err("git is not installed, so what it tracks cannot be listed".into());
        }
        Err(e) => return Err(format!("git could not be started: {e}")),
    };
    let out = match tokio::time::timeout(GIT_TIMEOUT, child.wait_with_output()).await {
        Err(_) => {
            return Err(format!(
                "git ls-files did not finish within {} s",
                GIT_TIMEOUT.as_secs()
            ));
        }
        Ok(Err(e)) => return Err(format!("git ls-files failed: {e}")),
        Ok(Ok(o)) => o,
    };
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("not a git repository") {
            return Ok(None);
        }
        return Err(format!("git ls-files failed: {}", err.trim()));
    }
    Ok(Some(
        out.stdout
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_env_files_are_the_machines_own() {
        assert!(is_local_env(".env"));
        assert!(is_local_env("api/.env.local"));
        assert!(is_local_env(".env.production.local"));
        assert!(!is_local_env(".env.production"));
        assert!(!is_local_env("prod.env"));
    }
}
