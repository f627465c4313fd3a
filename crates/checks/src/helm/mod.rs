//! Helm charts: well-formed, rendering, with test hooks when asked. Charts share the Kubernetes
//! inventory (`k8s::objects`), which renders them when `helm` is on PATH.

mod chart_valid;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![Arc::new(chart_valid::ChartValid)]
}
