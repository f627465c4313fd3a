//! `k8s.resources` — CPU and memory requests and limits on every container.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind, text_list,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::objects::Inventory;
use super::{judgement, k8s_context, no_manifests, values, verdict};
use crate::wording::{has_any, has_phrase, leftover};
use crate::yaml::{self, get};

pub struct Resources;

static META: CheckMeta = CheckMeta {
    id: "k8s.resources",
    title: "Containers set CPU and memory requests and limits",
    target: TargetKind::Repository,
    params: &[
        ParamSpec {
            name: "resources",
            kind: ParamKind::TextList,
            default: Some("cpu,memory"),
            required: false,
            doc: "which resources each container must set (cpu, memory, ephemeral-storage)",
        },
        ParamSpec {
            name: "kinds",
            kind: ParamKind::TextList,
            default: Some("requests,limits"),
            required: false,
            doc: "which of requests and limits must be set",
        },
    ],
    docs: CheckDocs {
        what: "Every container and init container of every workload in the Kubernetes manifests \
               (Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs) sets \
               resources.requests and resources.limits for CPU and memory. Helm charts are \
               rendered with helm template when helm is on PATH; otherwise their values.yaml \
               is read and the result says it was partial.",
        why: "Without requests the scheduler packs pods blindly and they are evicted first under \
              pressure; without limits one leaking container takes the node's memory and its \
              neighbours with it.",
        fix: "Add resources.requests and resources.limits (cpu and memory) to each container, \
              sized from observed usage.",
        example: "containers:\n- name: api\n  image: ghcr.io/acme/api:1.4.2\n  resources:\n    \
                  requests: {cpu: 100m, memory: 128Mi}\n    limits: {cpu: 500m, memory: 256Mi}",
        binds: &[
            "Kubernetes resource limits and requests set",
            "Resource requests and limits defined for all pods",
            "K8s memory limits set",
            "CPU and memory limits configured on Kubernetes deployments",
        ],
        not_binds: &[
            "Resource limits appropriate",
            "Deployments configured with proper resource limits",
            "Resource quotas applied",
            "Rate limits configured",
            "Docker memory limits set",
        ],
    },
};

#[async_trait::async_trait]
impl Check for Resources {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// Right-sizing CPU and memory needs requests and limits set.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["resource-requests"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["limit", "request", "capped"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let names_limits = has_any(
            lower,
            &[
                "limit", "limits", "limited", "capped", "request", "requests",
            ],
        ) && has_any(lower, &["resource", "resources", "cpu", "memory", "ram"]);
        if !names_limits
            || has_any(
                lower,
                &[
                    "quota",
                    "quotas",
                    "rate",
                    "docker",
                    "compose",
                    "docker-compose",
                ],
            )
        {
            return BindVerdict::No;
        }
        // "Resource limits" said of no particular platform are the workloads' wherever they
        // run: Kubernetes manifests (this check; skipped without any) and Compose files. A
        // Docker checklist's "set memory limits" is the same: its containers may run under
        // Kubernetes, and without manifests this check is skipped, which leaves the item to
        // the Compose files.
        // Under a Compose heading or parent the limits are the Compose file's.
        const COMPOSE: &[&str] = &["compose", "docker-compose"];
        let compose = view.parent_lower.is_some_and(|p| has_any(p, COMPOSE))
            || view
                .item
                .section
                .iter()
                .any(|s| has_any(&s.to_lowercase(), COMPOSE));
        // "Memory limits", "limit container resources": a limit of what a workload uses.
        let generic = !compose
            && !has_any(
                lower,
                &["jvm", "heap", "v8", "node.js", "process", "lambda", "vm"],
            );
        if !(k8s_context(view)
            || generic
            || has_any(lower, &["requests and limits", "limits and requests"]))
        {
            return BindVerdict::No;
        }
        let mut res = Vec::new();
        if has_phrase(lower, "cpu") {
            res.push("cpu");
        }
        // "CPU, RAM": RAM is the memory a limit bounds.
        if has_phrase(lower, "memory") || has_phrase(lower, "ram") {
            res.push("memory");
        }
        if res.is_empty() {
            res = vec!["cpu", "memory"];
        }
        let mut kinds = Vec::new();
        if has_any(lower, &["request", "requests"]) {
            kinds.push("requests");
        }
        // "Memory usage is limited", "CPU capped": a limit, said as a verb.
        if has_any(lower, &["limit", "limits", "limited", "capped"]) {
            kinds.push("limits");
        }
        let b = AutoBinding::new(format!(
            "wording asks for {} {} on Kubernetes containers",
            res.join(" and "),
            kinds.join(" and ")
        ))
        .with("resources", Value::from(res))
        .with("kinds", Value::from(kinds));
        if let Some(d) = judgement(lower, "the values are set", b.clone()) {
            return d;
        }
        let extra = leftover(
            lower,
            &[
                "resource",
                "resources",
                "limit",
                "limits",
                "request",
                "requests",
                "cpu",
                "memory",
                "ram",
                "kubernetes",
                "k8s",
                "deployments",
                "deployment",
                "containers",
                "container",
                "pods",
                "pod",
                "workloads",
                "on",
                "every",
                "each",
                "applied",
                "specified",
                "limited",
                "capped",
            ],
        );
        // What a limit bounds: "memory usage for containers is limited" (but "requests based
        // on real usage" is a judgement of the values).
        let extra: Vec<&str> = if has_any(lower, &["limited", "capped"]) {
            extra.into_iter().filter(|w| *w != "usage").collect()
        } else {
            extra
        };
        super::bind_unless_more(&extra, "resource settings show", b)
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let inv = Inventory::of(&ctx);
        let charts = values::unrendered(&inv);
        if charts.is_empty()
            && let Some(o) = no_manifests(&inv)
        {
            return o;
        }
        let list = |k: &str| -> Vec<String> {
            text_list(&params, k)
                .into_iter()
                .map(|s| s.to_lowercase())
                .collect()
        };
        let (res, kinds) = (list("resources"), list("kinds"));
        let wanted: Vec<String> = kinds
            .iter()
            .flat_map(|k| res.iter().map(move |r| format!("{k}.{r}")))
            .collect();
        let mut violations = Vec::new();
        let mut containers = 0;
        let mut first_fix = None;
        for (o, w) in inv.workloads(&[]) {
            for c in &w.containers {
                containers += 1;
                let missing: Vec<&String> = wanted
                    .iter()
                    .filter(|want| {
                        let (k, r) = want.split_once('.').unwrap_or_default();
                        let have = if k == "requests" {
                            &c.requests
                        } else {
                            &c.limits
                        };
                        !have.iter().any(|h| h.eq_ignore_ascii_case(r))
                    })
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                let names: Vec<String> = missing.iter().map(|m| format!("resources.{m}")).collect();
                let what = format!(
                    "{}container `{}` of {}",
                    if c.init { "init " } else { "" },
                    c.name,
                    o.display()
                );
                first_fix.get_or_insert_with(|| format!("add {} to {what}", names.join(", ")));
                violations.push(Evidence::at(
                    o.file.clone(),
                    Some(c.line),
                    format!("{what} lacks {}", names.join(", ")),
                ));
            }
        }
        for chart in &charts {
            match values::load_values(&ctx, chart) {
                Err(e) => violations.push(e),
                Ok(None) => violations.push(Evidence::at(
                    chart.chart_file.clone(),
                    None,
                    "chart has no values.yaml: resources cannot be checked without rendering",
                )),
                Ok(Some(f)) => {
                    let Ok(f) = f.as_ref() else { continue };
                    let found: Vec<_> = f
                        .docs
                        .iter()
                        .flat_map(|d| values::find(d, "resources"))
                        .collect();
                    let rel = chart.values.clone().unwrap_or_default();
                    if found.is_empty() {
                        first_fix.get_or_insert_with(|| {
                            format!("add resources (requests and limits) to {rel}")
                        });
                        violations.push(Evidence::at(
                            rel.clone(),
                            None,
                            "values.yaml sets no resources",
                        ));
                    }
                    for (at, node) in found {
                        let missing: Vec<&String> = wanted
                            .iter()
                            .filter(|want| {
                                let (k, r) = want.split_once('.').unwrap_or_default();
                                get(node, k)
                                    .and_then(|m| get(m, r))
                                    .and_then(yaml::as_str)
                                    .is_none_or(|v| v.trim().is_empty())
                            })
                            .collect();
                        if !missing.is_empty() {
                            let m: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
                            first_fix.get_or_insert_with(|| {
                                format!("set {} under `{at}` in {rel}", m.join(", "))
                            });
                            violations.push(Evidence::at(
                                rel.clone(),
                                values::at(node),
                                format!("`{at}` lacks {}", m.join(", ")),
                            ));
                        }
                    }
                }
            }
        }
        let mut out = verdict(
            &inv,
            violations,
            format!(
                "{} set {}",
                values::subjects(containers, "container", "containers", &charts),
                wanted.join(", ")
            ),
            |n, _| {
                format!(
                    "{n} container(s) or chart values lack resource settings: {}",
                    first_fix.unwrap_or_default()
                )
            },
        );
        values::mark_partial(&mut out, &charts);
        out
    }
}
