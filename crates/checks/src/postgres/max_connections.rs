//! `postgres.max-connections` — the server accepts at least the connections the checklist plans for.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::conn::{pool, setting};
use super::names_database;
use crate::wording::human_act;

/// Compiled once: binders run for every item of a checklist.
static CONNECTIONS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(\d{1,6})\s*(?:\+\s*)?(?:db |database |pool |pooled )?connections|max_connections\D{0,20}(\d{1,6})").expect("regex")
});

pub struct MaxConnections;

static META: CheckMeta = CheckMeta {
    id: "postgres.max-connections",
    title: "PostgreSQL accepts the planned number of connections",
    target: TargetKind::Postgres,
    params: &[ParamSpec {
        name: "min",
        kind: ParamKind::Integer,
        default: None,
        required: true,
        doc: "connections the application's pools need in total (from the item: `50 connections`)",
    }],
    docs: CheckDocs {
        what: "Reads `max_connections` minus `superuser_reserved_connections` and compares it with the number of connections the item plans for.",
        why: "A pool sized above what the server accepts fails at the first traffic peak with `too many clients already`, exactly when production can least afford it.",
        fix: "Raise `max_connections` (and memory settings with it) or put a pooler such as PgBouncer in front and size the application pools to fit.",
        example: "- [ ] Connection pooling configured (50 connections for prod)   → max_connections 200 passes",
        binds: &[
            "Database connection pooling configured (50 connections for prod)",
            "PostgreSQL max_connections at least 200",
        ],
        not_binds: &[
            "Connection pooling configured",
            "Redis maxclients 10000",
            "Concurrent users tested (500 connections)",
        ],
    },
};

#[async_trait::async_trait]
impl Check for MaxConnections {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["connections"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let section = view.item.section.join(" ").to_lowercase();
        if !names_database(lower, &section)
            || human_act(lower).is_some()
            || lower.contains("tested")
        {
            return BindVerdict::No;
        }
        let Some(c) = CONNECTIONS.captures(lower) else {
            return BindVerdict::No;
        };
        let n: i64 = c
            .get(1)
            .or_else(|| c.get(2))
            .and_then(|m| m.as_str().parse().ok())
            .unwrap_or(0);
        if n == 0 {
            return BindVerdict::No;
        }
        BindVerdict::Bind(vec![
            AutoBinding::new(format!("plans for {n} database connections"))
                .with("min", Value::from(n)),
        ])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let min = params.get("min").and_then(Value::as_i64).unwrap_or(0);
        let pool = match pool(&ctx).await {
            Ok(p) => p,
            Err(e) => return Outcome::error(e),
        };
        let max = match setting(&pool, "max_connections").await {
            Ok(v) => v.trim().parse::<i64>().unwrap_or(0),
            Err(e) => return Outcome::error(e),
        };
        let reserved = setting(&pool, "superuser_reserved_connections")
            .await
            .ok()
            .and_then(|v| v.trim().parse::<i64>().ok())
            .unwrap_or(0);
        let usable = max - reserved;
        let ev = Evidence::detail(format!(
            "max_connections = {max}, superuser_reserved_connections = {reserved}"
        ));
        if usable >= min {
            Outcome::pass(format!(
                "PostgreSQL accepts {usable} client connections (planned: {min})"
            ))
            .with_evidence(ev)
        } else {
            Outcome::fail(format!("PostgreSQL accepts only {usable} client connections but {min} are planned: raise max_connections or add a pooler")).with_evidence(ev)
        }
    }
}
