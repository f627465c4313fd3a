//! `k8s.pdb` — every Deployment and StatefulSet is selected by a PodDisruptionBudget.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use super::objects::{Inventory, Spec};
use super::{count, judgement, no_manifests, verdict};
use crate::wording::{has_any, leftover};

pub struct Pdb;

static META: CheckMeta = CheckMeta {
    id: "k8s.pdb",
    title: "Every Deployment and StatefulSet has a PodDisruptionBudget that selects its pods",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "For every Deployment and StatefulSet, a PodDisruptionBudget in the same namespace \
               has a selector that matches the labels of its pod template (matchLabels and \
               matchExpressions are evaluated). A PDB that exists but selects other pods does \
               not count.",
        why: "Without a disruption budget a node drain or cluster upgrade may evict every pod \
              of a service at once.",
        fix: "Add a policy/v1 PodDisruptionBudget with minAvailable or maxUnavailable whose \
              spec.selector.matchLabels equals the workload's pod labels.",
        example: "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  \
                  maxUnavailable: 1\n  selector: {matchLabels: {app: web}}",
        binds: &[
            "Pod Disruption Budgets (PDB) set",
            "PodDisruptionBudget defined for each deployment",
            "PDBs configured",
        ],
        not_binds: &[
            "Error budget defined",
            "Disruption drills rehearsed",
            "Performance budget set",
        ],
    },
};

#[async_trait::async_trait]
impl Check for Pdb {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["pdb"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["disruption", "pdb"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(
            lower,
            &[
                "pod disruption budget",
                "pod disruption budgets",
                "poddisruptionbudget",
                "poddisruptionbudgets",
                "pdb",
                "pdbs",
            ],
        ) {
            return BindVerdict::No;
        }
        let b = AutoBinding::new("wording names PodDisruptionBudgets");
        if let Some(d) = judgement(lower, "budgets select the workloads", b.clone()) {
            return d;
        }
        let extra = leftover(
            lower,
            &[
                "maxunavailable",
                "minavailable",
                "unavailable",
                "available",
                "disruption",
                "disruptions",
                "voluntary",
                "evict",
                "evicting",
                "eviction",
                "evictions",
                "maintenance",
                "drain",
                "drains",
                "bounded",
                "once",
                "budget",
                "budgets",
                "pod",
                "disruption",
                "budget",
                "budgets",
                "poddisruptionbudget",
                "poddisruptionbudgets",
                "pdb",
                "pdbs",
                "each",
                "every",
                "deployment",
                "deployments",
                "workload",
                "workloads",
                "statefulsets",
                "kubernetes",
                "k8s",
                "applied",
            ],
        );
        super::bind_unless_more(&extra, "disruption budgets show", b)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let inv = Inventory::of(&ctx);
        if let Some(o) = no_manifests(&inv) {
            return o;
        }
        let pdbs: Vec<_> = inv
            .objects
            .iter()
            .filter_map(|p| match &p.spec {
                Spec::Pdb { selector } => Some((p, selector)),
                _ => None,
            })
            .collect();
        let mut violations = Vec::new();
        let mut checked = 0;
        let mut tally = super::Tally::default();
        for (o, w) in inv.workloads(&["Deployment", "StatefulSet"]) {
            checked += usize::from(tally.add(o, ""));
            let covered = pdbs.iter().any(|(p, sel)| {
                p.same_namespace(o) && sel.as_ref().is_some_and(|s| s.matches(&w.pod_labels))
            });
            if !covered {
                violations.push(Evidence::at(
                    o.file.clone(),
                    Some(o.line),
                    format!("no PodDisruptionBudget selects the pods of {}", o.display()),
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
                "{} selected by a PodDisruptionBudget",
                count(
                    checked,
                    "Deployment/StatefulSet is",
                    "Deployments/StatefulSets are"
                )
            ),
            |n, first| {
                format!(
                    "{n} of {checked} Deployments/StatefulSets have no PodDisruptionBudget ({} found): {first}; add one whose selector matches the pod labels",
                    pdbs.len()
                )
            },
        )
    }
}
