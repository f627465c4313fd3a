//! gonogo's built-in checks, by family. A check is one file holding its id, documentation,
//! parameters, binder and logic; registering it is one line in its family's `checks()`.

mod ci;
mod config;
pub mod docs;
pub mod exec;
pub mod http;
pub mod load;
pub mod metrics;
pub mod tls;
pub mod wording;
pub mod yaml;

use std::sync::Arc;

use gonogo_engine::catalogue::{Catalogue, Check};

/// Every built-in check.
pub fn catalogue() -> Catalogue {
    type Family = fn() -> Vec<Arc<dyn Check>>;
    let families: [Family; 8] = [
        ci::checks,
        config::checks,
        docs::checks,
        exec::checks,
        http::checks,
        load::checks,
        metrics::checks,
        tls::checks,
    ];
    Catalogue::new(families.iter().flat_map(|f| f()).collect())
}
