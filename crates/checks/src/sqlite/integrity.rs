//! `sqlite.integrity` — `PRAGMA integrity_check` finds no corruption.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind, ParamSpec,
    Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::{about_sqlite, named_db, open, with_path};
use crate::wording::has_any;

pub struct Integrity;

static META: CheckMeta = CheckMeta {
    id: "sqlite.integrity",
    title: "SQLite database passes its integrity check",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "path",
        kind: ParamKind::Text,
        default: None,
        required: true,
        doc: "the SQLite file",
    }],
    docs: CheckDocs {
        what: "Runs `PRAGMA integrity_check` on the file (read-only); the answer must be `ok`.",
        why: "A corrupt page surfaces later as wrong query results or a crash in production; a backup of a corrupt file restores the corruption.",
        fix: "Restore from the last good backup, or `.recover` the database with the sqlite3 shell and rebuild it.",
        example: "- [ ] Database integrity verified (`data/app.db`)",
        binds: &[
            "Database integrity verified (`data/app.db`)",
            "SQLite integrity_check passes for `swarm.db`",
        ],
        not_binds: &[
            "Backup verification",
            "Integrity of audit logs",
            "Database initialized",
        ],
    },
};

#[async_trait::async_trait]
impl Check for Integrity {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["integrity", "corrupt"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        if about_sqlite(view)
            && has_any(
                view.lower,
                &["integrity", "integrity_check", "not corrupt", "corruption"],
            )
            && let Some(p) = named_db(view)
        {
            return BindVerdict::Bind(vec![with_path("SQLite integrity", &p)]);
        }
        BindVerdict::No
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let path = params
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut con = match open(&ctx, &path).await {
            Ok(c) => c,
            Err(e) => return Outcome::error(e),
        };
        let rows: Result<Vec<String>, _> = sqlx::query_scalar("PRAGMA integrity_check(20)")
            .fetch_all(&mut con)
            .await;
        match rows {
            Ok(r) if r.len() == 1 && r[0] == "ok" => {
                Outcome::pass(format!("{path} passes PRAGMA integrity_check"))
            }
            Ok(r) => {
                let mut o = Outcome::fail(format!(
                    "{path} is damaged ({} problem(s)): restore it from a good backup",
                    r.len()
                ));
                for line in r.iter().take(10) {
                    o = o.with_evidence(Evidence::at(path.clone(), None, line.clone()));
                }
                o
            }
            Err(e) => Outcome::fail(format!("{path} cannot be checked, it may be damaged: {e}")),
        }
    }
}
