//! `obs.grafana-dashboards` — Grafana dashboards are committed as valid JSON with panels.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    SAYS_MORE, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use crate::wording::{EXISTENCE, has_any, human_act, leftover, says_more, words};

pub struct GrafanaDashboards;

/// Words naming dashboards of the service's monitoring.
const DASHBOARD_WORDS: &[&str] = &[
    "grafana",
    "dashboard",
    "dashboards",
    "monitoring",
    "observability",
    "metrics",
    "service",
    "centralized",
    "centralised",
];

/// Words saying dashboards exist, beside `EXISTENCE`.
const EXIST: &[&str] = &["configured", "built"];

static META: CheckMeta = CheckMeta {
    id: "obs.grafana-dashboards",
    title: "Grafana dashboards committed as valid JSON with panels",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "Grafana dashboards are kept in the repository: JSON files in a folder named \
               dashboards (or under grafana/), or any JSON whose top level (or `dashboard`) has \
               `panels`. Each must parse, have a title and at least one panel (rows' panels \
               count).",
        why: "A dashboard built by hand in the UI is lost with the Grafana instance and drifts \
              between environments; dashboards as code are reviewed, versioned and restored \
              with the rest.",
        fix: "Export each dashboard as JSON into grafana/dashboards/ and provision it \
              (a dashboards provider in grafana/provisioning/), or fix the file that does not \
              parse.",
        example: "grafana/dashboards/api.json: {\"title\": \"API\", \"panels\": [{\"type\": \"timeseries\", …}]}",
        binds: &[
            "Grafana dashboards committed",
            "Grafana dashboards configured",
            "Dashboards as code in the repository",
            "Dashboards exported as JSON",
            "Grafana dashboards under version control",
            "Monitoring dashboards set up",
            "Dashboards",
        ],
        not_binds: &[
            "Grafana dashboards imported",
            "Monitoring dashboards open",
            "API performance dashboard",
            "Alert dashboard",
            "Dashboards show the JSON payload sizes per endpoint",
            "Marketing KPI dashboard for the sales team",
            "Dashboards are accessible to on-call",
        ],
    },
};

fn panel_count(v: &Value) -> usize {
    let d = v.get("dashboard").unwrap_or(v);
    let direct = d
        .get("panels")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let in_rows: usize = d
        .get("rows")
        .and_then(Value::as_array)
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    r.get("panels")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len)
                })
                .sum()
        })
        .unwrap_or(0);
    direct + in_rows
}

#[async_trait::async_trait]
impl Check for GrafanaDashboards {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// What a dashboard covers ("Key metrics dashboard", "RED method-style dashboards") needs
    /// the dashboard: its file shows that, a person what is on it.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["dashboards"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["dashboard"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(lower, &["dashboard", "dashboards"]) {
            return BindVerdict::No;
        }
        // Dashboards kept as code (Grafana, JSON, version control) are files; dashboards said
        // to exist at all ("Dashboards", "Monitoring dashboard created") are asked of the same
        // files, since dashboards that live only in a UI are the gap the check reports.
        let as_files = has_any(
            lower,
            &[
                "grafana",
                "as code",
                "committed",
                "provisioned",
                "json",
                "version control",
                "version controlled",
                "version-controlled",
                "source control",
            ],
        );
        let exist = has_any(lower, EXIST)
            || has_any(lower, EXISTENCE)
            || !says_more(&leftover(lower, DASHBOARD_WORDS), 0);
        if !as_files && !exist {
            return BindVerdict::No;
        }
        let b = AutoBinding::new("wording says Grafana dashboards are kept as code");
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement"),
                candidates: vec![b],
            };
        }
        let w = words(lower);
        // What a dashboard shows is read on the dashboard, not in its file's presence.
        if let Some(x) = [
            "show",
            "shows",
            "display",
            "displays",
            "distinguish",
            "kpi",
            "kpis",
        ]
        .iter()
        .find(|x| w.contains(x))
        {
            return BindVerdict::Declined {
                why: format!(
                    "the item names what a dashboard holds (\"{x}\"): a person judges that"
                ),
                candidates: vec![b],
            };
        }
        if let Some(x) = [
            "imported",
            "open",
            "working",
            "visible",
            "populating",
            "populated",
            "loading",
            "live",
            // "accessible to on-call": who can open them is the running Grafana's.
            "accessible",
            "access",
        ]
        .iter()
        .find(|x| w.contains(x))
        {
            return BindVerdict::Declined {
                why: format!("\"{x}\" is about a running Grafana, not files in the repository"),
                candidates: vec![b],
            };
        }
        let used: Vec<&str> = DASHBOARD_WORDS
            .iter()
            .chain(EXIST)
            .chain(EXISTENCE)
            .chain(&[
                "as",
                "code",
                "provisioned",
                "json",
                // Kept in the repository, as files: what the check reads.
                "exported",
                "export",
                "save",
                "saved",
                "stored",
                "source",
                "control",
                "under",
                "dashboards/",
                "version",
                "controlled",
            ])
            .copied()
            .collect();
        let extra = leftover(lower, &used);
        if says_more(&extra, 0) {
            return BindVerdict::Declined {
                why: format!("{SAYS_MORE}dashboard files can show ({})", extra.join(" ")),
                candidates: vec![b],
            };
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let mut good = Vec::new();
        let mut bad = Vec::new();
        for f in &ctx.repo_index().files {
            if !f.rel.ends_with(".json") || !gonogo_engine::scope::of(&f.rel).is_product() {
                continue;
            }
            let lower = f.rel.to_ascii_lowercase();
            let in_dash_dir = lower.contains("dashboards/") || lower.contains("grafana/");
            let text = ctx.text(&f.rel);
            let Ok(t) = text.as_ref() else { continue };
            if !in_dash_dir && !t.text.contains("\"panels\"") {
                continue;
            }
            match serde_json::from_str::<Value>(&t.text) {
                Err(e) => {
                    // A file that holds `"panels"` is a dashboard wherever it is: one that
                    // does not parse fails, it is not passed over for a valid one elsewhere.
                    if in_dash_dir || t.text.contains("\"panels\"") {
                        bad.push(Evidence::at(
                            f.rel.clone(),
                            Some(e.line()),
                            format!("invalid JSON: {e}"),
                        ));
                    }
                }
                Ok(v) => {
                    let d = v.get("dashboard").unwrap_or(&v);
                    if !in_dash_dir && d.get("panels").is_none() {
                        continue;
                    }
                    let n = panel_count(&v);
                    let title = d.get("title").and_then(Value::as_str).unwrap_or("");
                    if n == 0 || title.is_empty() {
                        bad.push(Evidence::at(
                            f.rel.clone(),
                            None,
                            if n == 0 {
                                "no panels".to_string()
                            } else {
                                "no title".to_string()
                            },
                        ));
                    } else {
                        good.push(Evidence::at(
                            f.rel.clone(),
                            None,
                            format!("{title}: {n} panels"),
                        ));
                    }
                }
            }
        }
        if good.is_empty() && bad.is_empty() {
            return Outcome::fail(
                "no Grafana dashboard JSON in the repository: export the dashboards into grafana/dashboards/",
            );
        }
        if !bad.is_empty() {
            let mut o = Outcome::fail(format!(
                "{} of {} dashboard files are invalid (first: {} — {}): fix or re-export them",
                bad.len(),
                bad.len() + good.len(),
                bad[0].file.as_deref().unwrap_or(""),
                bad[0].detail
            ));
            for e in bad.into_iter().take(10) {
                o = o.with_evidence(e);
            }
            return o;
        }
        let mut o = Outcome::pass(format!(
            "{} Grafana dashboard{} with panels",
            good.len(),
            if good.len() == 1 { "" } else { "s" }
        ));
        for e in good.into_iter().take(10) {
            o = o.with_evidence(e);
        }
        o
    }
}
