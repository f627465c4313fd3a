//! `helm.chart-valid` — every Helm chart is well-formed and renders (with helm on PATH), and
//! has `helm test` hooks when asked.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use crate::k8s::objects::Inventory;
use crate::wording::{bind_unless_claims_more, has_any, human_act, leftover};
use crate::yaml::{self, as_str, get};

pub struct ChartValid;

static META: CheckMeta = CheckMeta {
    id: "helm.chart-valid",
    title: "Helm charts are well-formed and render",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "tests",
        kind: ParamKind::Bool,
        default: Some("false"),
        required: false,
        doc: "also require a `helm test` hook (a template under templates/tests/ annotated \
              helm.sh/hook: test)",
    }],
    docs: CheckDocs {
        what: "Every chart (a folder with Chart.yaml) has a Chart.yaml with apiVersion, name and \
               version, a values.yaml that parses, and templates; when helm is on PATH it must \
               render with `helm template`, otherwise the result says rendering was not tried. \
               With tests, each chart also needs a helm test hook.",
        why: "A chart that does not render fails at install time, in the deploy pipeline or \
              during an incident rollback; a chart without test hooks cannot be checked after \
              install.",
        fix: "Fix Chart.yaml and values.yaml, run `helm lint` and `helm template`, and add a \
              templates/tests/ pod annotated `helm.sh/hook: test` that calls the service.",
        example: "chart/\n  Chart.yaml      # apiVersion: v2, name, version\n  values.yaml\n  \
                  templates/deployment.yaml\n  templates/tests/test-connection.yaml",
        binds: &[
            "Helm chart created",
            "Helm charts valid",
            "Helm chart renders",
            "Chart renders cleanly with helm template",
            "Does the chart lint?",
            "The chart carries a helm test hook",
            "helm lint passes",
            "Chart.yaml has a name, a version and an apiVersion",
        ],
        not_binds: &[
            "Helm chart created and tested",
            "Helm rollback rehearsed",
            "Helm release installed in production",
            "Helm test passes against staging",
            "Org chart valid for the on-call rotation",
            "Chart of accounts reviewed",
        ],
    },
};

#[async_trait::async_trait]
impl Check for ChartValid {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["chart", "helm"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        // `helm lint` and `helm template` run on a chart: naming them names it.
        let chart = has_any(
            lower,
            &[
                "chart",
                "charts",
                "chart.yaml",
                "helm lint",
                "helm template",
            ],
        );
        // A chart is a Helm chart when the item says Helm, or says what only a Helm chart
        // does: render, lint, carry `helm test` hooks.
        let helm = has_any(lower, &["helm", "chart.yaml"])
            || has_any(
                lower,
                &[
                    "render",
                    "renders",
                    "rendered",
                    "rendering",
                    "lint",
                    "lints",
                    "valid",
                    "test hook",
                    "test hooks",
                ],
            );
        if !chart || !helm {
            return BindVerdict::No;
        }
        // `helm test` hooks are files of the chart: the check reads them.
        let hooks = has_any(
            lower,
            &["helm test", "helm tests", "test hook", "test hooks"],
        ) && !has_any(lower, &["tested", "passes", "passed", "passing", "run"]);
        if hooks {
            let b = AutoBinding::new("wording asks for helm test hooks in the chart")
                .with("tests", Value::from(true));
            let extra = leftover(
                lower,
                &[
                    "helm", "chart", "charts", "test", "tests", "hook", "hooks", "include",
                    "includes", "s",
                ],
            );
            return bind_unless_claims_more(&extra, 0, "a chart's files show", vec![b]);
        }
        if has_any(lower, &["tested", "test", "tests"]) {
            return BindVerdict::Declined {
                why: "\"tested\" means the chart was installed and exercised; the repository \
                      shows only that it renders and has `helm test` hooks"
                    .into(),
                candidates: vec![
                    AutoBinding::new("chart renders and has helm test hooks")
                        .with("tests", Value::from(true)),
                ],
            };
        }
        let b = AutoBinding::new("wording names a Helm chart");
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!(
                    "\"{act}\" is a person's judgement; a well-formed chart does not prove it"
                ),
                candidates: vec![b],
            };
        }
        let extra = leftover(
            lower,
            &[
                "helm",
                "chart",
                "charts",
                "chart.yaml",
                "valid",
                "render",
                "renders",
                "rendered",
                "rendering",
                "lint",
                "lints",
                "linted",
                "well-formed",
                "well",
                "formed",
                "correct",
                "ok",
                "passes",
                // `helm template` is how a chart renders; values are what it renders with.
                "template",
                "templates",
                "correctly",
                "pass",
                "values",
                // What Chart.yaml must carry.
                "name",
                "version",
                "apiversion",
                "s",
            ],
        );
        bind_unless_claims_more(&extra, 0, "a chart's files show", vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let inv = Inventory::of(&ctx);
        if inv.charts.is_empty() {
            return Outcome::skipped("no Helm chart (no Chart.yaml) in the repository");
        }
        let want_tests = params
            .get("tests")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut problems = Vec::new();
        let mut notes = Vec::new();
        for chart in &inv.charts {
            let cf = yaml::load(&ctx, &chart.chart_file);
            match cf.as_ref() {
                Err(e) => problems.push(Evidence::at(
                    chart.chart_file.clone(),
                    None,
                    format!("not parsed: {e}"),
                )),
                Ok(f) => {
                    let doc = f.docs.first();
                    let missing: Vec<&str> = ["apiVersion", "name", "version"]
                        .into_iter()
                        .filter(|k| {
                            doc.and_then(|d| get(d, k))
                                .and_then(as_str)
                                .is_none_or(|v| v.trim().is_empty())
                        })
                        .collect();
                    if !missing.is_empty() {
                        problems.push(Evidence::at(
                            chart.chart_file.clone(),
                            Some(1),
                            format!("Chart.yaml lacks {}", missing.join(", ")),
                        ));
                    }
                    let library = doc.and_then(|d| get(d, "type")).and_then(as_str).as_deref()
                        == Some("library");
                    let has_templates = !chart.templates.is_empty()
                        || inv
                            .objects
                            .iter()
                            .any(|o| o.file.starts_with(&format!("{}/templates/", chart.dir)));
                    if !library && !has_templates {
                        problems.push(Evidence::at(
                            chart.chart_file.clone(),
                            None,
                            "chart has no templates",
                        ));
                    }
                }
            }
            if let Some(v) = &chart.values
                && let Err(e) = yaml::load(&ctx, v).as_ref()
            {
                problems.push(Evidence::at(v.clone(), None, format!("not parsed: {e}")));
            }
            match (&chart.rendered, &chart.render_note) {
                (false, Some(n))
                    if n.starts_with("helm template") || n.starts_with("helm could") =>
                {
                    problems.push(Evidence::at(chart.chart_file.clone(), None, n.clone()))
                }
                (_, Some(n)) if n != "helm is not on PATH" => {
                    notes.push(format!("{}: {n}", chart.dir_name()))
                }
                _ => {}
            }
            if want_tests {
                let hook = chart.templates.iter().find(|t| {
                    t.contains("/templates/tests/")
                        && ctx.text(t).as_ref().as_ref().is_ok_and(|f| {
                            f.text.contains("helm.sh/hook") && f.text.contains("test")
                        })
                });
                if hook.is_none() {
                    problems.push(Evidence::at(
                        chart.chart_file.clone(),
                        None,
                        "no helm test hook (templates/tests/*.yaml annotated helm.sh/hook: test)",
                    ));
                }
            }
        }
        let n = inv.charts.len();
        let mut out = if problems.is_empty() {
            Outcome::pass(format!(
                "{n} Helm chart(s) well-formed{}",
                if want_tests {
                    ", with helm test hooks"
                } else {
                    ""
                }
            ))
        } else {
            let first = problems[0].detail.clone();
            Outcome::fail(format!(
                "{} problem(s) in {n} Helm chart(s): {first}",
                problems.len()
            ))
        };
        if inv.charts.iter().all(|c| !c.rendered) {
            out.message
                .push_str(" (partial: helm is not on PATH, so charts were not rendered)");
        }
        out.evidence = problems;
        out.evidence
            .extend(notes.into_iter().take(20).map(Evidence::detail));
        out
    }
}
