//! PostgreSQL as it runs (`--postgres URL`): version, connections, TLS, authentication,
//! WAL archiving, replicas, and migrations applied compared with the repository; and the
//! pooler in front of it (PgBouncer: `--pgbouncer URL` or the repository's pgbouncer.ini).

mod conn;
mod hba_trust;
mod max_connections;
mod migrations;
mod pgbouncer;
mod pooler_pool_size;
mod replicas;
mod ssl;
mod version;
mod wal_archiving;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;

use crate::wording::has_any;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![
        Arc::new(hba_trust::HbaTrust),
        Arc::new(max_connections::MaxConnections),
        Arc::new(migrations::Migrations),
        Arc::new(pooler_pool_size::PoolerPoolSize),
        Arc::new(replicas::Replicas),
        Arc::new(ssl::Ssl),
        Arc::new(version::Version),
        Arc::new(wal_archiving::WalArchiving),
    ]
}

/// Words naming the database an item is about, which every datastore binder accepts.
pub(crate) const DATABASE_WORDS: &[&str] = &[
    "postgres",
    "postgresql",
    "pg",
    "database",
    "databases",
    "db",
];

/// Whether the wording is about PostgreSQL by name.
pub(crate) fn names_postgres(lower: &str) -> bool {
    has_any(lower, &["postgres", "postgresql", "pg", "psql"])
}

/// Whether the wording is about a database (PostgreSQL or unnamed).
pub(crate) fn names_database(lower: &str, section: &str) -> bool {
    names_postgres(lower)
        || has_any(lower, &["database", "db"])
        || (has_any(section, &["database", "postgres", "postgresql"])
            && !has_any(lower, &["redis", "cache", "sqlite"]))
}
