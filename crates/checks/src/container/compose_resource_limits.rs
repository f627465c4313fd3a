//! `compose.resource-limits` — every Compose service has memory (and CPU) limits.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, ParamKind, ParamSpec,
    Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::{Subject, bind_claim, no_compose, over_services, service_label};
use crate::wording::has_any;
use crate::yaml;

pub struct ComposeResourceLimits;

static META: CheckMeta = CheckMeta {
    id: "compose.resource-limits",
    title: "Compose services have resource limits",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "resources",
        kind: ParamKind::TextList,
        default: Some("memory,cpus"),
        required: false,
        doc: "which limits each service must set: `memory` (`deploy.resources.limits.memory` or \
              `mem_limit`) and/or `cpus` (`deploy.resources.limits.cpus` or `cpus`)",
    }],
    docs: CheckDocs {
        what: "Every service of every Compose file sets the required limits: memory through \
               `deploy.resources.limits.memory` or `mem_limit`, CPU through \
               `deploy.resources.limits.cpus` or `cpus`.",
        why: "An unlimited container can take the host's whole memory or CPU: one leak or \
              runaway loop starves every other service on the machine, and the kernel's OOM \
              killer picks its victim at random.",
        fix: "Add `deploy: {resources: {limits: {cpus: \"1.0\", memory: 512M}}}` to each \
              service, sized from observed usage plus headroom.",
        example: "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    deploy:\n      resources:\n        limits:\n          cpus: \"1.0\"\n          memory: 512M",
        binds: &[
            "Docker resource limits set",
            "Memory limits set for all containers in docker-compose",
            "Compose services have CPU and memory limits",
        ],
        not_binds: &[
            "Resource limits set",
            "Resource limits and requests set",
            "Deployments configured with proper resource limits",
            "Docker resource limits appropriate",
        ],
    },
};

#[async_trait::async_trait]
impl Check for ComposeResourceLimits {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["limit", "capped"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        // "Memory limits", "limit container resources": a limit, and what it limits.
        let claim = has_any(lower, &["mem_limit", "resource-limits"])
            || (has_any(lower, &["limit", "limits", "limited", "capped", "cap"])
                && has_any(
                    lower,
                    &["resource", "resources", "memory", "cpu", "cpus", "ram"],
                )
                && !has_any(lower, &["rate", "quota", "quotas", "jvm", "heap", "v8"]));
        // The claim is cheap to rule out; what the item is about costs more.
        if !claim {
            return BindVerdict::No;
        }
        let s = Subject::of(view);
        let verdict = bind_claim(
            view,
            claim,
            // Limits said of nothing in particular are Kubernetes manifests' (k8s.resources):
            // Compose files are often for development. Under a Docker or Compose heading
            // (`Subject`), they are these. Requests are Kubernetes' word, said anywhere in the
            // item.
            s.compose_side()
                && !has_any(
                    &view.item.display_text.to_lowercase(),
                    &["requests", "request"],
                ),
            &[
                "resource",
                "resources",
                "limit",
                "limits",
                "memory",
                "cpu",
                "cpus",
                "mem_limit",
                "and",
                "for",
                "has",
                "have",
                "resource-limits",
                "limited",
                "capped",
                "cap",
                "ram",
            ],
            "wording asks for resource limits on containers",
        );
        let memory = has_any(lower, &["memory", "mem_limit", "ram"]);
        let cpu = has_any(lower, &["cpu", "cpus"]);
        let wanted: Vec<&str> = match (memory, cpu) {
            (true, false) => vec!["memory"],
            (false, true) => vec!["cpus"],
            _ => return verdict,
        };
        match verdict {
            BindVerdict::Bind(b) => BindVerdict::Bind(
                b.into_iter()
                    .map(|x: AutoBinding| x.with("resources", Value::from(wanted.clone())))
                    .collect(),
            ),
            v => v,
        }
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let wanted: Vec<String> = params
            .get("resources")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_lowercase)
                    .collect()
            })
            .unwrap_or_else(|| vec!["memory".into(), "cpus".into()]);
        let Some(f) = over_services(&ctx, |rel, s, f| {
            let limits = yaml::path(s.node, &["deploy", "resources", "limits"]);
            let mut missing = Vec::new();
            let mut found = Vec::new();
            for w in &wanted {
                let (key, legacy) = match w.as_str() {
                    "memory" | "mem" => ("memory", "mem_limit"),
                    "cpus" | "cpu" => ("cpus", "cpus"),
                    _ => continue,
                };
                let node = limits
                    .and_then(|l| yaml::get(l, key))
                    .or_else(|| yaml::get(s.node, legacy));
                match node.and_then(|n| yaml::as_str(n).map(|v| (v, yaml::line(n)))) {
                    Some((v, line)) if !v.trim().is_empty() && v.trim() != "0" => {
                        found.push((format!("{key} {v}"), line))
                    }
                    _ => missing.push(key),
                }
            }
            if missing.is_empty() {
                let line = found.first().map(|(_, l)| *l);
                let what: Vec<String> = found.into_iter().map(|(d, _)| d).collect();
                f.note(
                    rel,
                    line,
                    format!("service {}: limits {}", s.name, what.join(", ")),
                );
            } else {
                f.problem_at(
                    &service_label(rel, s),
                    rel,
                    Some(s.line),
                    format!("service {}: no {} limit", s.name, missing.join(" or ")),
                );
            }
        }) else {
            return no_compose();
        };
        f.outcome(
            "Compose service",
            &format!("every service limits {}", wanted.join(" and ")),
            "a service has no resource limit; add `deploy.resources.limits`",
        )
    }
}
