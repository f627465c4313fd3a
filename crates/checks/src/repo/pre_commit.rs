//! `repo.pre-commit` — commit hooks are configured (pre-commit, lefthook, husky).

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use crate::wording::{bind_unless_claims_more, has_any, human_act, leftover, words};
use crate::yaml;

pub struct PreCommit;

static META: CheckMeta = CheckMeta {
    id: "repo.pre-commit",
    title: "Pre-commit hooks configured",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A .pre-commit-config.yaml with at least one hook under `repos:`, or another hook \
               manager's configuration (lefthook.yml, .lefthook.yml, a non-empty .husky/ folder).",
        why: "Hooks run the formatters and linters before a commit leaves the developer's \
              machine, so CI failures and review comments about style become rare.",
        fix: "Add .pre-commit-config.yaml with the project's formatters and linters and run \
              `pre-commit install`; run `pre-commit run --all-files` in CI as well.",
        example: ".pre-commit-config.yaml:\n  repos:\n    - repo: https://github.com/astral-sh/ruff-pre-commit\n      rev: v0.8.0\n      hooks: [{id: ruff}, {id: ruff-format}]",
        binds: &[
            "Pre-commit hooks configured",
            "pre-commit config committed",
            "Git hooks set up",
        ],
        not_binds: &[
            "Linting clean (`pre-commit run --all-files`)",
            "Pre-commit checks pass",
        ],
    },
};

#[async_trait::async_trait]
impl Check for PreCommit {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["pre-commit"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["commit", "hook", "husky", "lefthook"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(
            lower,
            &[
                "pre-commit",
                "precommit",
                "git hooks",
                "commit hooks",
                "husky",
                "lefthook",
            ],
        ) {
            return BindVerdict::No;
        }
        let w = words(lower);
        // "pre-commit run …" and "… pass" ask for a run's result.
        if w.iter().any(|x| {
            matches!(
                *x,
                "run" | "pass" | "passes" | "passing" | "clean" | "green"
            )
        }) {
            return BindVerdict::No;
        }
        let c = vec![AutoBinding::new("wording says commit hooks are configured")];
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement"),
                candidates: c,
            };
        }
        let extra = leftover(
            lower,
            &[
                "pre-commit",
                "precommit",
                "git",
                "commit",
                "hooks",
                "hook",
                "husky",
                "lefthook",
                "config",
                "configuration",
                "installed",
            ],
        );
        bind_unless_claims_more(&extra, 0, "a hook configuration", c)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        if let Some(rel) =
            super::first_file(&ctx, &[".pre-commit-config.yaml", ".pre-commit-config.yml"])
        {
            let f = yaml::load(&ctx, rel);
            let f = match f.as_ref() {
                Ok(f) => f,
                Err(e) => return Outcome::error(e.clone()),
            };
            let hooks: Vec<String> = f
                .docs
                .first()
                .and_then(|d| yaml::get(d, "repos"))
                .map(|r| {
                    yaml::items(r)
                        .iter()
                        .flat_map(|repo| yaml::get(repo, "hooks").map(yaml::items).unwrap_or(&[]))
                        .filter_map(|h| yaml::get(h, "id").and_then(yaml::as_str))
                        .collect()
                })
                .unwrap_or_default();
            if hooks.is_empty() {
                return Outcome::fail(format!(
                    "{rel} defines no hook under `repos:`: add the project's formatters and linters"
                ));
            }
            let shown: Vec<&str> = hooks.iter().take(6).map(String::as_str).collect();
            return Outcome::pass(format!(
                "{rel} runs {} hook{}: {}",
                hooks.len(),
                if hooks.len() == 1 { "" } else { "s" },
                shown.join(", ")
            ))
            .with_evidence(Evidence::at(rel, None, format!("{} hooks", hooks.len())));
        }
        if let Some(rel) = super::first_file(
            &ctx,
            &[
                "lefthook.yml",
                ".lefthook.yml",
                "lefthook.yaml",
                "lefthook.toml",
            ],
        ) {
            return Outcome::pass(format!("lefthook configured in {rel}"))
                .with_evidence(Evidence::at(rel, None, "lefthook"));
        }
        if ctx
            .repo_index()
            .files
            .iter()
            .any(|f| f.rel.starts_with(".husky/") && !f.rel.starts_with(".husky/_/"))
        {
            return Outcome::pass("husky hooks in .husky/")
                .with_evidence(Evidence::at(".husky/", None, "husky"));
        }
        Outcome::fail(
            "no commit hook configuration (.pre-commit-config.yaml, lefthook.yml, .husky/): add .pre-commit-config.yaml",
        )
    }
}
