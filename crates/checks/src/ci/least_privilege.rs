//! `ci.least-privilege-permissions` — GitHub workflows declare read-only token permissions.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use super::model::{self, Permissions};
use super::{CI_NAMES, bind_step, in_ci_context};
use crate::wording::has_any;

pub struct LeastPrivilegePermissions;

/// The token whose rights the check reads.
const TOKEN: &[&str] = &[
    "github_token",
    "workflow token",
    "workflow tokens",
    "workflow permissions",
    "gh token",
    "actions token",
    "ci token",
];

/// Words that say the rights are kept small: least privilege, read-only, only what is needed,
/// no write-all.
const LIMITED: &[&str] = &[
    "least-privilege",
    "least privilege",
    "least",
    "privilege",
    "minimal",
    "minimum",
    "minimal permissions",
    "minimized",
    "minimised",
    "restricted",
    "read-only",
    "read-all",
    "contents: read",
    "contents read",
    "write-all",
    // "only the permissions each job needs", "only read permission"
    "only",
];

static META: CheckMeta = CheckMeta {
    id: "ci.least-privilege-permissions",
    title: "Workflows declare least-privilege token permissions",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "Every GitHub Actions workflow declares `permissions:` for its GITHUB_TOKEN: at \
               the top level, read-only (`read-all`, `{}` or scopes set to `read`/`none`), or \
               else on every job. Write scopes are accepted on a job, never at the top level; \
               `write-all` is refused anywhere. Missing declarations inherit the repository \
               default, which is read-write on many repositories.",
        why: "A compromised step (a hijacked action, an injected script) acts with the token's \
              rights; with `contents: write` it can push code and tags, with `packages: write` \
              replace images.",
        fix: "Add `permissions: {contents: read}` at the top of each workflow, and grant the \
              writes a job needs (`packages: write`, `id-token: write`) on that job only.",
        example: "permissions:\n  contents: read\njobs:\n  publish:\n    permissions:\n      contents: read\n      packages: write",
        binds: &[
            "Workflows use least-privilege permissions",
            "GitHub Actions permissions set to least privilege",
            "Least-privilege GITHUB_TOKEN permissions in CI workflows",
            "Workflow token permissions minimised (read-only by default)",
            "Top-level permissions: read-all in every workflow",
            "No workflow grants write-all to the GITHUB_TOKEN",
            "Workflows only ask for the permissions each job needs",
            "GITHUB_TOKEN read-only by default",
        ],
        not_binds: &[
            "Workflows are defined and use least-privilege service accounts or `QMOI_TOKEN` secret.",
            "RBAC configured",
            "Database permissions set",
            "Deploy token stored as a CI secret",
            "Workflow token rotated every 90 days",
            "Database users have read-only permissions",
            "API tokens have minimal scopes",
        ],
    },
};

#[async_trait::async_trait]
impl Check for LeastPrivilegePermissions {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec![
            "least",
            "privilege",
            "permission",
            "perms",
            "token",
            "read-all",
            "write-all",
        ]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        // Whose rights: the workflows' token. Other permissions (a database's, RBAC, service
        // accounts) are other checks'.
        // A token's permissions under a CI heading are the workflows' ("## CI" / "Token
        // permissions read-only").
        let token =
            has_any(lower, TOKEN) || (has_any(lower, &["token", "tokens"]) && in_ci_context(view));
        // GitHub Actions' own permission values name the workflows by themselves.
        let workflow_values = has_any(lower, &["read-all", "write-all", "contents: read"]);
        // A CI job's or step's permissions under a CI heading ("Job-level permissions
        // read-only") are the workflows' too.
        let ci_scope = has_any(lower, CI_NAMES)
            || (has_any(lower, &["job", "jobs", "step", "steps"]) && in_ci_context(view));
        if !ci_scope && !token && !workflow_values {
            return BindVerdict::No;
        }
        let about_rights = has_any(
            lower,
            &[
                "permissions",
                "permission",
                "perms",
                "scopes",
                "scoped",
                "least-privilege",
                "least privilege",
                "read-all",
                "write-all",
            ],
        ) || (token && has_any(lower, &["read-only", "read only"]));
        if !about_rights || !has_any(lower, LIMITED) {
            return BindVerdict::No;
        }
        let mut names: Vec<&str> = LIMITED.to_vec();
        names.extend_from_slice(TOKEN);
        bind_step(
            lower,
            &names,
            &[
                "permissions",
                "permission",
                "perms",
                "scopes",
                "scope",
                "scoped",
                "github_token",
                "gh",
                "token",
                "tokens",
                "set",
                "explicit",
                "top-level",
                "top",
                "level",
                "default",
                "whole",
                "contents",
                "read",
                "grant",
                "grants",
                "granted",
                "give",
                "given",
                "drop",
                "remove",
                "ask",
                "asks",
                "request",
                "requests",
                "job",
                "jobs",
                "definitions",
                "no",
                "never",
                "need",
                "needs",
                "require",
                "requires",
                "required",
                "use",
                "uses",
            ],
            AutoBinding::new("wording asks for least-privilege workflow permissions"),
        )
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let p = model::pipelines(&ctx);
        let gh: Vec<&model::Pipeline> = p.github().collect();
        if gh.is_empty() {
            return if p.errors.is_empty() {
                Outcome::skipped(
                    "no GitHub Actions workflow (token permissions are a GitHub Actions setting)",
                )
            } else {
                Outcome::error(format!(
                    "no workflow could be read: {}",
                    p.errors.join("; ")
                ))
            };
        }
        let mut problems: Vec<Evidence> = Vec::new();
        for w in &gh {
            match &w.permissions {
                Some((perm, line)) => {
                    let writes = perm.writes();
                    if !writes.is_empty() {
                        problems.push(Evidence::at(
                            w.rel.clone(),
                            Some(*line),
                            format!("top-level permissions grant {}", writes.join(", ")),
                        ));
                    }
                }
                None => {
                    let bare: Vec<&str> = w
                        .jobs
                        .iter()
                        .filter(|j| j.permissions.is_none())
                        .map(|j| j.name.as_str())
                        .collect();
                    if !bare.is_empty() {
                        problems.push(Evidence::at(
                            w.rel.clone(),
                            None,
                            format!(
                                "no top-level permissions, and job{} {} declare{} none",
                                if bare.len() == 1 { "" } else { "s" },
                                bare.join(", "),
                                if bare.len() == 1 { "s" } else { "" }
                            ),
                        ));
                    }
                }
            }
            for j in &w.jobs {
                if let Some((Permissions::WriteAll, line)) = &j.permissions {
                    problems.push(Evidence::at(
                        w.rel.clone(),
                        Some(*line),
                        format!("job {} has write-all", j.name),
                    ));
                }
            }
        }
        if problems.is_empty() {
            return Outcome::pass(format!(
                "all {} workflow{} declare read-only top-level or per-job permissions",
                gh.len(),
                if gh.len() == 1 { "" } else { "s" }
            ));
        }
        let files: std::collections::BTreeSet<&str> = problems
            .iter()
            .map(|e| e.file.as_deref().unwrap_or(""))
            .collect();
        let mut o = Outcome::fail(format!(
            "{} of {} workflow{} lack least-privilege permissions (first: {}: {}): add `permissions: {{contents: read}}` at the top and grant writes per job",
            files.len(),
            gh.len(),
            if gh.len() == 1 { "" } else { "s" },
            problems[0].file.as_deref().unwrap_or(""),
            problems[0].detail
        ));
        for e in problems.into_iter().take(20) {
            o = o.with_evidence(e);
        }
        o
    }
}
