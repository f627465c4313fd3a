//! `postgres.replicas` — standbys are streaming from the primary.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::extract::{Op, Unit, comparisons};
use serde_json::Value;
use sqlx::Row;

use super::conn::{pool, rows};
use super::{DATABASE_WORDS, names_database};
use crate::wording::{bind_unless_claims_more, has_any, human_act, leftover, words};

/// What an item about streaming standbys says besides the database (counts are numbers,
/// allowed apart).
const REPLICA_WORDS: &[&str] = &[
    "read",
    "replica",
    "replicas",
    "standby",
    "standbys",
    "hot",
    "streaming",
    "stream",
    "streams",
    "streamed",
    "replication",
    "from",
    "the",
    "primary",
    "at",
    "least",
    "one",
    "two",
    "three",
    "a",
    "an",
    "configured",
    "set",
    "up",
    "enabled",
    "attached",
    "running",
    "healthy",
    "health",
    "verified",
    "working",
    "active",
    "have",
    "has",
    "we",
    "our",
    "of",
    "≥",
    ">=",
    "min",
    "minimum",
    "exists",
    "exist",
    "in",
    "place",
    "for",
    "there",
    "replicated",
    "to",
    "failover",
    "ha",
    "if",
    "high",
    "availability",
    "required",
    "needed",
];

/// Other systems that have replicas of their own.
const OTHER_REPLICATED: &[&str] = &[
    "kafka",
    "redis",
    "mongo",
    "mongodb",
    "mysql",
    "elasticsearch",
    "opensearch",
    "cassandra",
    "etcd",
    "pod",
    "pods",
    "deployment",
    "deployments",
    "kubernetes",
    "k8s",
    "cross-region",
];

/// How many standbys the item asks for: "2 streaming replicas", "at least two standbys".
fn min_from(lower: &str) -> Option<i64> {
    const NOUNS: &[&str] = &["replica", "replicas", "standby", "standbys"];
    for c in comparisons(lower) {
        if c.unit == Unit::Count && c.noun.as_deref().is_some_and(|n| NOUNS.contains(&n)) {
            let v = c.value as i64;
            return Some(if matches!(c.op, Op::Gt) { v + 1 } else { v });
        }
    }
    let w = words(lower);
    let number = |t: &str| match t {
        "one" | "a" | "an" => Some(1),
        "two" => Some(2),
        "three" => Some(3),
        _ => t.parse::<i64>().ok().filter(|n| (1..100).contains(n)),
    };
    // The number directly before the noun, or before "streaming"/"hot" and the noun.
    w.iter().enumerate().find_map(|(i, t)| {
        if !NOUNS.contains(t) || i == 0 {
            return None;
        }
        let before = if matches!(w[i - 1], "streaming" | "hot" | "read") && i >= 2 {
            w[i - 2]
        } else {
            w[i - 1]
        };
        number(before)
    })
}

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
            "Two streaming replicas",
            "At least one hot standby streams from the primary",
        ],
        not_binds: &[
            "Multiple replicas configured",
            "Cross-region replication",
            "Kafka topics have three replicas streaming",
            "Support team on standby",
            "Persistent storage (Postgres/etcd) with cross-region replication configured",
        ],
    },
};

#[async_trait::async_trait]
impl Check for Replicas {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// Read replicas and watching their lag need streaming standbys.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["replication"]
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
        // "Database replication healthy": a database's replication is its standbys, when the
        // item says no more than that (not its lag, its logging or a technology to adopt).
        let replication_alone = !replicas && db && has_any(lower, &["replication"]);
        let replicas = replicas || replication_alone;
        // Replicas said to stream are a database's: streaming is how PostgreSQL replicates.
        let streaming = has_any(lower, &["streaming", "stream", "streams", "streamed"])
            && has_any(
                lower,
                &["replica", "replicas", "standby", "standbys", "replication"],
            );
        if !((db && replicas) || streaming) || has_any(lower, OTHER_REPLICATED) {
            return BindVerdict::No;
        }
        let mut b = AutoBinding::new("database replicas must be streaming");
        if let Some(min) = min_from(lower) {
            b = b.with("min", Value::from(min));
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!(
                    "\"{act}\" is a person's judgement; pg_stat_replication does not prove it"
                ),
                candidates: vec![b],
            };
        }
        // Lag, failover drills, regions: more than standbys streaming now.
        let extra: Vec<&str> = leftover(lower, &[DATABASE_WORDS, REPLICA_WORDS].concat())
            .into_iter()
            .filter(|w| w.parse::<f64>().is_err())
            .collect();
        if replication_alone && !extra.is_empty() {
            return BindVerdict::No;
        }
        bind_unless_claims_more(&extra, 0, "streaming standbys show", vec![b])
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
