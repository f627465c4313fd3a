//! `ci.no-pull-request-target-checkout` — no privileged workflow checks out a pull request's code.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use super::model::{self, Step};
use crate::wording::has_any;

pub struct NoPullRequestTargetCheckout;

static META: CheckMeta = CheckMeta {
    id: "ci.no-pull-request-target-checkout",
    title: "No pull_request_target workflow checks out the pull request's code",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "No GitHub Actions workflow triggered by `pull_request_target` or `workflow_run` \
               checks out the pull request's head: `actions/checkout` with a `ref` or \
               `repository` taken from `github.event.pull_request.head.*`, `github.head_ref`, \
               `refs/pull/…` or `github.event.workflow_run.head_*`, or a `gh pr checkout` / \
               `git fetch … pull/…` in a run step.",
        why: "Those triggers run with the base repository's secrets and a write token; checking \
              out and building the untrusted head lets any fork's pull request run code with \
              them (\"pwn request\").",
        fix: "Use `pull_request` for anything that builds or tests the contribution; keep \
              `pull_request_target` to labelling or commenting without checking out the head, \
              or pass results through artifacts from an unprivileged `pull_request` run.",
        example: "on: pull_request_target\njobs:\n  label:\n    permissions: {pull-requests: write}\n    steps:\n      - uses: actions/labeler@<sha>",
        binds: &[
            "No dangerous pull_request_target checkout",
            "No pull_request_target workflow checks out PR code",
            "`pull_request_target` workflows do not check out the PR head",
        ],
        not_binds: &[
            "Tests run on every pull request",
            "Branch protection rules applied to main branches.",
        ],
    },
};

const HEAD_REFS: &[&str] = &[
    "github.event.pull_request.head",
    "github.head_ref",
    "refs/pull/",
    "github.event.pull_request.merge_commit_sha",
    "github.event.workflow_run.head",
    "github.event.number",
    "github.event.issue.number",
];

fn checks_out_head(s: &Step) -> Option<String> {
    if s.action().as_deref() == Some("actions/checkout") {
        for key in ["ref", "repository"] {
            if let Some(v) = s.input(key)
                && HEAD_REFS.iter().any(|h| v.contains(h))
            {
                return Some(format!("actions/checkout with {key}: {v}"));
            }
        }
        return None;
    }
    let run = s.run.as_deref()?;
    model::command_lines(run).into_iter().find(|l| {
        l.contains("gh pr checkout")
            || (l.contains("git fetch") && l.contains("pull/"))
            || (l.contains("git checkout") && HEAD_REFS.iter().any(|h| l.contains(h)))
    })
}

#[async_trait::async_trait]
impl Check for NoPullRequestTargetCheckout {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["pull_request_target", "pwn"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        if has_any(
            view.lower,
            &["pull_request_target", "pwn request", "pwn requests"],
        ) {
            BindVerdict::Bind(vec![AutoBinding::new(
                "wording names pull_request_target (privileged pull request workflows)",
            )])
        } else {
            BindVerdict::No
        }
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let p = model::pipelines(&ctx);
        let gh: Vec<&model::Pipeline> = p.github().collect();
        if gh.is_empty() {
            return if p.errors.is_empty() {
                Outcome::skipped("no GitHub Actions workflow in the repository")
            } else {
                Outcome::error(format!(
                    "no workflow could be read: {}",
                    p.errors.join("; ")
                ))
            };
        }
        let privileged: Vec<&&model::Pipeline> = gh
            .iter()
            .filter(|w| w.triggers.pull_request_target || w.triggers.workflow_run)
            .collect();
        let mut bad = Vec::new();
        for w in &privileged {
            for j in &w.jobs {
                for s in &j.steps {
                    if let Some(what) = checks_out_head(s) {
                        bad.push(Evidence::at(w.rel.clone(), Some(s.line), what));
                    }
                }
            }
        }
        if bad.is_empty() {
            return Outcome::pass(if privileged.is_empty() {
                format!(
                    "no workflow of {} uses pull_request_target or workflow_run",
                    gh.len()
                )
            } else {
                format!(
                    "{} pull_request_target/workflow_run workflow{} check{} out no pull request code",
                    privileged.len(),
                    if privileged.len() == 1 { "" } else { "s" },
                    if privileged.len() == 1 { "s" } else { "" }
                )
            });
        }
        let mut o = Outcome::fail(format!(
            "{}:{} checks out the pull request's code in a privileged workflow ({}): use `pull_request` to build untrusted code",
            bad[0].file.as_deref().unwrap_or(""),
            bad[0].line.unwrap_or(0),
            bad[0].detail
        ));
        for e in bad.into_iter().take(10) {
            o = o.with_evidence(e);
        }
        o
    }
}
