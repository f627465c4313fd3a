//! `postgres.ssl` — the server offers TLS to its clients.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use super::conn::{pool, setting};
use super::{DATABASE_WORDS, names_database};
use crate::wording::{bind_unless_claims_more, has_any, human_act, leftover};

pub struct Ssl;

static META: CheckMeta = CheckMeta {
    id: "postgres.ssl",
    title: "PostgreSQL has TLS (ssl) enabled",
    target: TargetKind::Postgres,
    params: &[],
    docs: CheckDocs {
        what: "Reads the server's `ssl` setting; it must be `on`.",
        why: "Without TLS, credentials and data cross the network in clear text between the application and the database.",
        fix: "Set `ssl = on` with a certificate and key (`ssl_cert_file`, `ssl_key_file`) and require `sslmode=verify-full` in clients.",
        example: "postgresql.conf: ssl = on",
        binds: &[
            "PostgreSQL SSL enabled",
            "Database connections use TLS",
            "Postgres TLS configured",
        ],
        not_binds: &[
            "TLS 1.3 enabled",
            "TLS certificates valid and not expiring within 30 days",
            "Database encryption at rest enabled",
        ],
    },
};

/// Words about a database connection and its encryption, besides the database's names.
const CONNECTION_WORDS: &[&str] = &[
    "server",
    "servers",
    "ssl",
    "tls",
    "connection",
    "connections",
    "client",
    "clients",
    "encrypted",
    "encryption",
    "encrypt",
    "in transit",
    "enabled",
    "enable",
    "on",
    "switched",
    "turned",
    "required",
    "require",
    "requires",
    "use",
    "uses",
    "using",
    "have",
    "has",
    "for",
    "over",
    "with",
    "all",
    "every",
    "only",
    "force",
    "forced",
    "enforced",
    "sslmode",
    "verify-full",
    "secure",
    "secured",
    "traffic",
    "the",
    "a",
    "to",
    "and",
    "is",
    "are",
    "it",
    "be",
    "must",
    "shall",
    "from",
    "application",
    "app",
    "its",
    "our",
];

#[async_trait::async_trait]
impl Check for Ssl {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["ssl", "tls", "encrypted", "encryption"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        // "SSL enabled" under a PostgreSQL heading or item is the database's.
        let section = view.item.section.join(" ").to_lowercase();
        let about_db =
            names_database(lower, &section) || names_database(view.parent_lower.unwrap_or(""), "");
        if about_db
            && has_any(
                lower,
                &[
                    "ssl",
                    "tls",
                    "encrypted in transit",
                    "encryption in transit",
                ],
            )
            && !lower.contains("at rest")
            && human_act(lower).is_none()
        {
            // Certificates, keys and tokens named in a list of things to scan for are not
            // the database's TLS: what is left must be about the connection.
            let extra = leftover(lower, &[DATABASE_WORDS, CONNECTION_WORDS].concat());
            bind_unless_claims_more(
                &extra,
                2,
                "the database's TLS setting can show",
                vec![AutoBinding::new("database connections encrypted with TLS")],
            )
        } else {
            BindVerdict::No
        }
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let pool = match pool(&ctx).await {
            Ok(p) => p,
            Err(e) => return Outcome::error(e),
        };
        match setting(&pool, "ssl").await {
            Ok(v) if v.trim() == "on" => Outcome::pass("PostgreSQL offers TLS (ssl = on)").with_evidence(Evidence::detail("ssl = on")),
            Ok(v) => Outcome::fail("PostgreSQL has TLS off: set ssl = on with a certificate and require sslmode=verify-full in clients")
                .with_evidence(Evidence::detail(format!("ssl = {}", v.trim()))),
            Err(e) => Outcome::error(e),
        }
    }
}
