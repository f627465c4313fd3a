//! `k8s.replicas` — Deployments and StatefulSets run at least two replicas.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::extract::{Unit, comparisons};
use serde_json::Value;

use super::objects::{Inventory, Spec};
use super::{count, judgement, k8s_context, no_manifests, verdict};
use crate::wording::{has_any, leftover, words};

pub struct Replicas;

static META: CheckMeta = CheckMeta {
    id: "k8s.replicas",
    title: "Deployments and StatefulSets run several replicas",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "min",
        kind: ParamKind::Integer,
        default: Some("2"),
        required: false,
        doc: "the fewest replicas each Deployment and StatefulSet must run",
    }],
    docs: CheckDocs {
        what: "Every Deployment and StatefulSet sets spec.replicas to at least `min` (default \
               2), or is scaled by a HorizontalPodAutoscaler (or KEDA ScaledObject) whose \
               minReplicas is at least `min`. An unset spec.replicas means one.",
        why: "A single replica is a single point of failure: every node drain, eviction, crash \
              or rollout is an outage.",
        fix: "Set spec.replicas: 2 or more (or an HPA with minReplicas: 2 or more) and make the \
              service safe to run in several copies.",
        example: "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 3",
        binds: &[
            "Multiple replicas configured",
            "At least 3 replicas per Kubernetes deployment",
            "Deployments run multiple replicas",
        ],
        not_binds: &[
            "Read replicas configured (if high availability required)",
            "Cross-region replication",
            "Database replicas in sync",
        ],
    },
};

fn min_from(lower: &str) -> Option<i64> {
    for c in comparisons(lower) {
        if c.unit == Unit::Count
            && c.noun
                .as_deref()
                .is_some_and(|n| ["replicas", "replica", "instances", "pods"].contains(&n))
        {
            let v = c.value as i64;
            return Some(if matches!(c.op, gonogo_engine::extract::Op::Gt) {
                v + 1
            } else {
                v
            });
        }
    }
    let w = words(lower);
    w.windows(2).find_map(|p| {
        (["replicas", "instances"].contains(&p[1]))
            .then(|| p[0].parse::<i64>().ok())
            .flatten()
    })
}

#[async_trait::async_trait]
impl Check for Replicas {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["multiple-replicas"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["replica"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(lower, &["replicas", "replica"])
            || has_any(
                lower,
                &[
                    "read replica",
                    "read replicas",
                    "database",
                    "db",
                    "postgres",
                    "redis",
                    "mysql",
                    "replication",
                ],
            )
        {
            return BindVerdict::No;
        }
        let min = min_from(lower);
        if min.is_none()
            && !has_any(
                lower,
                &["multiple", "several", "more than one", "redundant"],
            )
            && !k8s_context(view)
        {
            return BindVerdict::No;
        }
        let min = min.unwrap_or(2);
        let b = AutoBinding::new(format!("wording asks for at least {min} replicas"))
            .with("min", Value::from(min));
        if let Some(d) = judgement(lower, "the replica counts", b.clone()) {
            return d;
        }
        let extra = leftover(
            lower,
            &[
                "multiple",
                "several",
                "replicas",
                "replica",
                "at",
                "least",
                "per",
                "each",
                "every",
                "kubernetes",
                "k8s",
                "deployment",
                "deployments",
                "statefulsets",
                "run",
                "runs",
                "minimum",
                "more",
                "than",
                "one",
                "redundant",
                "pods",
                "service",
                "services",
            ],
        );
        let extra: Vec<&str> = extra
            .into_iter()
            .filter(|w| w.parse::<i64>().is_err())
            .collect();
        super::bind_unless_more(&extra, "replica counts show", b)
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let inv = Inventory::of(&ctx);
        if let Some(o) = no_manifests(&inv) {
            return o;
        }
        let min = params.get("min").and_then(Value::as_i64).unwrap_or(2);
        let mut violations = Vec::new();
        let mut checked = 0;
        let mut tally = super::Tally::default();
        for (o, w) in inv.workloads(&["Deployment", "StatefulSet"]) {
            checked += usize::from(tally.add(o, ""));
            let hpa_min = inv.objects.iter().find_map(|a| match &a.spec {
                Spec::Autoscaler {
                    target_kind,
                    target_name,
                    min_replicas,
                } if target_kind == &o.kind && target_name == &o.name && a.same_namespace(o) => {
                    Some(min_replicas.unwrap_or(1))
                }
                _ => None,
            });
            let have = match hpa_min {
                Some(m) => m,
                None => w.replicas.unwrap_or(1),
            };
            if have >= min {
                continue;
            }
            let detail = match (hpa_min, w.replicas) {
                (Some(m), _) => format!(
                    "{} is scaled by an autoscaler with minReplicas {m}",
                    o.display()
                ),
                (None, Some(r)) => format!("{} has replicas: {r}", o.display()),
                (None, None) => format!("{} does not set replicas (defaults to 1)", o.display()),
            };
            violations.push(Evidence::at(
                o.file.clone(),
                Some(w.replicas_line.unwrap_or(o.line)),
                detail,
            ));
        }
        if checked == 0 {
            return Outcome::skipped("no Deployment or StatefulSet among the Kubernetes manifests");
        }
        verdict(
            &inv,
            violations,
            format!(
                "{} run at least {min} replicas",
                count(
                    checked,
                    "Deployment/StatefulSet",
                    "Deployments/StatefulSets"
                )
            ),
            |n, first| {
                format!(
                    "{n} of {checked} Deployments/StatefulSets run fewer than {min} replicas: {first}; set spec.replicas to {min} or more"
                )
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::min_from;

    #[test]
    fn minimum_from_wording() {
        assert_eq!(min_from("at least 3 replicas per deployment"), Some(3));
        assert_eq!(min_from("3 replicas"), Some(3));
        assert_eq!(min_from("multiple replicas configured"), None);
    }
}
