//! `ci.lint-step` — CI runs a linter.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, ParamKind, ParamSpec,
    Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::{bind_step, focus_hits, hits, in_ci_context, kinds, model, no_pipelines};
use crate::wording::has_any;

pub struct LintStep;

/// What linting is called.
const LINT_WORDS: &[&str] = &[
    "lint",
    "linted",
    "linting",
    "linter",
    "linters",
    "static analysis",
    "static code analysis",
    "format check",
    "format checks",
    "formatting check",
    "formatting checks",
    "formatting",
    "formatter",
    "style check",
    "style checks",
    "code style",
];

/// Linters and format checkers by name: in CI, naming one says CI runs it ("ruff and mypy in
/// the pipeline"). The same tools the step recognisers look for (`kinds::lint`).
const LINTERS: &[&str] = &[
    "clippy",
    "cargo clippy",
    "rustfmt",
    "cargo fmt",
    "ruff",
    "flake8",
    "pylint",
    "black",
    "isort",
    "mypy",
    "pyright",
    "eslint",
    "biome",
    "prettier",
    "tsc",
    "golangci-lint",
    "go vet",
    "staticcheck",
    "gofmt",
    "shellcheck",
    "hadolint",
    "rubocop",
    "pre-commit",
    "actionlint",
    "yamllint",
    "markdownlint",
    "tflint",
    "ktlint",
    "detekt",
    "spotless",
    "checkstyle",
    "phpstan",
    "phpcs",
    "clang-tidy",
    "clang-format",
    "swiftlint",
    "stylelint",
    "super-linter",
    "megalinter",
];

/// Words that say linting happens without anyone running it.
const AUTOMATIC: &[&str] = &[
    "automatically",
    "automatic",
    "automated",
    "enforced",
    "enforces",
    "every commit",
    "every push",
    "every pull request",
    "each commit",
    "each push",
    // Linting on a pull request is a CI status check: nobody lints a pull request by hand.
    "pull request",
    "pull requests",
    "merge request",
    "merge requests",
];

static META: CheckMeta = CheckMeta {
    id: "ci.lint-step",
    title: "CI runs a lint step",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "for",
        kind: ParamKind::TextList,
        default: None,
        required: false,
        doc: "what must be linted, when the item names it: dockerfile (hadolint, trivy config, \
              kics, checkov), terraform (tflint, terraform validate, tfsec), shell \
              (shellcheck, shfmt), kubernetes (helm lint, kubeconform, kube-linter), workflows \
              (actionlint, zizmor); super-linter and MegaLinter count for each. Empty: any \
              linter",
    }],
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
            "Run golangci-lint in the pipeline",
            "ESLint and Prettier checks on every pull request in CI",
            "CI: clippy + rustfmt",
            "The pipeline fails on formatting violations",
            "Code formatting is enforced automatically",
            "Linting on every push",
            "Linters run on pull requests",
        ],
        not_binds: &[
            "Linting passes",
            "Linting clean (`pre-commit run --all-files`)",
            "All linting issues fixed for all languages used (Python, JS/TS, Shell, etc.).",
            "Pre-commit hooks installed for every developer",
            "CI: eslint warnings resolved",
            "Black formatting applied to the codebase",
        ],
    },
};

#[async_trait::async_trait]
impl Check for LintStep {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        let mut t = vec!["lint", "static", "format", "style"];
        t.extend(crate::wording::triggers_of(&[LINTERS]));
        t
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        // Linting said to happen by itself ("formatting enforced automatically", "linting on
        // every push") happens in CI, wherever the item stands.
        // "Lint your Dockerfile": a subject's linting is kept where the repository keeps
        // such habits, in CI, wherever the item stands.
        let foci = kinds::foci_named(kinds::LINT_FOCUS, lower);
        let focused = !foci.is_empty() && (has_any(lower, LINT_WORDS) || has_any(lower, LINTERS));
        if !in_ci_context(view) && !has_any(lower, AUTOMATIC) && !focused {
            return BindVerdict::No;
        }
        let mut names: Vec<&str> = LINT_WORDS.to_vec();
        names.extend_from_slice(LINTERS);
        let mut binding = AutoBinding::new("wording says CI runs a linter");
        let mut subjects: Vec<&str> = Vec::new();
        if focused {
            for f in &foci {
                subjects.extend_from_slice(f.words);
                subjects.extend_from_slice(f.names);
            }
            binding = AutoBinding::new(format!(
                "wording says CI lints {}",
                foci.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
            ))
            .with(
                "for",
                Value::from(foci.iter().map(|f| f.name).collect::<Vec<_>>()),
            );
        }
        bind_step(
            lower,
            &names,
            &[
                &[
                    "format",
                    "formatting",
                    "check",
                    "checks",
                    "code",
                    "style",
                    // `cargo clippy -- -D warnings`: warnings fail the step.
                    "warnings",
                    "d",
                    "all-targets",
                    "violations",
                    "fail",
                    "fails",
                    "gate",
                    "gates",
                    "block",
                    "blocks",
                    "build",
                    "enforce",
                    "enforced",
                    "coding",
                    "standards",
                    "conventions",
                    "consistent",
                    "enforces",
                    "repository",
                    "repositories",
                    "all",
                ][..],
                super::WHEN_WORDS,
                &subjects,
                &[
                    "your",
                    "misconfigurations",
                    "detect",
                    "analyzers",
                    "analyzer",
                    "scanners",
                    "scanner",
                    "automated",
                    "during",
                    "development",
                    "tool",
                    "like",
                    "checked",
                ],
            ]
            .concat(),
            binding,
        )
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let p = model::pipelines(&ctx);
        if let Some(o) = no_pipelines(&p) {
            return o;
        }
        let focused = focus_hits(&p, kinds::LINT_FOCUS, &params, "for");
        if let Some(o) = super::focus_outcome("lints", &focused, p.list.len()) {
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
