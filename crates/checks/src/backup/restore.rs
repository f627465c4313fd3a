//! `backup.restore-tested` — the latest backup restores, and the restored data answers a query.

use std::sync::Arc;
use std::time::Duration;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::redact::redact;
use gonogo_engine::run::human_duration;
use serde_json::Value;

use crate::exec::run_shell;
use crate::wording::{has_any, leftover, more_than};

pub struct Restore;

/// Words that name a restore.
const RESTORE_WORDS: &[&str] = &[
    "restore",
    "restored",
    "restores",
    "restoring",
    "restoration",
    "restorable",
];

/// Words that say a restore is carried out or proven.
const DONE_WORDS: &[&str] = &[
    "tested",
    "test",
    "verified",
    "verify",
    "drill",
    "practise",
    "practice",
    "exercised",
    "demonstrate",
    "demonstrated",
    "checked",
    "confirmed",
    "done",
    "succeeds",
    "works",
    "proven",
    "validated",
    "can be restored",
    "queryable",
    "comes back",
    "come back",
    "rto",
    "rehearsed",
    "restorable",
];

/// Words that say a written plan was carried out, not only written.
const PLAN_TESTED: &[&str] = &[
    "tested",
    "re-tested",
    "retested",
    "exercised",
    "rehearsed",
    "practised",
    "practiced",
    "drilled",
    "validated",
    "validate",
    "verified",
];

/// Words around a restore that say nothing beyond it: what is restored, where to, how often,
/// and the plan or procedure the restore is the test of.
const RESTORE_CONTEXT: &[&str] = &[
    "backup",
    "backups",
    "database",
    "databases",
    "db",
    "data",
    "dump",
    "dumps",
    "snapshot",
    "snapshots",
    "latest",
    "last",
    "recent",
    "regularly",
    "regular",
    "periodically",
    "periodic",
    "monthly",
    "weekly",
    "quarterly",
    "daily",
    "yearly",
    "annually",
    "once",
    "least",
    "successfully",
    "successful",
    "procedure",
    "procedures",
    "process",
    "processes",
    "recovery",
    "runbook",
    "plan",
    "plans",
    "dr",
    "disaster",
    "drills",
    "documented",
    "staging",
    "scratch",
    "environment",
    "fresh",
    "full",
    "point-in-time",
    "pitr",
    "postgres",
    "postgresql",
    "every",
    "each",
    "month",
    "quarter",
    "week",
    "year",
    "instance",
    "server",
    "separate",
    "production",
    "prod",
    "end-to-end",
    "completed",
    "performed",
    "times",
    "time",
    "before",
    "launch",
    "go-live",
    "release",
    "rpo",
    "minutes",
    "hours",
    "within",
    "files",
    "file",
    "system",
    "service",
    "application",
    "app",
    "newest",
    "most",
    "taken",
    "night",
    "nightly",
    "throwaway",
    "script",
    "scripts",
    "executed",
    "against",
    "somebody",
    "someone",
    // What the verify step reads back ("count the rows", "the orders table returns rows").
    "count",
    "rows",
    "row",
    "table",
    "tables",
    "returns",
];

static META: CheckMeta = CheckMeta {
    id: "backup.restore-tested",
    title: "The latest backup restores and its data comes back",
    target: TargetKind::Command,
    params: &[
        ParamSpec {
            name: "restore",
            kind: ParamKind::Text,
            default: None,
            required: true,
            doc: "the command that restores the latest backup into a scratch database",
        },
        ParamSpec {
            name: "verify",
            kind: ParamKind::Text,
            default: None,
            required: true,
            doc: "a command (typically a query) that prints proof the data came back",
        },
        ParamSpec {
            name: "expect",
            kind: ParamKind::Text,
            default: None,
            required: false,
            doc: "text the verify command must print (otherwise: any output at all)",
        },
        ParamSpec {
            name: "timeout_ms",
            kind: ParamKind::DurationMs,
            default: Some("10m"),
            required: false,
            doc: "time limit for restore and verification together",
        },
    ],
    docs: CheckDocs {
        what: "With --allow-exec, runs the configured restore command (which restores the latest backup into a scratch database), then the verify command; it passes when both exit 0 and the verification prints the expected text (or anything, when none is given). It reports how long the restore took: your restore time for this data size.",
        why: "A backup nobody restored is a hope, not a backup; restores fail on missing roles, extensions, versions and permissions that only a real restore surfaces.",
        fix: "Script the restore into a scratch database and give gonogo the commands with a [[bind]] rule or an annotation, e.g. restore=\"./scripts/restore-latest.sh scratch\" verify=\"psql scratch -Atc 'select count(*) from orders'\".",
        example: "- [ ] Backup restoration tested <!-- gonogo: backup.restore-tested restore=\"./scripts/restore-latest.sh\" verify=\"psql -d scratch -Atc 'select count(*) > 0 from orders'\" expect=t -->",
        binds: &[
            "Backup restoration tested",
            "Restore from backup verified",
            "The latest dump restores into a scratch database",
            "Disaster recovery plan tested before launch",
        ],
        not_binds: &[
            "Incident response plan rehearsed",
            "Backup strategy defined",
            "Automated daily backups",
            "Recovery procedures documented",
            "Restore procedure written down in the runbook",
        ],
    },
};

#[async_trait::async_trait]
impl Check for Restore {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// A recovery plan cannot have been tested if its restore does not work.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["restore-tested", "backups-verified"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["restor", "runbook"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        // The vocabulary writes every recovery plan as "recovery runbook": which one the item
        // names is in its own words.
        let written = view.item.text.to_lowercase();
        // A recovery or DR plan put to the test restores data: the restore is the part a run
        // shows ("DR plans tested", "restore procedure documented and tested"). An incident or
        // failover drill is not a restore.
        let plan_tested = lower.contains("recovery runbook")
            && has_any(lower, PLAN_TESTED)
            && !has_any(&written, &["incident", "failover", "fail over"]);
        if !has_any(lower, RESTORE_WORDS) && !plan_tested {
            return BindVerdict::No;
        }
        // A restore that was carried out, or can be: what running one shows. A documented
        // procedure, a plan or a runbook is a document's claim, not this check's.
        let done = plan_tested
            || has_any(lower, DONE_WORDS)
            || (has_any(lower, &["backup", "backups", "dump", "snapshot"])
                && has_any(lower, &["restored", "restoring", "restore", "restores"]));
        if !done
            || has_any(
                lower,
                &["documented", "written down", "plan", "runbook", "playbook"],
            ) && !has_any(
                lower,
                &[
                    "tested",
                    "test",
                    "verified",
                    "drill",
                    "exercised",
                    "practiced",
                    "practised",
                ],
            )
        {
            return BindVerdict::No;
        }
        // Which commands restore a team's backups only the team knows: `restore` and `verify`
        // come from an annotation or `[checks."backup.restore-tested"]`; without them the
        // binding is declined, saying so.
        let binding = AutoBinding::new("the item asks for a backup that restores");
        // A disaster-recovery plan tested asks more than a restore (failover, people, DNS):
        // the restore runs, a person vouches for the rest (`shows_part`).
        if plan_tested && !written.contains("restor") {
            return more_than(&["recovery", "plan"], "a restore can show", vec![binding]);
        }
        // What else the item says of its backups ("encrypted", "offsite", "compressed") a
        // restore does not show: the restore runs, a person vouches for those words.
        let mut used: Vec<&str> =
            [RESTORE_WORDS, DONE_WORDS, PLAN_TESTED, RESTORE_CONTEXT].concat();
        used.extend_from_slice(&["test", "tests", "testing"]);
        let extra = leftover(lower, &used);
        let extra: Vec<&str> = extra
            .into_iter()
            .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
            .collect();
        if !extra.is_empty() {
            return more_than(&extra, "a restore can show", vec![binding]);
        }
        BindVerdict::Bind(vec![binding])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let get = |k: &str| {
            params
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let (restore, verify, expect) = (get("restore"), get("verify"), get("expect"));
        let limit = Duration::from_millis(
            params
                .get("timeout_ms")
                .and_then(Value::as_u64)
                .unwrap_or(600_000),
        );
        let ran = match run_shell(&restore, &ctx.repo, limit, ctx.exec.output_cap).await {
            Ok(r) => r,
            Err(e) => {
                return Outcome::error(format!("the restore command could not be started: {e}"));
            }
        };
        let tail = |out: &str| {
            redact(
                &out.lines()
                    .rev()
                    .take(10)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        };
        if ran.timed_out {
            return Outcome::error(format!(
                "the restore did not finish within {}",
                human_duration(limit)
            ))
            .with_evidence(Evidence::detail(tail(&ran.output)));
        }
        if ran.exit != Some(0) {
            return Outcome::fail(format!(
                "the restore failed (exit {:?}): fix it before you need it",
                ran.exit
            ))
            .with_evidence(Evidence::detail(tail(&ran.output)));
        }
        let restored_in = ran.took;
        let left = limit
            .saturating_sub(restored_in)
            .max(Duration::from_secs(5));
        let check = match run_shell(&verify, &ctx.repo, left, ctx.exec.output_cap).await {
            Ok(r) => r,
            Err(e) => {
                return Outcome::error(format!("the verify command could not be started: {e}"));
            }
        };
        let out = redact(check.output.trim());
        let ok = check.exit == Some(0)
            && if expect.is_empty() {
                !out.is_empty()
            } else {
                out.to_lowercase().contains(&expect.to_lowercase())
            };
        let ev = Evidence::detail(format!(
            "restore took {}; verification printed: {}",
            human_duration(restored_in),
            crate::wording::words(&out)
                .join(" ")
                .chars()
                .take(200)
                .collect::<String>()
        ));
        if ok {
            Outcome::pass(format!(
                "the latest backup restored in {} and the data came back",
                human_duration(restored_in)
            ))
            .with_evidence(ev)
        } else if check.exit != Some(0) {
            Outcome::fail(format!(
                "the backup restored but verification failed (exit {:?})",
                check.exit
            ))
            .with_evidence(ev)
        } else {
            Outcome::fail(if expect.is_empty() {
                "the backup restored but the verification printed nothing".to_string()
            } else {
                format!("the backup restored but the verification did not print \"{expect}\"")
            })
            .with_evidence(ev)
        }
    }
}
