//! `sqlite.index-count` — the database has the number of indexes the checklist expects.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind, ParamSpec,
    Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::{about_sqlite, named_db, open, with_path};

/// Compiled once: binders run for every item of a checklist.
static INDEXES: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"(\d+)\s*(\+)?\s*indexes").expect("regex"));

pub struct IndexCount;

static META: CheckMeta = CheckMeta {
    id: "sqlite.index-count",
    title: "SQLite database has the expected indexes",
    target: TargetKind::Repository,
    params: &[
        ParamSpec {
            name: "path",
            kind: ParamKind::Text,
            default: None,
            required: true,
            doc: "the SQLite file",
        },
        ParamSpec {
            name: "count",
            kind: ParamKind::Integer,
            default: None,
            required: true,
            doc: "indexes expected (explicit CREATE INDEX, not automatic ones)",
        },
        ParamSpec {
            name: "at_least",
            kind: ParamKind::Bool,
            default: Some("false"),
            required: false,
            doc: "accept more than `count` (`12+ indexes`)",
        },
    ],
    docs: CheckDocs {
        what: "Counts the explicitly created indexes in `sqlite_master` (automatic indexes for UNIQUE and PRIMARY KEY are not counted) and compares with the number the item states.",
        why: "A missing index turns a millisecond lookup into a full table scan once production data grows; the count is a cheap guard that the schema shipped whole.",
        fix: "Apply the migration that creates the missing indexes; `sqlite3 FILE .indexes` lists what is there.",
        example: "- [ ] **12 indexes verified** (`sqlite3 .moai/memory/swarm.db \".schema\" | grep INDEX`)",
        binds: &[
            "12 indexes verified in `data/app.db`",
            "SQLite `app.sqlite` has 5+ indexes",
        ],
        not_binds: &[
            "Indexes created",
            "Database queries optimized",
            "12 replicas in `app.db` cluster",
        ],
    },
};

#[async_trait::async_trait]
impl Check for IndexCount {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["indexes"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        if !about_sqlite(view) {
            return BindVerdict::No;
        }
        let (Some(c), Some(p)) = (INDEXES.captures(view.lower), named_db(view)) else {
            return BindVerdict::No;
        };
        let n: i64 = c[1].parse().unwrap_or(0);
        BindVerdict::Bind(vec![
            with_path(&format!("expects {n} indexes"), &p)
                .with("count", Value::from(n))
                .with("at_least", Value::from(c.get(2).is_some())),
        ])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let path = params
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let want = params.get("count").and_then(Value::as_i64).unwrap_or(0);
        let at_least = params
            .get("at_least")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut con = match open(&ctx, &path).await {
            Ok(c) => c,
            Err(e) => return Outcome::error(e),
        };
        let names: Result<Vec<String>, _> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
        )
        .fetch_all(&mut con)
        .await;
        let names = match names {
            Ok(n) => n,
            Err(e) => return Outcome::error(format!("{path}: {e}")),
        };
        let got = names.len() as i64;
        let ok = if at_least { got >= want } else { got == want };
        let ev = Evidence::at(path.clone(), None, format!("indexes: {}", names.join(", ")));
        if ok {
            Outcome::pass(format!(
                "{path} has {got} indexes (expected {}{want})",
                if at_least { "at least " } else { "" }
            ))
            .with_evidence(ev)
        } else {
            Outcome::fail(format!("{path} has {got} indexes, expected {}{want}: apply the migration that creates them", if at_least { "at least " } else { "" })).with_evidence(ev)
        }
    }
}
