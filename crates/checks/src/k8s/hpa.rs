//! `k8s.hpa` — every Deployment and StatefulSet is the target of a HorizontalPodAutoscaler.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use super::objects::{Inventory, Spec};
use super::{count, judgement, k8s_context, no_manifests, verdict};
use crate::wording::{has_any, leftover};

/// Autoscaling that is not a Kubernetes workload's.
const CLOUD_SCALING: &[&str] = &[
    "asg",
    "auto scaling group",
    "autoscaling group",
    "scaling group",
    "scaling groups",
    "ec2",
    "ecs",
    "fargate",
    "lambda",
    "serverless",
    "app engine",
    "cloud run",
    "instances",
    "vm",
    "vms",
    "vmss",
    "elastic beanstalk",
    "heroku",
    "dynos",
];

pub struct Hpa;

static META: CheckMeta = CheckMeta {
    id: "k8s.hpa",
    title: "Every Deployment and StatefulSet is scaled by a HorizontalPodAutoscaler",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "For every Deployment and StatefulSet, a HorizontalPodAutoscaler (or a KEDA \
               ScaledObject) in the same namespace names it in scaleTargetRef (kind and name). \
               An autoscaler aimed at another workload does not count.",
        why: "Without an autoscaler, load beyond the fixed replica count queues or fails, and \
              capacity paid for at night is idle.",
        fix: "Add an autoscaling/v2 HorizontalPodAutoscaler whose scaleTargetRef names the \
              workload, with minReplicas, maxReplicas and a CPU or custom metric target.",
        example: "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  \
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  \
                  minReplicas: 2\n  maxReplicas: 10",
        binds: &[
            "Horizontal Pod Autoscaler (HPA) configured",
            "HPA defined for each deployment",
            "Kubernetes autoscaling configured",
            "Auto-scaling configured",
        ],
        not_binds: &[
            "Autoscaling policies verified (CPU, memory, disk, GPU pools)",
            "Autoscaling group for the EC2 fleet",
            "Cluster autoscaler node pools sized",
        ],
    },
};

#[async_trait::async_trait]
impl Check for Hpa {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// Scaling with the traffic, however it is tuned, needs an autoscaler.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["hpa"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["hpa", "autoscal", "scaling"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let named = has_any(
            lower,
            &[
                "horizontal pod autoscaler",
                "horizontal pod autoscalers",
                "horizontalpodautoscaler",
                "hpa",
                "hpas",
            ],
        );
        let autoscaling = has_any(
            lower,
            &["autoscaling", "auto-scaling", "autoscaler", "auto scaling"],
        );
        if !named && !autoscaling {
            return BindVerdict::No;
        }
        if has_any(
            lower,
            &[
                "cluster autoscaler",
                "node",
                "nodes",
                "pools",
                "vertical",
                "vpa",
            ],
        ) {
            return BindVerdict::No;
        }
        let b = AutoBinding::new("wording names horizontal pod autoscaling");
        if let Some(d) = judgement(lower, "autoscalers target the workloads", b.clone()) {
            return d;
        }
        // Autoscaling said plainly is pod autoscaling where the service runs on Kubernetes
        // (without manifests the check is skipped); a cloud's scaling group is not.
        if !named && !k8s_context(view) && has_any(lower, CLOUD_SCALING) {
            return BindVerdict::Declined {
                why:
                    "the autoscaling named is a cloud scaling group, not Kubernetes pod autoscaling"
                        .into(),
                candidates: vec![b],
            };
        }
        let extra = leftover(
            lower,
            &[
                "min",
                "max",
                "minreplicas",
                "maxreplicas",
                "scale",
                "scales",
                "scaling",
                "scaled",
                "autoscale",
                "autoscaled",
                "autoscaling",
                "load",
                "cpu",
                "memory",
                "utilization",
                "target",
                "keda",
                "horizontal",
                "bounds",
                "behavior",
                "horizontal",
                "pod",
                "autoscaler",
                "autoscalers",
                "horizontalpodautoscaler",
                "hpa",
                "hpas",
                "autoscaling",
                "auto-scaling",
                "auto",
                "scaling",
                "each",
                "every",
                "deployment",
                "deployments",
                "workloads",
                "kubernetes",
                "k8s",
                "enabled",
                // What an autoscaler scales on is its own business: load, metrics, demand.
                "based",
                "on",
                "performance",
                "metrics",
                "response",
                "load",
                "change",
                "changes",
                "demand",
                "traffic",
            ],
        );
        super::bind_unless_more(&extra, "autoscaler manifests show", b)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let inv = Inventory::of(&ctx);
        if let Some(o) = no_manifests(&inv) {
            return o;
        }
        let scalers: Vec<_> = inv
            .objects
            .iter()
            .filter_map(|a| match &a.spec {
                Spec::Autoscaler {
                    target_kind,
                    target_name,
                    ..
                } => Some((a, target_kind, target_name)),
                _ => None,
            })
            .collect();
        let mut violations = Vec::new();
        let mut checked = 0;
        let mut tally = super::Tally::default();
        for (o, _) in inv.workloads(&["Deployment", "StatefulSet"]) {
            checked += usize::from(tally.add(o, ""));
            let covered = scalers
                .iter()
                .any(|(a, k, n)| a.same_namespace(o) && **k == o.kind && **n == o.name);
            if !covered {
                violations.push(Evidence::at(
                    o.file.clone(),
                    Some(o.line),
                    format!("no HorizontalPodAutoscaler targets {}", o.display()),
                ));
            }
        }
        if checked == 0 {
            return Outcome::skipped("no Deployment or StatefulSet among the Kubernetes manifests");
        }
        verdict(
            &inv,
            violations,
            format!(
                "{} scaled by an autoscaler",
                count(
                    checked,
                    "Deployment/StatefulSet is",
                    "Deployments/StatefulSets are"
                )
            ),
            |n, first| {
                format!(
                    "{n} of {checked} Deployments/StatefulSets have no autoscaler ({} found): {first}; add an HPA whose scaleTargetRef names it",
                    scalers.len()
                )
            },
        )
    }
}
