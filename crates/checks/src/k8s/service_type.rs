//! `k8s.service-type` — Services exist, are of the expected type, and select workloads.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::objects::{Inventory, Selector, Spec};
use super::{count, judgement, no_manifests, verdict};
use crate::wording::{has_any, has_phrase, leftover};

pub struct ServiceType;

static META: CheckMeta = CheckMeta {
    id: "k8s.service-type",
    title: "Services are of the expected type and select workloads",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "type",
        kind: ParamKind::Text,
        default: Some("ClusterIP"),
        required: false,
        doc: "the type every Service must have: ClusterIP, NodePort, LoadBalancer or ExternalName \
              (an unset type is ClusterIP)",
    }],
    docs: CheckDocs {
        what: "The manifests define at least one Service; every Service has the expected type, \
               and every Service with a selector selects the pod labels of some workload in the \
               manifests (when the manifests define workloads).",
        why: "A Service of the wrong type exposes a workload beyond the cluster (NodePort, \
              LoadBalancer) or not at all; a selector that matches no pods routes traffic \
              nowhere.",
        fix: "Set spec.type to the expected type (or remove it for ClusterIP) and make \
              spec.selector equal the workload's pod labels.",
        example: "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: ClusterIP\n  \
                  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]",
        binds: &[
            "Service configured (ClusterIP)",
            "Kubernetes services use ClusterIP",
            "LoadBalancer service configured",
        ],
        not_binds: &[
            "Service configured",
            "Service mesh configured",
            "ClusterIP reviewed by networking",
        ],
    },
};

const TYPES: [&str; 4] = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];

#[async_trait::async_trait]
impl Check for ServiceType {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["service"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let named: Vec<&str> = TYPES
            .iter()
            .copied()
            .filter(|t| has_phrase(lower, &t.to_lowercase()))
            .collect();
        if named.len() != 1 || !has_any(lower, &["service", "services"]) {
            return BindVerdict::No;
        }
        let b = AutoBinding::new(format!("wording names {} Services", named[0]))
            .with("type", Value::from(named[0]));
        if let Some(d) = judgement(lower, "the Service types", b.clone()) {
            return d;
        }
        let extra = leftover(
            lower,
            &[
                "exposed",
                "expose",
                "outside",
                "internal",
                "behind",
                "ingress",
                "cluster",
                "public",
                "loadbalancer",
                "nodeport",
                "service",
                "services",
                "clusterip",
                "nodeport",
                "loadbalancer",
                "externalname",
                "type",
                "use",
                "uses",
                "kubernetes",
                "k8s",
                "only",
                "internal",
            ],
        );
        super::bind_unless_more(&extra, "Service manifests show", b)
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let inv = Inventory::of(&ctx);
        if let Some(o) = no_manifests(&inv) {
            return o;
        }
        let want = params
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("ClusterIP")
            .to_string();
        let has_workloads = inv.workloads(&[]).next().is_some();
        let mut violations = Vec::new();
        let mut services = 0;
        for o in inv.of_kind("Service") {
            let Spec::Service {
                service_type,
                selector,
            } = &o.spec
            else {
                continue;
            };
            services += 1;
            if !service_type.eq_ignore_ascii_case(&want) {
                violations.push(Evidence::at(
                    o.file.clone(),
                    Some(o.line),
                    format!("{} is of type {service_type}, not {want}", o.display()),
                ));
            }
            if let Some(sel) = selector
                && has_workloads
            {
                let s = Selector::from_map(sel.clone());
                let selects = inv
                    .workloads(&[])
                    .any(|(w, wl)| w.may_share_namespace(o) && s.matches(&wl.pod_labels));
                if !selects {
                    let labels: Vec<String> = sel.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    violations.push(Evidence::at(
                        o.file.clone(),
                        Some(o.line),
                        format!(
                            "{} selects {} but no workload has those pod labels",
                            o.display(),
                            labels.join(",")
                        ),
                    ));
                }
            }
        }
        if services == 0 {
            let mut out = Outcome::fail(format!(
                "no Service among {} Kubernetes objects: add a {want} Service that selects the workload's pods",
                inv.total_objects()
            ));
            super::add_unparsed(&inv, &mut out);
            return out;
        }
        verdict(
            &inv,
            violations,
            format!(
                "{} of type {want}, each selecting a workload",
                count(services, "Service is", "Services are")
            ),
            |_, first| {
                format!(
                    "{first}: set spec.type to {want} and spec.selector to the workload's pod labels"
                )
            },
        )
    }
}
