//! `k8s.probes` — liveness and readiness (and, when asked, startup) probes on every
//! long-running container.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, SAYS_MORE, TargetKind, text_list,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::objects::Inventory;
use super::{judgement, k8s_context, no_manifests, values, verdict};
use crate::wording::{has_any, leftover};

pub struct Probes;

static META: CheckMeta = CheckMeta {
    id: "k8s.probes",
    title: "Long-running containers have liveness and readiness probes",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "probes",
        kind: ParamKind::TextList,
        default: Some("liveness,readiness"),
        required: false,
        doc: "which probes each container must define: liveness, readiness, startup",
    }],
    docs: CheckDocs {
        what: "Every container of every long-running workload (Pod, Deployment, StatefulSet, \
               DaemonSet, ReplicaSet, ReplicationController) defines the probes asked for. \
               Jobs, CronJobs and init containers run to completion and are not probed. Helm \
               charts that cannot be rendered are checked through values.yaml and template text \
               (partial).",
        why: "Without a readiness probe a pod receives traffic before it can serve and during \
              its shutdown; without a liveness probe a hung process is never restarted.",
        fix: "Add livenessProbe and readinessProbe (httpGet on the health and readiness \
              endpoints, or tcpSocket/exec) to each container; add startupProbe for slow starts.",
        example: "containers:\n- name: api\n  livenessProbe:\n    httpGet: {path: /healthz, port: 8080}\n  \
                  readinessProbe:\n    httpGet: {path: /ready, port: 8080}",
        binds: &[
            "Kubernetes probes configured",
            "Liveness and readiness probes defined",
            "Kubernetes deployment with health/readiness probes",
            "Readiness probe configured for every pod",
        ],
        not_binds: &[
            "Health endpoint working (/health)",
            "Readiness endpoint working (/ready)",
            "Probes tested under load",
            "Synthetic probes from three regions",
        ],
    },
};

fn wanted_probes(text: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    if has_any(text, &["liveness", "health", "healthcheck", "live"]) {
        out.push("liveness");
    }
    if has_any(text, &["readiness", "ready"]) {
        out.push("readiness");
    }
    if has_any(text, &["startup", "start-up"]) {
        out.push("startup");
    }
    out
}

#[async_trait::async_trait]
impl Check for Probes {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// What a probe must verify needs the probe; the endpoint a probe calls and what it
    /// answers are the health check's to show.
    fn shows_part(&self, item: &ItemView<'_>) -> bool {
        !has_any(
            item.lower,
            &[
                "endpoint", "path", "url", "respond", "responds", "returns", "answers",
            ],
        )
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["readiness-probe", "liveness-probe", "probes"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["probe"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(lower, &["probe", "probes"]) {
            return BindVerdict::No;
        }
        let specific = has_any(lower, &["liveness", "readiness", "startup"]);
        if !(k8s_context(view) || specific) || has_any(lower, &["synthetic", "blackbox"]) {
            return BindVerdict::No;
        }
        let mut probes = wanted_probes(lower);
        for note in &view.item.notes {
            for p in wanted_probes(&note.to_lowercase()) {
                if !probes.contains(&p) {
                    probes.push(p);
                }
            }
        }
        if probes.is_empty() {
            probes = vec!["liveness", "readiness"];
        }
        let b = AutoBinding::new(format!(
            "wording asks for {} probes on Kubernetes containers",
            probes.join(", ")
        ))
        .with("probes", Value::from(probes));
        if let Some(d) = judgement(lower, "probes are defined", b.clone()) {
            return d;
        }
        let extra = leftover(
            lower,
            &[
                "probe",
                "probes",
                "liveness",
                "readiness",
                "startup",
                "health",
                "kubernetes",
                "k8s",
                "deployment",
                "deployments",
                "pod",
                "pods",
                "containers",
                "container",
                "if",
                "using",
                "every",
                "each",
                "on",
            ],
        );
        // "A /readiness endpoint for the readiness probe": the endpoint is the service's own
        // claim, shown by asking it; declining for it lets the two checks cover the item
        // together (`bind::jointly`).
        let endpoint: Vec<&str> = extra
            .iter()
            .copied()
            .filter(|w| w.starts_with('/') || matches!(*w, "endpoint" | "endpoints"))
            .collect();
        if !endpoint.is_empty() {
            return BindVerdict::Declined {
                why: format!("{SAYS_MORE}probe definitions show ({})", endpoint.join(" ")),
                candidates: vec![b],
            };
        }
        super::bind_unless_more(&extra, "probe definitions show", b)
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let inv = Inventory::of(&ctx);
        let charts = values::unrendered(&inv);
        if charts.is_empty()
            && let Some(o) = no_manifests(&inv)
        {
            return o;
        }
        let wanted: Vec<String> = text_list(&params, "probes")
            .into_iter()
            .map(|s| s.to_lowercase())
            .collect();
        let kinds = [
            "Pod",
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "ReplicaSet",
            "ReplicationController",
        ];
        let mut violations = Vec::new();
        let mut checked = 0;
        let mut tally = super::Tally::default();
        let mut first_fix = None;
        for (o, w) in inv.workloads(&kinds) {
            for c in w.containers.iter().filter(|c| !c.init) {
                checked += usize::from(tally.add(o, &c.name));
                let missing: Vec<String> = wanted
                    .iter()
                    .filter(|p| !c.probes.contains(&p.as_str()))
                    .map(|p| format!("{p}Probe"))
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                let what = format!("container `{}` of {}", c.name, o.display());
                first_fix.get_or_insert_with(|| format!("add {} to {what}", missing.join(", ")));
                violations.push(Evidence::at(
                    o.file.clone(),
                    Some(c.line),
                    format!("{what} has no {}", missing.join(", ")),
                ));
            }
        }
        if checked == 0 && charts.is_empty() {
            return Outcome::skipped(
                "no long-running workload among the Kubernetes manifests (Jobs and CronJobs are not probed)",
            );
        }
        for chart in &charts {
            let vals = match values::load_values(&ctx, chart) {
                Err(e) => {
                    violations.push(e);
                    continue;
                }
                Ok(v) => v,
            };
            for p in &wanted {
                let key = format!("{p}Probe");
                let in_values = vals.as_ref().is_some_and(|f| {
                    f.as_ref().as_ref().is_ok_and(|f| {
                        f.docs.iter().any(|d| {
                            values::find(d, &key)
                                .iter()
                                .any(|(_, n)| !crate::yaml::is_null(n))
                        })
                    })
                });
                if !in_values && values::template_mention(&ctx, chart, &key).is_none() {
                    first_fix.get_or_insert_with(|| {
                        format!("add {key} to chart `{}`", chart.dir_name())
                    });
                    violations.push(Evidence::at(
                        chart.chart_file.clone(),
                        None,
                        format!("neither values.yaml nor the templates of this chart define {key}"),
                    ));
                }
            }
        }
        let mut out = verdict(
            &inv,
            violations,
            format!(
                "{} define {} probes",
                values::subjects(
                    checked,
                    "long-running container",
                    "long-running containers",
                    &charts
                ),
                wanted.join(" and ")
            ),
            |n, _| {
                format!(
                    "{n} container(s) or charts lack probes: {}",
                    first_fix.unwrap_or_default()
                )
            },
        );
        values::mark_partial(&mut out, &charts);
        out
    }
}
