//! `k8s.network-policy` — every long-running workload's pods are selected by a NetworkPolicy.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use super::objects::{Inventory, Spec};
use super::{count, judgement, no_manifests, verdict};
use crate::wording::{has_any, leftover};

pub struct NetworkPolicy;

static META: CheckMeta = CheckMeta {
    id: "k8s.network-policy",
    title: "Every workload's pods are selected by a NetworkPolicy",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "For every Pod, Deployment, StatefulSet, DaemonSet and ReplicaSet, a NetworkPolicy \
               in the same namespace has a podSelector matching its pod labels (an empty \
               podSelector selects every pod of the namespace). Policies that select other pods \
               do not count.",
        why: "Pods that no NetworkPolicy selects accept traffic from every pod of the cluster: \
              one compromised workload reaches all the others.",
        fix: "Add a default-deny NetworkPolicy (podSelector: {}) per namespace, and policies \
              that allow the traffic each workload needs.",
        example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny}\n\
                  spec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]",
        binds: &[
            "Network policies applied",
            "Network policies configured",
            "Kubernetes NetworkPolicies restrict pod traffic",
        ],
        not_binds: &[
            "Network policies reviewed by security",
            "Firewall rules configured",
            "Security group policies applied",
        ],
    },
};

#[async_trait::async_trait]
impl Check for NetworkPolicy {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// Service-level network rules in Kubernetes are NetworkPolicies, whatever else enforces them.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["network-policy"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["network"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(
            lower,
            &[
                "network policy",
                "network policies",
                "networkpolicy",
                "networkpolicies",
            ],
        ) {
            return BindVerdict::No;
        }
        let b = AutoBinding::new("wording names network policies");
        if let Some(d) = judgement(lower, "policies select the workloads", b.clone()) {
            return d;
        }
        let extra = leftover(
            lower,
            &[
                "ingress",
                "egress",
                "allow",
                "allows",
                "allowed",
                "rules",
                "restricted",
                "access",
                "isolation",
                "isolated",
                "open",
                "network",
                "policy",
                "policies",
                "networkpolicy",
                "networkpolicies",
                "applied",
                "kubernetes",
                "k8s",
                "restrict",
                "restricting",
                "pod",
                "pods",
                "traffic",
                "each",
                "every",
                "workload",
                "workloads",
                "namespace",
                "namespaces",
                "enforced",
                "default-deny",
                "default",
                "deny",
                "denied",
                // What a policy governs: "restrict service-to-service communication".
                "restricts",
                "control",
                "controls",
                "limit",
                "limits",
                "communication",
                "communications",
                "service-to-service",
                "pod-to-pod",
                "between",
                "services",
                "segmentation",
                "segment",
            ],
        );
        super::bind_unless_more(&extra, "NetworkPolicy manifests show", b)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let inv = Inventory::of(&ctx);
        if let Some(o) = no_manifests(&inv) {
            return o;
        }
        let policies: Vec<_> = inv
            .objects
            .iter()
            .filter_map(|p| match &p.spec {
                Spec::NetworkPolicy { pod_selector } => Some((p, pod_selector)),
                _ => None,
            })
            .collect();
        let mut violations = Vec::new();
        let mut checked = 0;
        let mut tally = super::Tally::default();
        for (o, w) in inv.workloads(&[
            "Pod",
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "ReplicaSet",
        ]) {
            checked += usize::from(tally.add(o, ""));
            if !policies
                .iter()
                .any(|(p, s)| p.same_namespace(o) && s.matches(&w.pod_labels))
            {
                violations.push(Evidence::at(
                    o.file.clone(),
                    Some(o.line),
                    format!("no NetworkPolicy selects the pods of {}", o.display()),
                ));
            }
        }
        if checked == 0 {
            return Outcome::skipped("no long-running workload among the Kubernetes manifests");
        }
        verdict(
            &inv,
            violations,
            format!(
                "{} selected by a NetworkPolicy",
                count(checked, "workload is", "workloads are")
            ),
            |n, first| {
                format!(
                    "{n} of {checked} workloads are not selected by any NetworkPolicy ({} found): {first}; add a policy whose podSelector matches its labels",
                    policies.len()
                )
            },
        )
    }
}
