//! `postgres.replicas` — standbys are streaming from the primary.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;
use sqlx::Row;

use super::conn::{pool, rows};
use super::names_database;
use crate::wording::has_any;

pub struct Replicas;

static META: CheckMeta = CheckMeta {
    id: "postgres.replicas",
    title: "PostgreSQL standbys are streaming",
    target: TargetKind::Postgres,
    params: &[ParamSpec {
        name: "min",
        kind: ParamKind::Integer,
        default: Some("1"),
        required: false,
        doc: "how many streaming standbys are needed",
    }],
    docs: CheckDocs {
        what: "Counts standbys in `streaming` state in `pg_stat_replication` on the server given (which must be the primary).",
        why: "Read replicas and failover only exist if standbys are attached and streaming right now; a configured but disconnected replica fails you during the outage.",
        fix: "Attach standbys (primary_conninfo + standby.signal, or your operator's replica count) and confirm they reach `streaming`.",
        example: "- [ ] Read replicas configured   → 2 standbys streaming passes",
        binds: &[
            "Read replicas configured (if high availability required)",
            "PostgreSQL streaming replication set up",
            "Database replicas configured",
        ],
        not_binds: &[
            "Multiple replicas configured",
            "Cross-region replication",
            "Persistent storage (Postgres/etcd) with cross-region replication configured",
        ],
    },
};

#[async_trait::async_trait]
impl Check for Replicas {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["replica", "replication", "standby"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let section = view.item.section.join(" ").to_lowercase();
        // "Read replicas" are a database's by themselves.
        let db =
            names_database(lower, &section) || has_any(lower, &["read replicas", "read replica"]);
        let replicas = has_any(
            lower,
            &[
                "read replicas",
                "read replica",
                "streaming replication",
                "database replicas",
                "standby",
                "standbys",
            ],
        );
        if db && replicas && !lower.contains("cross-region") {
            BindVerdict::Bind(vec![AutoBinding::new(
                "database replicas must be streaming",
            )])
        } else {
            BindVerdict::No
        }
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let min = params.get("min").and_then(Value::as_i64).unwrap_or(1);
        let pool = match pool(&ctx).await {
            Ok(p) => p,
            Err(e) => return Outcome::error(e),
        };
        let found = match rows(&pool, "SELECT COALESCE(application_name, ''), COALESCE(client_addr::text, 'local'), state FROM pg_stat_replication").await {
            Ok(r) => r,
            Err(e) => return Outcome::error(e),
        };
        let mut streaming = 0;
        let mut o_evidence = Vec::new();
        for r in &found {
            let (name, addr, state): (String, String, String) = (
                r.try_get(0).unwrap_or_default(),
                r.try_get(1).unwrap_or_default(),
                r.try_get(2).unwrap_or_default(),
            );
            if state == "streaming" {
                streaming += 1;
            }
            o_evidence.push(Evidence::detail(format!(
                "standby {name} at {addr}: {state}"
            )));
        }
        let mut o = if streaming >= min {
            Outcome::pass(format!("{streaming} standby(s) streaming"))
        } else {
            Outcome::fail(format!(
                "{streaming} standby(s) streaming, {min} needed: attach replicas to this primary (if high availability is not required, keep the item manual)"
            ))
        };
        o.evidence = o_evidence;
        o
    }
}
