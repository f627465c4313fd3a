//! Continuous integration: the pipeline exists, and what it runs, when, and with which rights
//! (GitHub Actions workflows and `.gitlab-ci.yml`, parsed once in `model.rs`).

mod actions_pinned;
pub(crate) mod build_tools;
mod image_tags;
pub(crate) mod kinds;
mod least_privilege;
mod lint_step;
pub(crate) mod model;
mod no_prt_checkout;
mod release_on_tags;
pub(crate) mod scripts;
mod security_scan_step;
mod tests_on_prs;
mod workflow_present;

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, Evidence, Outcome, Params, text_list,
};

use crate::wording::{bind_unless_claims_more, has_any, human_act, leftover, words};
use model::{Pipelines, Step, Triggers};

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![
        Arc::new(workflow_present::WorkflowPresent),
        Arc::new(tests_on_prs::TestsOnPullRequests),
        Arc::new(lint_step::LintStep),
        Arc::new(security_scan_step::SecurityScanStep),
        Arc::new(least_privilege::LeastPrivilegePermissions),
        Arc::new(actions_pinned::ActionsPinned),
        Arc::new(no_prt_checkout::NoPullRequestTargetCheckout),
        Arc::new(release_on_tags::ReleaseOnTags),
        Arc::new(image_tags::ImageTags),
    ]
}

/// A recognised step: where it is, what it runs, and when its job runs.
pub(crate) struct Hit {
    pub rel: String,
    pub line: usize,
    pub what: String,
    pub triggers: Triggers,
}

impl Hit {
    pub fn evidence(&self) -> Evidence {
        Evidence::at(self.rel.clone(), Some(self.line), self.what.clone())
    }
}

/// A focused lint or scan: pass when every named subject is looked at, naming the steps.
/// `None` when no subject it names is known (the check then judges any lint or scan).
pub(crate) fn focus_outcome(
    verb: &str,
    (found, missing, named): &(Vec<Hit>, Vec<&kinds::Focus>, Vec<&str>),
    files: usize,
) -> Option<Outcome> {
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|f| f.name).collect();
        let tools: Vec<&str> = missing
            .iter()
            .flat_map(|f| f.names.iter().chain(f.commands).take(3).copied())
            .collect();
        let mut o = Outcome::fail(format!(
            "no CI step {verb} {} (looked in {files} CI file{} for {}…)",
            names.join(", "),
            if files == 1 { "" } else { "s" },
            tools.join(", ")
        ));
        for h in found.iter().take(5) {
            o = o.with_evidence(h.evidence());
        }
        return Some(o);
    }
    let first = found.first()?;
    // "with", not a colon: "secrets: <tool>" reads as an assignment to the redaction net.
    let mut o = Outcome::pass(format!(
        "CI {verb} {} with {} ({}:{})",
        named.join(", "),
        first.what,
        first.rel,
        first.line
    ));
    for h in found.iter().take(5) {
        o = o.with_evidence(h.evidence());
    }
    Some(o)
}

/// The foci named by a check's `param` (`for`, `kind`) that no CI step looks at, and the
/// steps that look at the others: a focused lint or scan passes only when every named
/// subject is looked at.
pub(crate) fn focus_hits(
    p: &Pipelines,
    list: &'static [kinds::Focus],
    params: &Params,
    param: &str,
) -> (Vec<Hit>, Vec<&'static kinds::Focus>, Vec<&'static str>) {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    let mut named = Vec::new();
    for name in text_list(params, param) {
        let Some(f) = kinds::focus(list, &name) else {
            continue;
        };
        let h = hits(p, |s| kinds::looks_at(s, f));
        if h.is_empty() {
            missing.push(f);
        }
        named.push(f.name);
        found.extend(h);
    }
    (found, missing, named)
}

/// Every step of every pipeline that `kind` recognises.
pub(crate) fn hits(p: &Pipelines, kind: impl Fn(&Step) -> Option<String>) -> Vec<Hit> {
    let mut out = Vec::new();
    for pl in &p.list {
        for job in &pl.jobs {
            for s in &job.steps {
                if let Some(what) = kind(s) {
                    out.push(Hit {
                        rel: pl.rel.clone(),
                        line: s.line,
                        what,
                        triggers: pl.job_triggers(job).clone(),
                    });
                }
            }
        }
    }
    out
}

/// Words that ask for CI *results* (a run that passed), which a workflow file cannot show.
const RESULT_WORDS: &[&str] = &[
    "passing",
    "passes",
    "passed",
    "pass",
    "green",
    "clean",
    "succeeds",
    "successful",
    "resolved",
    "fixed",
    "validated",
    "verified",
    "tested",
    "working",
    "ran",
];

/// The common binder of the `ci.*` step checks: the item must name CI and the kind of step;
/// it is declined when it asks for results or a person's judgement, or claims more.
/// When CI runs a step ("on every PR", "before merge"): words a step's item may add.
pub(crate) const WHEN_WORDS: &[&str] = &[
    "change", "changes", "push", "pull", "request", "requests", "pr", "prs", "merge",
];

pub(crate) fn bind_step(
    lower: &str,
    names: &[&str],
    allowed: &[&str],
    candidate: AutoBinding,
) -> BindVerdict {
    if !has_any(lower, names) {
        return BindVerdict::No;
    }
    let w = words(lower);
    if let Some(act) = human_act(lower) {
        return BindVerdict::Declined {
            why: format!("\"{act}\" is a person's judgement; a workflow file does not prove it"),
            candidates: vec![candidate],
        };
    }
    if let Some(r) = RESULT_WORDS.iter().find(|r| w.contains(r)) {
        return BindVerdict::Declined {
            why: format!(
                "\"{r}\" asks for CI results; the workflow files only show what CI would run"
            ),
            candidates: vec![candidate],
        };
    }
    let mut used: Vec<&str> = names.to_vec();
    used.extend_from_slice(allowed);
    used.extend_from_slice(CI_WORDS);
    // "CI lints, tests and scans every PR": the other steps named beside this one are each
    // their own check's, and bind there.
    used.extend_from_slice(SIBLING_STEPS);
    let extra = leftover(lower, &used);
    bind_unless_claims_more(&extra, 0, "the workflow files can show", vec![candidate])
}

/// Kinds of CI step a checklist lists together, each bound by its own check.
const SIBLING_STEPS: &[&str] = &[
    "lint", "lints", "linting", "test", "tests", "testing", "scan", "scans", "scanning", "audit",
    "audits", "auditing",
];

/// Phrases that say the item is about CI.
pub(crate) const CI_NAMES: &[&str] = &[
    "ci",
    "ci/cd",
    "pipeline",
    "pipelines",
    "workflow",
    "workflows",
    "github actions",
    "gitlab ci",
    "continuous integration",
];

/// Whether the item is about CI: it names CI, or its heading or parent item does
/// ("Linting enabled" under "## CI/CD"), or the whole item does when one of its claims is read
/// ("lint" in "We lint, test and audit in CI").
pub(crate) fn in_ci_context(view: &gonogo_engine::catalogue::ItemView<'_>) -> bool {
    names_ci(view.lower)
        || names_ci(&view.item.display_text.to_lowercase())
        || view
            .item
            .section
            .iter()
            .any(|h| has_any(&h.to_lowercase(), CI_NAMES))
        || view.parent_lower.is_some_and(|p| has_any(p, CI_NAMES))
}

/// Whether `lower` names CI or a hosted CI by its product name.
pub(crate) fn names_ci(lower: &str) -> bool {
    // `npm ci` is an install command, not CI.
    let lower = lower.replace("npm ci", "npm");
    has_any(&lower, CI_NAMES) || has_any(&lower, CI_PRODUCTS)
}

/// CI services by name: an item naming one is about CI ("pip-audit in Jenkins").
pub(crate) const CI_PRODUCTS: &[&str] = &[
    "jenkins",
    "circleci",
    "travis",
    "buildkite",
    "azure pipelines",
    "bitbucket pipelines",
    "gitlab-ci",
    ".gitlab-ci.yml",
    ".github/workflows",
];

/// Words that name the CI itself.
pub(crate) const CI_WORDS: &[&str] = &[
    "ci",
    "ci/cd",
    "cd",
    "pipeline",
    "pipelines",
    "workflow",
    "workflows",
    "github",
    "actions",
    "action",
    "gitlab",
    "continuous",
    "integration",
    "job",
    "jobs",
    "step",
    "steps",
    "stage",
    "on",
    "every",
    "each",
    "automated",
    "automatic",
    "automatically",
    "runs",
    "run",
    "running",
    "execute",
    "executes",
    "include",
    "includes",
    "part",
    "by",
    "enabled",
];

/// The outcome when there is no pipeline to look at.
pub(crate) fn no_pipelines(p: &Pipelines) -> Option<Outcome> {
    p.none_reason().map(|r| {
        if p.errors.is_empty() {
            Outcome::skipped(r)
        } else {
            Outcome::error(r)
        }
    })
}
