//! `postgres.version` — the server is at least the version the checklist names.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::extract::min_version;
use serde_json::Value;

use super::conn::{pool, setting};
use super::names_postgres;
use crate::wording::leftover;

/// Words that leave "Postgres 16" a statement of the version and nothing more.
const BARE_WORDS: &[&str] = &[
    "postgres",
    "postgresql",
    "pg",
    "version",
    "we",
    "we're",
    "are",
    "re",
    "on",
    "run",
    "runs",
    "running",
    "is",
    "the",
    "server",
    "deployed",
    "in",
    "production",
    "prod",
    "uses",
    "use",
];

/// Compiled once: binders run for every item of a checklist.
static VERSION_CLAIM: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?x)(?:postgres(?:ql)?|pg|version)\s+(?:server\s+)?(?:version\s+)?(?:is\s+)?
        (?:(at\ least|minimum|min\.?|>=|≥|upgraded\ to|upgrade\ to|to|on)\s*)?
        (?:version\s+)?v?(\d+(?:\.\d+)?)\s*
        (\+|or\ (?:newer|later|above|higher|greater)|and\ (?:newer|later|above)|at\ least)?",
    )
    .expect("regex")
});

pub struct Version;

static META: CheckMeta = CheckMeta {
    id: "postgres.version",
    title: "PostgreSQL at least the required version",
    target: TargetKind::Postgres,
    params: &[ParamSpec {
        name: "min",
        kind: ParamKind::Text,
        default: None,
        required: true,
        doc: "the lowest acceptable version, e.g. 15 or 14.8",
    }],
    docs: CheckDocs {
        what: "Reads `server_version_num` from the PostgreSQL given with --postgres and compares it with the version the item names (`PostgreSQL 15+`).",
        why: "Old major versions lose security fixes at end of life, and features the application relies on may be missing in production even when development runs newer.",
        fix: "Upgrade the server (pg_upgrade or a managed-service major version upgrade) to at least the named version.",
        example: "- [ ] PostgreSQL 15+ deployed   → server_version_num 150019 passes",
        binds: &[
            "PostgreSQL 15+ deployed",
            "Postgres version >= 14",
            "PostgreSQL 16 or newer in production",
            "Is Postgres at least version 14?",
            "Upgrade Postgres to 16",
            "We run PostgreSQL 15",
        ],
        not_binds: &[
            "Kubernetes 1.24+ cluster ready",
            "PostgreSQL configured",
            "Redis 7+ deployed",
            "Postgres max connections 300+",
            "PostgreSQL 15 read replicas in two regions",
        ],
    },
};

/// "15" → 150000, "14.8" → 140008, "9.6" → 90600 (the `server_version_num` scale).
fn version_num(v: &str) -> Option<i64> {
    let mut parts = v.split('.').map(|p| p.parse::<i64>().ok());
    let major = parts.next()??;
    let minor = parts.next().flatten().unwrap_or(0);
    Some(if major >= 10 {
        major * 10_000 + minor
    } else {
        major * 10_000 + minor * 100
    })
}

#[async_trait::async_trait]
impl Check for Version {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["postgres", "pg", "psql"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        if !names_postgres(view.lower) {
            return BindVerdict::No;
        }
        // "PostgreSQL 15+", "Postgres version >= 14", "at least version 14", "upgrade
        // Postgres to 16"; a bare "Postgres 16" only when the item says nothing else.
        let lower = view.lower;
        let bare = || {
            leftover(lower, BARE_WORDS)
                .iter()
                .all(|w| w.parse::<f64>().is_ok())
        };
        let found = VERSION_CLAIM
            .captures_iter(lower)
            .find(|c| c.get(1).is_some() || c.get(3).is_some() || bare())
            .map(|c| c[2].to_string())
            .or_else(|| min_version(lower).filter(|_| lower.contains("postgres")))
            // PostgreSQL majors run from 6 to the twenties: "pg max conns 300+" is no version.
            .filter(|v| {
                v.split('.')
                    .next()
                    .and_then(|m| m.parse::<u32>().ok())
                    .is_some_and(|m| (6..=40).contains(&m))
            });
        match found {
            Some(v) => BindVerdict::Bind(vec![
                AutoBinding::new(format!("names PostgreSQL {v} or newer"))
                    .with("min", Value::from(v)),
            ]),
            None => BindVerdict::No,
        }
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let min = params
            .get("min")
            .and_then(Value::as_str)
            .unwrap_or("0")
            .to_string();
        let Some(want) = version_num(&min) else {
            return Outcome::error(format!("`{min}` is not a PostgreSQL version"));
        };
        let pool = match pool(&ctx).await {
            Ok(p) => p,
            Err(e) => return Outcome::error(e),
        };
        let (num, shown) = match (
            setting(&pool, "server_version_num").await,
            setting(&pool, "server_version").await,
        ) {
            (Ok(n), Ok(s)) => (n.trim().parse::<i64>().unwrap_or(0), s),
            (Err(e), _) | (_, Err(e)) => return Outcome::error(e),
        };
        let ev = Evidence::detail(format!(
            "server_version = {shown} (server_version_num {num})"
        ));
        if num >= want {
            Outcome::pass(format!("PostgreSQL {shown} meets {min}+")).with_evidence(ev)
        } else {
            Outcome::fail(format!(
                "PostgreSQL {shown} is older than the required {min}: upgrade the server"
            ))
            .with_evidence(ev)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_numbers() {
        assert_eq!(super::version_num("15"), Some(150000));
        assert_eq!(super::version_num("14.8"), Some(140008));
        assert_eq!(super::version_num("9.6"), Some(90600));
        assert_eq!(super::version_num("x"), None);
    }
}
