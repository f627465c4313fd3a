//! `ci.lint-step` — CI runs a linter.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::{bind_step, hits, in_ci_context, kinds, model, no_pipelines};

pub struct LintStep;

static META: CheckMeta = CheckMeta {
    id: "ci.lint-step",
    title: "CI runs a lint step",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A GitHub Actions or GitLab CI step runs a linter or format check of a known \
               ecosystem: cargo clippy, cargo fmt --check, ruff, flake8, pylint, mypy, eslint, \
               prettier --check, golangci-lint, go vet, shellcheck, hadolint, rubocop, \
               pre-commit run, actionlint, or an action such as golangci-lint-action, \
               pre-commit/action or super-linter.",
        why: "A linter in CI stops whole classes of bugs and style drift at review time, for \
              every contributor, instead of relying on each person's editor.",
        fix: "Add a lint job, e.g. `- run: cargo clippy --all-targets -- -D warnings` or \
              `- uses: pre-commit/action@<sha>`.",
        example: "jobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@<sha>\n      - run: ruff check .",
        binds: &[
            "Lint step in CI",
            "Linting runs in the CI pipeline",
            "CI lint job configured",
        ],
        not_binds: &[
            "Linting passes",
            "Linting clean (`pre-commit run --all-files`)",
            "All linting issues fixed for all languages used (Python, JS/TS, Shell, etc.).",
        ],
    },
};

#[async_trait::async_trait]
impl Check for LintStep {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["lint", "static"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !in_ci_context(view) {
            return BindVerdict::No;
        }
        bind_step(
            lower,
            &["lint", "linting", "linter", "linters", "static analysis"],
            &["format", "formatting", "check", "checks", "code"],
            AutoBinding::new("wording says CI runs a linter"),
        )
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let p = model::pipelines(&ctx);
        if let Some(o) = no_pipelines(&p) {
            return o;
        }
        let found = hits(&p, kinds::lint);
        match found.first() {
            None => Outcome::fail(format!(
                "no CI step runs a linter (looked in {} CI file{} for clippy, ruff, eslint, golangci-lint, pre-commit…): add a lint job",
                p.list.len(),
                if p.list.len() == 1 { "" } else { "s" }
            )),
            Some(h) => {
                let mut o = Outcome::pass(format!("CI lints: {} ({}:{})", h.what, h.rel, h.line));
                for h in found.iter().take(5) {
                    o = o.with_evidence(h.evidence());
                }
                o
            }
        }
    }
}
