//! `sqlite.journal-mode` — the SQLite database uses the journal mode the checklist asks for.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind, ParamSpec,
    Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::{about_sqlite, named_db, open, with_path};
use crate::wording::has_any;

pub struct JournalMode;

static META: CheckMeta = CheckMeta {
    id: "sqlite.journal-mode",
    title: "SQLite journal mode as required (WAL)",
    target: TargetKind::Repository,
    params: &[
        ParamSpec {
            name: "path",
            kind: ParamKind::Text,
            default: None,
            required: true,
            doc: "the SQLite file, relative to the repository or absolute",
        },
        ParamSpec {
            name: "mode",
            kind: ParamKind::Text,
            default: Some("wal"),
            required: false,
            doc: "the journal mode required",
        },
    ],
    docs: CheckDocs {
        what: "Opens the SQLite file read-only and reads `PRAGMA journal_mode`; it must be the mode asked for (WAL by default). WAL is stored in the file, so this reads what every connection gets.",
        why: "In the default rollback-journal mode readers block the writer; WAL lets reads and a write proceed together, which services with concurrent requests need.",
        fix: "Run `PRAGMA journal_mode=WAL;` once on the database (it persists), or set it when the application opens the database.",
        example: "- [ ] **WAL mode enabled** (`sqlite3 data/app.db \"PRAGMA journal_mode;\"`)",
        binds: &[
            "WAL mode enabled for `data/app.db`",
            "SQLite journal_mode = wal (`db/app.sqlite3`)",
        ],
        not_binds: &[
            "WAL archiving enabled",
            "PRAGMA journal_mode = wal",
            "Database optimized",
        ],
    },
};

#[async_trait::async_trait]
impl Check for JournalMode {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["wal", "journal"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        if !about_sqlite(view)
            || !has_any(view.lower, &["wal", "journal mode", "journal_mode"])
            || view.lower.contains("archiving")
        {
            return BindVerdict::No;
        }
        match named_db(view) {
            Some(p) => BindVerdict::Bind(vec![with_path("SQLite journal mode", &p)]),
            None => BindVerdict::No,
        }
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let path = params
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let want = params
            .get("mode")
            .and_then(Value::as_str)
            .unwrap_or("wal")
            .to_lowercase();
        let mut con = match open(&ctx, &path).await {
            Ok(c) => c,
            Err(e) => return Outcome::error(e),
        };
        let mode: Result<String, _> = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut con)
            .await;
        match mode {
            Ok(m) if m.to_lowercase() == want => {
                Outcome::pass(format!("{path} uses journal_mode={m}")).with_evidence(Evidence::at(
                    path.clone(),
                    None,
                    format!("journal_mode = {m}"),
                ))
            }
            Ok(m) => Outcome::fail(format!(
                "{path} uses journal_mode={m}, not {want}: run PRAGMA journal_mode={want}; once"
            ))
            .with_evidence(Evidence::at(
                path.clone(),
                None,
                format!("journal_mode = {m}"),
            )),
            Err(e) => Outcome::error(format!("{path}: {e}")),
        }
    }
}
