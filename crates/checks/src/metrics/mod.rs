//! Prometheus metrics served by the running target (`--target URL`).

pub mod exposition;
mod prometheus_endpoint;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![Arc::new(prometheus_endpoint::PrometheusEndpoint)]
}
