//! Latency and errors of the running target under a bounded load (`--target URL`).

pub mod generator;
mod h1;
mod latency_under_load;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![Arc::new(latency_under_load::LatencyUnderLoad)]
}
