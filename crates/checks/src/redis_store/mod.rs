//! Redis as it runs (`--redis URL`): authentication, persistence, memory limit and eviction,
//! exposure. (The folder is not named `redis` so it does not shadow the crate.)

mod auth_required;
mod conn;
mod maxmemory;
mod not_exposed;
mod persistence;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![
        Arc::new(auth_required::AuthRequired),
        Arc::new(maxmemory::MaxMemory),
        Arc::new(not_exposed::NotExposed),
        Arc::new(persistence::Persistence),
    ]
}

/// Whether the wording (or its parent, or its section) is about Redis.
pub(crate) fn about_redis(lower: &str, parent: Option<&str>, section: &str) -> bool {
    lower.contains("redis")
        || parent.is_some_and(|p| p.contains("redis"))
        || section.contains("redis")
}
