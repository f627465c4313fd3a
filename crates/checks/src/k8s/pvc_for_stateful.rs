//! `k8s.pvc-for-stateful` — stateful workloads keep their data on PersistentVolumeClaims.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use super::objects::Inventory;
use super::{count, judgement, k8s_context, no_manifests, verdict};
use crate::wording::{has_any, leftover};

pub struct PvcForStateful;

static META: CheckMeta = CheckMeta {
    id: "k8s.pvc-for-stateful",
    title: "Stateful workloads use PersistentVolumeClaims that exist",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "Every StatefulSet has volumeClaimTemplates or mounts a persistentVolumeClaim, and \
               every claimName a workload mounts is defined by a PersistentVolumeClaim in the \
               manifests. Skipped when nothing is stateful (no StatefulSet, no claim).",
        why: "A StatefulSet without claims keeps its data in the container's filesystem and \
              loses it on every reschedule; a claim that is never created leaves the pod \
              Pending.",
        fix: "Add volumeClaimTemplates to each StatefulSet, or a PersistentVolumeClaim manifest \
              for each claimName a pod mounts.",
        example: "kind: StatefulSet\nspec:\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    \
                  spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}",
        binds: &[
            "PVCs for persistent storage",
            "Persistent volume claims configured for stateful sets",
            "Kubernetes persistent storage via PVCs",
        ],
        not_binds: &[
            "Persistent storage (Postgres/etcd) with cross-region replication configured",
            "Backup storage configured",
            "PVC snapshots tested",
        ],
    },
};

#[async_trait::async_trait]
impl Check for PvcForStateful {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["pvc", "persistent", "volumeclaim"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let named = has_any(
            lower,
            &[
                "pvc",
                "pvcs",
                "persistent volume claim",
                "persistent volume claims",
                "persistentvolumeclaim",
                "persistentvolumeclaims",
                "volumeclaimtemplates",
            ],
        );
        let storage = has_any(
            lower,
            &[
                "persistent storage",
                "persistent volumes",
                "persistent volume",
            ],
        );
        if !(named || (storage && k8s_context(view))) {
            return BindVerdict::No;
        }
        let b = AutoBinding::new("wording names persistent volume claims");
        if let Some(d) = judgement(lower, "claims are declared", b.clone()) {
            return d;
        }
        let extra = leftover(
            lower,
            &[
                "pvc",
                "pvcs",
                "persistent",
                "volume",
                "volumes",
                "claim",
                "claims",
                "persistentvolumeclaim",
                "persistentvolumeclaims",
                "storage",
                "stateful",
                "sets",
                "statefulsets",
                "statefulset",
                "kubernetes",
                "k8s",
                "via",
                "using",
                "data",
                "workloads",
            ],
        );
        super::bind_unless_more(&extra, "volume claims show", b)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let inv = Inventory::of(&ctx);
        if let Some(o) = no_manifests(&inv) {
            return o;
        }
        let pvcs: Vec<_> = inv.of_kind("PersistentVolumeClaim").collect();
        let mut violations = Vec::new();
        let mut stateful = 0;
        for (o, w) in inv.workloads(&[]) {
            let is_sts = o.kind == "StatefulSet";
            if !is_sts && w.claims.is_empty() {
                continue;
            }
            stateful += 1;
            if is_sts && w.claim_templates.is_empty() && w.claims.is_empty() {
                violations.push(Evidence::at(
                    o.file.clone(),
                    Some(o.line),
                    format!(
                        "{} has no volumeClaimTemplates and mounts no persistentVolumeClaim",
                        o.display()
                    ),
                ));
            }
            for (claim, line) in &w.claims {
                if !pvcs
                    .iter()
                    .any(|p| &p.name == claim && p.may_share_namespace(o))
                {
                    violations.push(Evidence::at(
                        o.file.clone(),
                        Some(*line),
                        format!("{} mounts claim `{claim}`, but no PersistentVolumeClaim of that name is in the manifests", o.display()),
                    ));
                }
            }
        }
        if stateful == 0 {
            return Outcome::skipped(format!(
                "no stateful workload (no StatefulSet, no pod mounting a claim) among {} Kubernetes objects",
                inv.total_objects()
            ));
        }
        verdict(
            &inv,
            violations,
            format!(
                "{} data on claims that exist ({} PersistentVolumeClaims)",
                count(
                    stateful,
                    "stateful workload keeps",
                    "stateful workloads keep"
                ),
                pvcs.len()
            ),
            |n, first| format!("{n} problem(s) with persistent storage: {first}"),
        )
    }
}
