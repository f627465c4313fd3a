//! `ci.least-privilege-permissions` — GitHub workflows declare read-only token permissions.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use super::model::{self, Permissions};
use super::{CI_NAMES, bind_step};
use crate::wording::has_any;

pub struct LeastPrivilegePermissions;

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
        ],
        not_binds: &[
            "Workflows are defined and use least-privilege service accounts or `QMOI_TOKEN` secret.",
            "RBAC configured",
            "Database permissions set",
        ],
    },
};

#[async_trait::async_trait]
impl Check for LeastPrivilegePermissions {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["least", "privilege", "permission"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(lower, CI_NAMES) && !has_any(lower, &["github_token", "workflow token"]) {
            return BindVerdict::No;
        }
        bind_step(
            lower,
            &[
                "least-privilege",
                "least privilege",
                "minimal permissions",
                "read-only permissions",
            ],
            &[
                "permissions",
                "permission",
                "github_token",
                "token",
                "use",
                "set",
                "explicit",
                "minimal",
                "read-only",
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
