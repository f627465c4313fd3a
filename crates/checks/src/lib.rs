//! gonogo's built-in checks, by family. A check is one file holding its id, documentation,
//! parameters, binder and logic; registering it is one line in its family's `checks()`.

mod backup;
mod ci;
mod config;
pub mod container;
mod db;
pub mod docs;
pub mod exec;
mod helm;
pub mod http;
pub(crate) mod k8s;
pub mod load;
pub mod metrics;
mod obs;
mod postgres;
mod redis_store;
mod repo;
pub mod secrets;
mod sqlite;
pub mod tls;
pub mod wording;
pub mod yaml;

use std::sync::Arc;

use gonogo_engine::catalogue::{Catalogue, Check};

/// Every built-in check.
pub fn catalogue() -> Catalogue {
    type Family = fn() -> Vec<Arc<dyn Check>>;
    let families: &[Family] = &[
        backup::checks,
        ci::checks,
        config::checks,
        container::checks,
        db::checks,
        docs::checks,
        exec::checks,
        helm::checks,
        http::checks,
        k8s::checks,
        load::checks,
        metrics::checks,
        obs::checks,
        postgres::checks,
        redis_store::checks,
        repo::checks,
        secrets::checks,
        sqlite::checks,
        tls::checks,
    ];
    Catalogue::new(families.iter().flat_map(|f| f()).collect())
}
