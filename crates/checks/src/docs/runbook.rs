//! `docs.runbook` — an operations runbook in the repository.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::presence::Presence;
use crate::wording::has_any;

pub struct Runbook;

static META: CheckMeta = CheckMeta {
    id: "docs.runbook",
    title: "Operations runbook present",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A non-empty document or folder whose name contains \"runbook\" or \"playbook\" \
               (RUNBOOK.md, docs/runbooks/…, ops/playbook.md), or a document of the procedures \
               a runbook holds (DISASTER_RECOVERY.md, docs/incident-response.md, \
               ops/rollback.md, dr-plan.md), up to four folders deep, honouring .gitignore.",
        why: "At 3 a.m. the person paged is rarely the author; a runbook turns an outage into a \
              procedure instead of an investigation.",
        fix: "Write RUNBOOK.md (or docs/runbooks/) covering how to deploy, roll back, restart, \
              read the dashboards and escalate.",
        example: "docs/runbooks/restart.md, docs/runbooks/rollback.md",
        binds: &[
            "Production runbook created",
            "Runbooks created",
            "Recovery runbook documented",
            "Runbooks reviewed",
            "Runbook rehearsed with the on-call engineers",
            "Operational procedures written down in a runbook",
            "Playbook for operations is write",
            "Runbooks for common alerts are documented and accessible",
        ],
        not_binds: &[
            "Runbooks reviewed and every alert linked to an entry",
            "Runbook tested in a game day and every gap fixed",
            "Alerts for service degradation and automated remediation playbooks exist",
        ],
    },
};

static DOC: Presence = Presence {
    phrases: &["runbook", "runbooks", "playbook", "playbooks", "run book"],
    allowed: &[
        "operations",
        "operation",
        "operational",
        "ops",
        "recovery",
        "incident",
        "procedures",
        "write",
        "response",
        "disaster",
        "failure",
        "failures",
        "modes",
        "incidents",
        "outages",
        "outage",
        "scenarios",
        "common",
        "top",
        "known",
        "restart",
        "rollback",
        "steps",
        "troubleshooting",
        // "Runbooks for common alerts": what runbooks are written for.
        "alert",
        "alerts",
        "alert rules",
        "accessible",
        "documented",
    ],
    stem: |s| s.contains("runbook") || s.contains("playbook"),
    what: "a runbook",
    name: "runbook",
};

/// How deep and how many entries the search may visit, so a huge tree stays cheap.
const MAX_DEPTH: usize = 4;
const MAX_ENTRIES: usize = 50_000;

fn is_runbook_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("runbook")
        || n.contains("playbook")
        || n.contains("run-book")
        || n.contains("run_book")
        || is_procedure_doc(&n)
}

/// What teams call the written procedures a runbook holds when they keep them apart: a
/// disaster-recovery plan, an incident-response or failover procedure, rollback steps. Only
/// as documents: a `rollback.sql` migration or a `failover/` package is code.
fn is_procedure_doc(lower_name: &str) -> bool {
    const DOC_EXTENSIONS: &[&str] = &[".md", ".markdown", ".rst", ".adoc", ".txt"];
    const TOPICS: &[&str] = &[
        "disasterrecovery",
        "incidentresponse",
        "incidentmanagement",
        "recoveryplan",
        "recoveryprocedure",
        "drplan",
        "rollback",
        "failover",
    ];
    let Some(ext) = DOC_EXTENSIONS.iter().find(|e| lower_name.ends_with(**e)) else {
        return false;
    };
    let stem: String = lower_name[..lower_name.len() - ext.len()]
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    stem == "dr" || TOPICS.iter().any(|t| stem.contains(t))
}

#[async_trait::async_trait]
impl Check for Runbook {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// What a runbook must cover needs the runbook, when the item names a written one: a
    /// rollback "plan in place" may live in people's heads, and its test is not the document.
    fn shows_part(&self, item: &ItemView<'_>) -> bool {
        has_any(
            &item.item.display_text.to_lowercase(),
            &[
                "runbook",
                "playbook",
                "documented",
                "written",
                "documentation",
            ],
        ) && !has_any(
            item.lower,
            &["tested", "test", "practiced", "performed", "rehearsed"],
        )
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["runbook", "recovery-procedure", "rollback-plan"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        DOC.triggers()
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        DOC.bind_with_acts(view)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let root = ctx.repo.clone();
        let found = tokio::task::spawn_blocking(move || {
            let mut hits = Vec::new();
            let walker = ignore::WalkBuilder::new(&root)
                .max_depth(Some(MAX_DEPTH))
                .hidden(false)
                .filter_entry(|e| e.file_name() != ".git" && e.file_name() != "node_modules")
                .build();
            for (visited, entry) in walker.filter_map(Result::ok).enumerate() {
                if visited > MAX_ENTRIES {
                    break;
                }
                let name = entry.file_name().to_string_lossy();
                if !is_runbook_name(&name) {
                    continue;
                }
                let path = entry.path();
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                let has_content = if is_dir {
                    std::fs::read_dir(path)
                        .map(|mut d| d.next().is_some())
                        .unwrap_or(false)
                } else {
                    std::fs::metadata(path)
                        .map(|m| m.len() > 0)
                        .unwrap_or(false)
                };
                let rel = path
                    .strip_prefix(&root)
                    .unwrap_or(path)
                    .to_string_lossy()
                    .replace('\\', "/");
                // An example's or a fixture's runbook is not the service's.
                let scope_of = if is_dir {
                    format!("{rel}/x")
                } else {
                    rel.clone()
                };
                if has_content && gonogo_engine::scope::of(&scope_of).is_product() {
                    hits.push(rel);
                }
            }
            hits
        })
        .await
        .unwrap_or_default();
        match found.first() {
            Some(first) => {
                let mut o = Outcome::pass(format!("runbook found: {first}"));
                for f in found.iter().take(5) {
                    o = o.with_evidence(Evidence::at(f.clone(), None, "runbook"));
                }
                o
            }
            None => Outcome::fail(
                "no runbook found (no file or folder named *runbook* or *playbook*, and no disaster-recovery, incident-response, failover or rollback document, within four levels): add RUNBOOK.md or docs/runbooks/",
            ),
        }
    }
}
