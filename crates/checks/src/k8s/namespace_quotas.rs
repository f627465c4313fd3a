//! `k8s.namespace-quotas` — each namespace the workloads use has a ResourceQuota and a
//! LimitRange.

use std::collections::BTreeSet;
use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind, text_list,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::objects::Inventory;
use super::{judgement, k8s_context, no_manifests, verdict};
use crate::wording::{claims_more, has_any, leftover};

pub struct NamespaceQuotas;

static META: CheckMeta = CheckMeta {
    id: "k8s.namespace-quotas",
    title: "Every namespace has a ResourceQuota and a LimitRange",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "objects",
        kind: ParamKind::TextList,
        default: Some("ResourceQuota,LimitRange"),
        required: false,
        doc: "which per-namespace objects are required: ResourceQuota, LimitRange",
    }],
    docs: CheckDocs {
        what: "For every namespace the manifests use (Namespace objects and the metadata.namespace \
               of workloads), a ResourceQuota and a LimitRange are defined in it. When no \
               manifest names a namespace, one of each without a namespace is enough (they land \
               where the manifests are applied).",
        why: "Without a quota one runaway deployment (or a replicas typo) exhausts the cluster \
              for every team; without a LimitRange pods without resources get no defaults.",
        fix: "Add a ResourceQuota (requests.cpu, requests.memory, limits.*, pods) and a \
              LimitRange with default requests and limits to each namespace.",
        example: "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: quota, namespace: shop}\n\
                  spec:\n  hard: {requests.cpu: '10', requests.memory: 20Gi, pods: '50'}",
        binds: &[
            "Kubernetes resource quotas applied",
            "Kubernetes resource quotas and limit ranges per namespace",
            "LimitRange defined for each namespace",
        ],
        not_binds: &[
            "Training pipelines guarded with resource quotas and monitoring",
            "API rate limit quotas enforced",
            "Cloud service quotas raised",
        ],
    },
};

#[async_trait::async_trait]
impl Check for NamespaceQuotas {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["namespace-quotas"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["quota", "range"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let quota = has_any(
            lower,
            &[
                "resource quota",
                "resource quotas",
                "resourcequota",
                "resourcequotas",
            ],
        );
        let range = has_any(
            lower,
            &["limit range", "limit ranges", "limitrange", "limitranges"],
        );
        if !quota && !range {
            return BindVerdict::No;
        }
        // The vocabulary writes both objects as the concept's canonical words ("resource
        // quotas"); which ones the item names is read from its own text.
        let raw = view.item.text.to_lowercase();
        let raw_quota = has_any(
            &raw,
            &[
                "resource quota",
                "resource quotas",
                "resourcequota",
                "resourcequotas",
                "quota",
                "quotas",
            ],
        );
        let raw_range = has_any(
            &raw,
            &["limit range", "limit ranges", "limitrange", "limitranges"],
        );
        let (quota, range) = if raw_quota || raw_range {
            (raw_quota, raw_range)
        } else {
            (quota, range)
        };
        if has_any(lower, &["rate", "api", "cloud", "aws", "gcp", "azure"]) {
            return BindVerdict::No;
        }
        let mut objects = Vec::new();
        if quota {
            objects.push("ResourceQuota");
        }
        if range {
            objects.push("LimitRange");
        }
        let b = AutoBinding::new(format!("wording names {}", objects.join(" and ")))
            .with("objects", Value::from(objects));
        if let Some(d) = judgement(lower, "the objects exist", b.clone()) {
            return d;
        }
        let extra = leftover(
            lower,
            &[
                "resource",
                "resources",
                "quota",
                "quotas",
                "resourcequota",
                "resourcequotas",
                "limit",
                "range",
                "ranges",
                "limitrange",
                "limitranges",
                "applied",
                "per",
                "each",
                "every",
                "namespace",
                "namespaces",
                "kubernetes",
                "k8s",
                "enforced",
            ],
        );
        if let Some(no) = claims_more(&extra, 1, "quota manifests show", || vec![b.clone()]) {
            return no;
        }
        // "Resource quotas" alone may mean cloud quotas: only among Kubernetes items, or when
        // the item names namespaces or Kubernetes' own kind names.
        if !(k8s_context(view)
            || range
            || [lower, raw.as_str()].iter().any(|t| {
                has_any(
                    t,
                    &["namespace", "namespaces", "resourcequota", "resourcequotas"],
                )
            }))
        {
            return BindVerdict::Declined {
                why: "resource quotas are not said to be Kubernetes namespace quotas".into(),
                candidates: vec![b],
            };
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let inv = Inventory::of(&ctx);
        if let Some(o) = no_manifests(&inv) {
            return o;
        }
        let wanted: Vec<String> = text_list(&params, "objects");
        let mut namespaces: BTreeSet<Option<String>> = BTreeSet::new();
        for o in &inv.objects {
            // A Namespace named by a placeholder (`$(NS)`) is the unset namespace.
            if o.kind == "Namespace" && !o.name.contains('$') {
                namespaces.insert(Some(o.name.clone()));
            } else if o.workload().is_some() {
                namespaces.insert(o.namespace.clone());
            }
        }
        if namespaces.len() > 1 {
            // Workloads without a namespace go where the named ones go; they add no namespace.
            namespaces.remove(&None);
        }
        if namespaces.is_empty() {
            return Outcome::skipped("no workload or Namespace among the Kubernetes manifests");
        }
        let mut violations = Vec::new();
        for ns in &namespaces {
            for kind in &wanted {
                let found = inv.of_kind(kind).any(|q| match (ns, &q.namespace) {
                    (Some(a), Some(b)) => a == b,
                    (None, _) => true,
                    (Some(_), None) => namespaces.len() == 1,
                });
                if !found {
                    let name = match ns.as_deref() {
                        Some(n) => format!("namespace {n}"),
                        None => "the namespace the manifests are applied to (they name none)"
                            .to_string(),
                    };
                    let anchor = inv
                        .objects
                        .iter()
                        .find(|o| {
                            (o.kind == "Namespace" && Some(&o.name) == ns.as_ref())
                                || (o.workload().is_some() && &o.namespace == ns)
                        })
                        .map(|o| (o.file.clone(), o.line));
                    let detail = format!("{name} has no {kind}");
                    violations.push(match anchor {
                        Some((f, l)) => Evidence::at(f, Some(l), detail),
                        None => Evidence::detail(detail),
                    });
                }
            }
        }
        verdict(
            &inv,
            violations,
            format!(
                "{} namespace(s) each have {}",
                namespaces.len(),
                wanted.join(" and ")
            ),
            |n, first| {
                format!("{n} missing per-namespace object(s): {first}; add one in that namespace")
            },
        )
    }
}
