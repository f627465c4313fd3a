//! `ci.tests-on-pull-requests` — CI runs the test suite on pull requests and on the main branch.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, ParamKind, ParamSpec,
    Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::{bind_step, hits, kinds, model, no_pipelines};
use crate::wording::{EXISTENCE, has_any, leftover, says_more};

pub struct TestsOnPullRequests;

static META: CheckMeta = CheckMeta {
    id: "ci.tests-on-pull-requests",
    title: "CI runs the tests on pull requests and on the main branch",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "events",
        kind: ParamKind::TextList,
        default: Some("pull_request,main"),
        required: false,
        doc: "when the tests must run: pull_request, main (pushes to the default branch), or \
              any (any trigger at all)",
    }],
    docs: CheckDocs {
        what: "A GitHub Actions workflow or GitLab CI job runs a test command of a known \
               ecosystem (cargo test/nextest, pytest, tox, npm/yarn/pnpm test, jest, vitest, go \
               test, mvn verify, gradle test, dotnet test, rspec, phpunit, make test…) and is \
               triggered by pull requests (pull_request, merge_group, merge request pipelines) \
               and by pushes to main/master. Local reusable workflows count under their caller.",
        why: "Tests that do not run before merging catch nothing; tests that do not run on main \
              miss what merges break together.",
        fix: "Trigger the test workflow with `on: {pull_request: {}, push: {branches: [main]}}` \
              and run the suite in a step (e.g. `run: cargo test --workspace`).",
        example: "on:\n  pull_request:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@<sha>\n      - run: pytest -q",
        binds: &[
            "Automated tests in CI pipeline",
            "Tests run on every pull request",
            "CI runs the test suite on pull requests and on main",
            "Unit tests run in CI",
            "Unit tests gate merges",
            "We run pytest on every pull request and on main",
            "CI: go test on pull requests",
            "Tests also run on pushes to master",
            "Integration tests written",
            "Merge to main only if the tests pass",
        ],
        not_binds: &[
            "All tests passing",
            "Tests: unit & integration tests pass locally and in CI for core services.",
            "Integration tests passing",
            "GitHub Actions configured",
            "Load tests run before each launch",
            "Test coverage above 80% in CI",
            "Restore tested before merging the migration",
            "npm ci && npm test",
            "Chaos tests",
            "A schedule for failover and testing",
        ],
    },
};

const TEST_WORDS: &[&str] = &["test", "tests", "test suite", "testing"];

/// Test runners by name: "pytest on every pull request" runs the tests.
const TEST_RUNNERS: &[&str] = &[
    "pytest",
    "go test",
    "cargo test",
    "cargo nextest",
    "npm test",
    "yarn test",
    "pnpm test",
    "jest",
    "vitest",
    "mocha",
    "tox",
    "nox",
    "rspec",
    "phpunit",
    "mvn verify",
    "mvn test",
    "gradle test",
    "dotnet test",
    "make test",
];

/// Words that make the tests a condition of merging.
const GATING: &[&str] = &[
    "gate merges",
    "gate merging",
    "gates merges",
    "block merges",
    "blocks merges",
    "block merging",
    "before merge",
    "before merging",
    "required to merge",
];

/// The words of `GATING`.
const GATING_WORDS: &[&str] = &[
    "gate", "gates", "block", "blocks", "merges", "merging", "before", "required",
];

/// Kinds of automated test a suite holds.
/// Testing that is a practice of its own, which running the test suite in CI does not show.
const OTHER_KINDS: &[&str] = &[
    "contract",
    "contract testing",
    "mutation",
    "chaos",
    "fuzz",
    "fuzzing",
    "penetration",
    "pentest",
    "load",
    "stress",
    "soak",
    "performance",
    "usability",
    "accessibility",
    "a/b",
    "canary",
    "smoke",
    "synthetic",
];

const TEST_KINDS: &[&str] = &[
    "unit",
    "integration",
    "e2e",
    "end-to-end",
    "end to end",
    "acceptance",
    "regression",
    "functional",
    "automated",
];

/// Words saying tests exist, beside `EXISTENCE`.
const EXIST: &[&str] = &["written", "have", "has"];

/// "merge into master only if tests pass", "merged as long as the tests pass": a merge
/// waiting on tests is tests gating merges.
fn merge_waits_for_tests(lower: &str) -> bool {
    has_any(lower, &["merge", "merged", "merges", "merging"])
        && has_any(
            lower,
            &[
                "only if",
                "only when",
                "as long as",
                "unless",
                "until",
                "must pass",
                "accepted",
            ],
        )
}

/// `lower` with the given words left out.
fn without_words(lower: &str, drop: &[&str]) -> String {
    lower
        .split(' ')
        .filter(|w| !drop.contains(&w.trim_matches(|c: char| !c.is_alphanumeric())))
        .collect::<Vec<_>>()
        .join(" ")
}

/// "run on pushes to master", "on every commit": only CI runs tests on a push.
fn runs_on_push(lower: &str) -> bool {
    has_any(
        lower,
        &[
            "on push",
            "on pushes",
            "on every push",
            "on each push",
            "pushes to",
            "push to",
            "on every commit",
            "on each commit",
        ],
    )
}

pub(super) fn names_pr(lower: &str) -> bool {
    has_any(
        lower,
        &[
            "pull request",
            "pull requests",
            "pr",
            "prs",
            "merge request",
            "merge requests",
            "mr",
            "mrs",
        ],
    )
}

#[async_trait::async_trait]
impl Check for TestsOnPullRequests {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// Test results, gates or coverage in CI need CI to run the tests.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["test"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let mut names: Vec<&str> = TEST_WORDS.to_vec();
        names.extend_from_slice(TEST_RUNNERS);
        // Tests that gate merging run on pull requests ("unit tests gate merges"), and a test
        // runner named where the item names CI runs there ("pytest on every pull request").
        let gates = has_any(lower, GATING) || merge_waits_for_tests(lower);
        // "Unit tests", "Integration tests written": kinds of test said to exist are the suite
        // CI runs; whether they pass is CI's result, not the item's claim.
        // Nothing else may be said: "smoke", "load" or "chaos" tests are other claims.
        // The whole item says so too: "testing" split out of "a schedule for failover and
        // testing" is not a test suite.
        let test_words: Vec<&str> = [TEST_WORDS, TEST_KINDS, EXIST, EXISTENCE]
            .concat()
            .into_iter()
            .chain(["cases", "case", "suite", "suites"])
            .collect();
        let kinds_exist = has_any(lower, TEST_WORDS)
            && leftover(lower, &test_words).is_empty()
            && !says_more(
                &leftover(&view.item.display_text.to_lowercase(), &test_words),
                0,
            );
        // "Automated testing", "tests run automatically": automation is a pipeline's.
        let automated = has_any(
            &view.item.display_text.to_lowercase(),
            &[
                "automated test",
                "automated tests",
                "automated testing",
                "automatic tests",
            ],
        ) || has_any(lower, &["automatically", "automated"]);
        if !has_any(lower, &names)
            || !(super::names_ci(lower)
                || super::names_ci(&view.item.display_text.to_lowercase())
                || names_pr(lower)
                || gates
                || automated
                || kinds_exist
                || runs_on_push(lower))
        {
            return BindVerdict::No;
        }
        // Kinds of testing a CI test step does not show by running "the tests": contract,
        // chaos or load testing are suites of their own, and a suite "updated regularly" is
        // upkeep, not a run.
        if has_any(lower, OTHER_KINDS)
            || has_any(
                lower,
                &[
                    "updated regularly",
                    "regularly updated",
                    "kept up to date",
                    "maintained",
                    "flaky",
                    "quarantined",
                ],
            )
        {
            return BindVerdict::Declined {
                why: "that kind of testing, or a suite's upkeep, is a practice of its own: a CI \
                      test step does not show it"
                    .into(),
                candidates: Vec::new(),
            };
        }
        // "merge into master only if tests pass" names the branch merged into, not pushes to it.
        let names_main = has_any(lower, &["main", "master", "main branch", "default branch"])
            && !merge_waits_for_tests(lower);
        let events: Vec<&str> = match (names_pr(lower) || gates, names_main) {
            (true, true) => vec!["pull_request", "main"],
            (true, false) => vec!["pull_request"],
            (false, true) => vec!["main"],
            (false, false) => vec!["any"],
        };
        let mut allowed: Vec<&str> = GATING_WORDS.to_vec();
        allowed.extend_from_slice(&[
            "automatically",
            "automated",
            "unit",
            "integration",
            "e2e",
            "end-to-end",
            "suite",
            "full",
            "pull",
            "request",
            "requests",
            "pull_request",
            "pr",
            "prs",
            "merge",
            "mr",
            "mrs",
            "main",
            "master",
            "branch",
            "default",
            "push",
            "pushes",
            "trigger",
            "triggers",
            "triggered",
            "every",
            "each",
            "open",
            "opened",
            "change",
            "changes",
            "commit",
            "commits",
            "fail",
            "fails",
            "failing",
            "failure",
            "failures",
            "go",
            "cargo",
            "npm",
            "acceptance",
            "regression",
            "functional",
            "cases",
            "case",
        ]);
        allowed.extend_from_slice(EXIST);
        allowed.extend_from_slice(EXISTENCE);
        if automated {
            // "automated testing as part of the build and release process": the pipeline.
            allowed.extend_from_slice(&["build", "builds", "release", "releases", "process"]);
        }
        if gates {
            allowed.extend_from_slice(&[
                "allow", "allowed", "only", "if", "when", "as", "long", "unless", "until",
                "accepted", "merged",
            ]);
        }
        // Tests that must pass before a merge gate it: "pass" there is the rule, not a result.
        let text = if gates {
            without_words(lower, &["pass", "passes", "succeed", "succeeds", "green"])
        } else {
            lower.to_string()
        };
        bind_step(
            &text,
            &names,
            &allowed,
            AutoBinding::new("wording says CI runs the tests").with("events", Value::from(events)),
        )
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let events: Vec<String> = params
            .get("events")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_else(|| vec!["pull_request".into(), "main".into()]);
        for e in &events {
            if !matches!(e.as_str(), "pull_request" | "main" | "any") {
                return Outcome::error(format!(
                    "unknown event `{e}` (use pull_request, main or any)"
                ));
            }
        }
        let p = model::pipelines(&ctx);
        if let Some(o) = no_pipelines(&p) {
            return o;
        }
        let found = hits(&p, kinds::test);
        if found.is_empty() {
            return Outcome::fail(format!(
                "no CI step runs tests (looked in {} CI file{} for cargo test, pytest, npm test, go test…): add a test step",
                p.list.len(),
                if p.list.len() == 1 { "" } else { "s" }
            ));
        }
        let any = events.iter().any(|e| e == "any");
        let on_pr = found.iter().find(|h| h.triggers.pull_request);
        let on_main = found.iter().find(|h| h.triggers.main);
        let mut missing = Vec::new();
        if !any && events.iter().any(|e| e == "pull_request") && on_pr.is_none() {
            missing.push("pull requests");
        }
        if !any && events.iter().any(|e| e == "main") && on_main.is_none() {
            missing.push("pushes to main");
        }
        if !missing.is_empty() {
            let h = &found[0];
            return Outcome::fail(format!(
                "tests run in CI ({}:{}) but not on {}: add `{}` to that workflow's triggers",
                h.rel,
                h.line,
                missing.join(" or "),
                if missing.contains(&"pull requests") {
                    "pull_request"
                } else {
                    "push: {branches: [main]}"
                }
            ))
            .with_evidence(h.evidence());
        }
        let mut o = Outcome::pass(format!(
            "tests run in CI{}: {} ({}:{})",
            if any { "" } else { " on the requested events" },
            found[0].what,
            found[0].rel,
            found[0].line
        ));
        let mut shown: Vec<&super::Hit> = Vec::new();
        for h in [on_pr, on_main]
            .into_iter()
            .flatten()
            .chain(found.iter().take(1))
        {
            if !shown.iter().any(|s| s.rel == h.rel && s.line == h.line) {
                shown.push(h);
            }
        }
        for h in shown {
            o = o.with_evidence(h.evidence());
        }
        o
    }
}
