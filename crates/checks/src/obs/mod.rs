//! Observability as code: Prometheus alert rules, Grafana dashboards, log rotation.

mod alert_rules;
mod grafana_dashboards;
mod log_rotation;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![
        Arc::new(alert_rules::AlertRules),
        Arc::new(grafana_dashboards::GrafanaDashboards),
        Arc::new(log_rotation::LogRotation),
    ]
}
