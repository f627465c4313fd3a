//! `k8s.anti-affinity` — replicas are spread by pod anti-affinity or topology spread.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use super::objects::Inventory;
use super::{count, judgement, no_manifests, verdict};
use crate::wording::{has_any, leftover};

pub struct AntiAffinity;

static META: CheckMeta = CheckMeta {
    id: "k8s.anti-affinity",
    title: "Deployments and StatefulSets spread their pods with anti-affinity or topology spread",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "Every Deployment and StatefulSet sets affinity.podAntiAffinity (required or \
               preferred) or topologySpreadConstraints in its pod template.",
        why: "Without spreading, the scheduler may place every replica on one node or zone, and \
              losing that node takes the whole service down despite its replica count.",
        fix: "Add a preferred podAntiAffinity on kubernetes.io/hostname, or \
              topologySpreadConstraints over zones and hostnames, selecting the workload's own \
              pod labels.",
        example: "topologySpreadConstraints:\n- maxSkew: 1\n  topologyKey: topology.kubernetes.io/zone\n  \
                  whenUnsatisfiable: ScheduleAnyway\n  labelSelector: {matchLabels: {app: web}}",
        binds: &[
            "Anti-affinity rules applied for high availability",
            "Pod anti-affinity configured",
            "Topology spread constraints set for Kubernetes deployments",
            "Kubernetes pods spread across zones",
        ],
        not_binds: &[
            "Session affinity (if needed)",
            "Node affinity for GPU pools",
            "Anti-affinity rules reviewed",
            "Traffic spread across regions",
        ],
    },
};

#[async_trait::async_trait]
impl Check for AntiAffinity {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["anti-affinity"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["affinity", "topology", "spread"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let named = has_any(
            lower,
            &[
                "anti-affinity",
                "antiaffinity",
                "podantiaffinity",
                "topology spread",
                "topologyspreadconstraints",
            ],
        );
        let spread = has_any(lower, &["spread across", "spread over", "spread evenly"])
            && has_any(lower, &["pods", "replicas", "pod"])
            && super::k8s_context(view);
        if !(named || spread) {
            return BindVerdict::No;
        }
        let b = AutoBinding::new("wording names pod anti-affinity or topology spread");
        if let Some(d) = judgement(lower, "spreading rules are declared", b.clone()) {
            return d;
        }
        let extra = leftover(
            lower,
            &[
                "node",
                "nodes",
                "zone",
                "zones",
                "failure",
                "domain",
                "domains",
                "spread",
                "distinct",
                "different",
                "same",
                "scheduled",
                "schedule",
                "topology",
                "across",
                "separate",
                "prefer",
                "prefers",
                "anti-affinity",
                "antiaffinity",
                "podantiaffinity",
                "spread",
                "over",
                "evenly",
                "hosts",
                "replicas",
                "pod",
                "pods",
                "rules",
                "rule",
                "applied",
                "high",
                "availability",
                "ha",
                "topology",
                "spread",
                "constraints",
                "topologyspreadconstraints",
                "kubernetes",
                "k8s",
                "deployments",
                "deployment",
                "across",
                "nodes",
                "zones",
                "or",
                "each",
                "every",
            ],
        );
        super::bind_unless_more(&extra, "scheduling rules show", b)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let inv = Inventory::of(&ctx);
        if let Some(o) = no_manifests(&inv) {
            return o;
        }
        let mut violations = Vec::new();
        let mut checked = 0;
        let mut tally = super::Tally::default();
        for (o, w) in inv.workloads(&["Deployment", "StatefulSet"]) {
            checked += usize::from(tally.add(o, ""));
            if !(w.anti_affinity || w.topology_spread) {
                violations.push(Evidence::at(
                    o.file.clone(),
                    Some(o.line),
                    format!(
                        "{} has neither podAntiAffinity nor topologySpreadConstraints",
                        o.display()
                    ),
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
                "{} spread their pods",
                count(
                    checked,
                    "Deployment/StatefulSet",
                    "Deployments/StatefulSets"
                )
            ),
            |n, first| {
                format!(
                    "{n} of {checked} Deployments/StatefulSets do not spread their pods: {first}; add podAntiAffinity or topologySpreadConstraints"
                )
            },
        )
    }
}
