//! `k8s.service-monitor` — Prometheus Operator ServiceMonitors (or PodMonitors) exist and
//! select something.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::objects::{Inventory, Spec};
use super::{judgement, no_manifests, verdict};
use crate::wording::{has_any, leftover};

pub struct ServiceMonitor;

static META: CheckMeta = CheckMeta {
    id: "k8s.service-monitor",
    title: "ServiceMonitors exist and select Services",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "if_operator_used",
        kind: ParamKind::Bool,
        default: Some("false"),
        required: false,
        doc: "skip (instead of fail) when the manifests use no Prometheus Operator resource \
              (apiVersion monitoring.coreos.com)",
    }],
    docs: CheckDocs {
        what: "The manifests define at least one ServiceMonitor or PodMonitor, and each one's \
               selector matches the labels of a Service (ServiceMonitor) or of a workload's pods \
               (PodMonitor). With if_operator_used, a repository without any \
               monitoring.coreos.com resource is skipped.",
        why: "With the Prometheus Operator, a service without a ServiceMonitor is never \
              scraped, and one whose selector matches nothing silently collects no metrics.",
        fix: "Add a monitoring.coreos.com/v1 ServiceMonitor whose selector.matchLabels equals \
              the Service's labels and whose endpoints name the metrics port.",
        example: "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nspec:\n  \
                  selector: {matchLabels: {app: web}}\n  endpoints: [{port: metrics}]",
        binds: &[
            "ServiceMonitor created (if using Prometheus Operator)",
            "ServiceMonitors configured",
            "PodMonitor defined for the workers",
        ],
        not_binds: &[
            "Service monitoring dashboards",
            "Uptime monitor configured",
            "Prometheus deployed",
        ],
    },
};

#[async_trait::async_trait]
impl Check for ServiceMonitor {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["service-monitor"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["monitor"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(
            lower,
            &[
                "servicemonitor",
                "servicemonitors",
                "podmonitor",
                "podmonitors",
            ],
        ) {
            return BindVerdict::No;
        }
        let conditional = has_any(
            lower,
            &[
                "if using",
                "if prometheus",
                "if the prometheus",
                "when using",
            ],
        );
        let b = AutoBinding::new("wording names ServiceMonitors")
            .with("if_operator_used", Value::from(conditional));
        if let Some(d) = judgement(lower, "monitors select Services", b.clone()) {
            return d;
        }
        let extra = leftover(
            lower,
            &[
                "servicemonitor",
                "servicemonitors",
                "podmonitor",
                "podmonitors",
                "if",
                "using",
                "when",
                "prometheus",
                "operator",
                "the",
                "each",
                "every",
                "service",
                "services",
                "workers",
                "kubernetes",
                "k8s",
                "app",
                "api",
            ],
        );
        super::bind_unless_more(&extra, "monitor manifests show", b)
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let inv = Inventory::of(&ctx);
        if let Some(o) = no_manifests(&inv) {
            return o;
        }
        let conditional = params
            .get("if_operator_used")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let operator = inv
            .objects
            .iter()
            .any(|o| o.api_version.starts_with("monitoring.coreos.com/"));
        if conditional && !operator {
            return Outcome::skipped(format!(
                "the Prometheus Operator is not used: none of {} Kubernetes objects is a monitoring.coreos.com resource",
                inv.total_objects()
            ));
        }
        let mut violations = Vec::new();
        let mut monitors = 0;
        for m in inv
            .objects
            .iter()
            .filter(|o| o.kind == "ServiceMonitor" || o.kind == "PodMonitor")
        {
            let Spec::Monitor { selector } = &m.spec else {
                continue;
            };
            monitors += 1;
            let Some(sel) = selector else {
                violations.push(Evidence::at(
                    m.file.clone(),
                    Some(m.line),
                    format!("{} has no selector", m.display()),
                ));
                continue;
            };
            // Monitors often live in the monitoring namespace and select across namespaces.
            let selects = if m.kind == "ServiceMonitor" {
                inv.of_kind("Service").any(|s| sel.matches(&s.labels))
            } else {
                inv.workloads(&[]).any(|(_, w)| sel.matches(&w.pod_labels))
            };
            if !selects {
                violations.push(Evidence::at(
                    m.file.clone(),
                    Some(m.line),
                    format!(
                        "{} selects no {} in the manifests",
                        m.display(),
                        if m.kind == "ServiceMonitor" {
                            "Service (by its metadata.labels)"
                        } else {
                            "pods"
                        }
                    ),
                ));
            }
        }
        if monitors == 0 {
            let mut out = Outcome::fail(format!(
                "no ServiceMonitor or PodMonitor among {} Kubernetes objects: add a ServiceMonitor selecting the service's metrics port",
                inv.total_objects()
            ));
            super::add_unparsed(&inv, &mut out);
            return out;
        }
        verdict(
            &inv,
            violations,
            format!("{monitors} ServiceMonitor/PodMonitor(s) each select a target"),
            |_, first| format!("{first}: make its selector match the Service's labels"),
        )
    }
}
