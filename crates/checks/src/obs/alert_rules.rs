//! `obs.alert-rules` — Prometheus alert rules exist, are complete, and cover the named kinds.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind, text_list,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use crate::wording::{bind_unless_claims_more, has_any, human_act, leftover, more_than, words};
use crate::yaml::{self, Node};

pub struct AlertRules;

static META: CheckMeta = CheckMeta {
    id: "obs.alert-rules",
    title: "Prometheus alert rules defined, complete and covering the named kinds",
    target: TargetKind::Repository,
    params: &[
        ParamSpec {
            name: "kinds",
            kind: ParamKind::TextList,
            default: Some(""),
            required: false,
            doc: "kinds of alert that must exist: latency, error-rate, readiness, saturation, \
                  stale-data, certificate-expiry, restarts, backup",
        },
        ParamSpec {
            name: "severity",
            kind: ParamKind::Text,
            default: Some("any"),
            required: false,
            doc: "a severity label value at least one alert must carry (e.g. critical), or any",
        },
    ],
    docs: CheckDocs {
        what: "Prometheus rule files in the repository (YAML with `groups:` of `rules:`, or a \
               `kind: PrometheusRule` manifest; Loki and Mimir rules alike) and Grafana \
               alerting provisioning files (`groups:` of rules with `title`, `condition` and \
               `data` queries, YAML or JSON) parse, and every alerting rule has a name \
               (`alert`/`title`), an expression (`expr`, or Grafana's condition over its \
               queries), a `for` duration and a `severity` label. \
               When kinds are named, an alert of each exists, recognised from its name, \
               expression and annotations: latency (latency, duration, histogram_quantile), \
               error-rate (error, 5xx, failure), readiness (ready, up == 0, absent, down), \
               saturation (cpu, memory, disk, filesystem, exhaustion) and stale-data (stale, \
               freshness, last success, lag, age).",
        why: "An alert without `for` pages on every blip, one without severity cannot be routed, \
              and a failure mode without an alert is found by customers first.",
        fix: "Add rules such as `alert: HighLatency`, `expr: histogram_quantile(0.95, …) > \
              0.2`, `for: 5m`, `labels: {severity: critical}` to a rules file loaded by \
              Prometheus (or a PrometheusRule).",
        example: "groups:\n  - name: api\n    rules:\n      - alert: HighErrorRate\n        expr: sum(rate(http_requests_total{code=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m])) > 0.01\n        for: 5m\n        labels: {severity: critical}",
        binds: &[
            "Alert rules configured",
            "High latency alerts",
            "Stale data alerts",
            "Critical alerts defined",
            "Prometheus alerting rules defined",
            "Every alert rule has an expr, a for duration and a severity label",
            "Alerts cover latency, errors and saturation",
            "Alert rules in ops/prometheus/alerts.yaml",
            "An alert fires when the service is unready",
        ],
        not_binds: &[
            "Alerts configured and tested",
            "No critical alerts",
            "Alert escalation policies defined",
            "Alerts for service degradation and automated remediation playbooks exist.",
            "Alert channels configured",
            "Alerts raised when latency exceeds the SLO are acted on within 15 minutes",
            "Alert rules cover every failure mode the business cares about",
        ],
    },
};

const KINDS: &[(&str, &[&str], &[&str])] = &[
    // (kind, wording, markers in name/expr/annotations)
    (
        "latency",
        &["latency", "slow", "response time", "response times"],
        &[
            "latency",
            "duration",
            "histogram_quantile",
            "response_time",
            "slow",
            "_seconds_bucket",
        ],
    ),
    (
        "error-rate",
        &["error rate", "error-rate", "errors", "error", "5xx"],
        &[
            "error",
            "5..",
            "5xx",
            "failure",
            "failed",
            "status=~\"5",
            "code=~\"5",
        ],
    ),
    (
        "readiness",
        &[
            "readiness",
            "ready",
            "unready",
            "not ready",
            "availability",
            "unavailability",
            "unavailable",
            "outage",
            "down",
            "health",
        ],
        &[
            "ready",
            "readiness",
            "up ==",
            "up{",
            "absent(",
            "down",
            "health",
            "unavailable",
        ],
    ),
    (
        "saturation",
        &[
            "resource exhaustion",
            "saturation",
            "saturated",
            "resource",
            "resources",
            "cpu",
            "memory",
            "disk",
            "disk space",
            "disk usage",
            "storage",
            "connection pool",
            "connections",
            "connection count",
            "queue",
            "queue depth",
            "queue length",
            "backlog",
            "capacity",
            "utilization",
            "usage",
            "heap",
            "file descriptors",
            "threads",
        ],
        &[
            "cpu",
            "memory",
            "disk",
            "filesystem",
            "storage",
            "volume",
            "saturation",
            "exhaust",
            "oom",
            "throttl",
            "_bytes",
            "connections",
            "pool",
            "queue",
            "backlog",
            "capacity",
            "utiliz",
            "usage",
            "heap",
            "file_descriptors",
            "fds",
            "threads",
        ],
    ),
    (
        "certificate-expiry",
        &[
            "certificate",
            "certificates",
            "cert",
            "certs",
            "certificate expiry",
            "certificate expiration",
            "tls",
            "ssl",
            "expiry",
            "expiration",
            "expiring",
        ],
        &[
            "cert",
            "ssl",
            "x509",
            "probe_ssl_earliest_cert_expiry",
            "notafter",
        ],
    ),
    (
        "restarts",
        &[
            "restart",
            "restarts",
            "restarting",
            "crash",
            "crashes",
            "crashing",
            "crash-loop",
            "crashloop",
            "crash loop",
            "crashloopbackoff",
            "oomkilled",
        ],
        &["restart", "crashloop", "oomkill", "backoff"],
    ),
    (
        "backup",
        &["backup", "backups", "snapshot", "snapshots"],
        &["backup", "snapshot"],
    ),
    (
        "stale-data",
        &[
            "stale data",
            "stale",
            "freshness",
            "data freshness",
            "lag",
            "replication lag",
            "replica lag",
            "consumer lag",
        ],
        &[
            "stale",
            "fresh",
            "last_success",
            "lastsuccess",
            "lag",
            "age",
            "time() -",
            "timestamp",
        ],
    ),
];

pub(crate) struct Rule {
    rel: String,
    line: usize,
    name: String,
    has_expr: bool,
    has_for: bool,
    severity: Option<String>,
    text: String,
}

fn rules_of(rel: &str, doc: &Node, out: &mut Vec<Rule>) {
    let groups = yaml::get(doc, "groups").or_else(|| yaml::path(doc, &["spec", "groups"]));
    let Some(groups) = groups else { return };
    for g in yaml::items(groups) {
        let Some(rules) = yaml::get(g, "rules") else {
            continue;
        };
        for r in yaml::items(rules) {
            // Prometheus/Loki/Mimir: `alert` + `expr`. Grafana alerting provisioning: `title`,
            // a `condition` naming one of the `data` queries, each query's `model.expr`.
            let grafana = yaml::get(r, "alert").is_none();
            let name = if grafana {
                yaml::get(r, "title").and_then(yaml::as_str)
            } else {
                yaml::get(r, "alert").and_then(yaml::as_str)
            };
            let Some(name) = name else {
                continue;
            };
            let expr = if grafana {
                let queries: Vec<String> = yaml::get(r, "data")
                    .map(|d| {
                        yaml::items(d)
                            .iter()
                            .filter_map(|q| {
                                yaml::path(q, &["model", "expr"])
                                    .or_else(|| yaml::path(q, &["model", "expression"]))
                                    .and_then(yaml::as_str)
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let condition = yaml::get(r, "condition").and_then(yaml::as_str);
                if condition.is_some_and(|c| !c.trim().is_empty()) {
                    queries.join(" ")
                } else {
                    String::new()
                }
            } else {
                yaml::get(r, "expr")
                    .and_then(yaml::as_str)
                    .unwrap_or_default()
            };
            let ann: String = yaml::get(r, "annotations")
                .map(|a| {
                    yaml::entries(a)
                        .iter()
                        .filter_map(|(_, v)| yaml::as_str(v))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default();
            out.push(Rule {
                rel: rel.to_string(),
                line: yaml::line(r),
                name: name.clone(),
                has_expr: !expr.trim().is_empty(),
                has_for: yaml::get(r, "for")
                    .and_then(yaml::as_str)
                    .is_some_and(|f| !f.trim().is_empty()),
                severity: yaml::path(r, &["labels", "severity"]).and_then(yaml::as_str),
                text: format!("{name} {expr} {ann}").to_lowercase(),
            });
        }
    }
}

/// Every alerting rule of the repository, and rule files that could not be parsed.
fn load(ctx: &RunContext) -> Arc<(Vec<Rule>, Vec<String>)> {
    ctx.cached("obs.alert-rules", || {
        let mut rules = Vec::new();
        let mut errors = Vec::new();
        for f in &ctx.repo_index().files {
            let json = f.rel.ends_with(".json");
            if !(f.rel.ends_with(".yml") || f.rel.ends_with(".yaml") || json)
                || crate::repo::is_fixture(&f.rel)
            {
                continue;
            }
            let text = ctx.text(&f.rel);
            let Ok(t) = text.as_ref() else { continue };
            let prometheus = t.text.contains("groups:") && t.text.contains("alert:");
            // Grafana alerting provisioning files (YAML, or JSON as Grafana exports them).
            let grafana = if json {
                t.text.contains("\"groups\"") && t.text.contains("\"condition\"")
            } else {
                t.text.contains("groups:") && t.text.contains("condition:")
            };
            if !(prometheus || grafana) {
                continue;
            }
            match yaml::load(ctx, &f.rel).as_ref() {
                Ok(y) => {
                    for d in &y.docs {
                        rules_of(&f.rel, d, &mut rules);
                    }
                }
                Err(e) => errors.push(e.clone()),
            }
        }
        (rules, errors)
    })
}

/// The kinds of alert the wording names ("CPU", "error rate" → saturation, error-rate).
fn kinds_named(lower: &str) -> Vec<&'static str> {
    KINDS
        .iter()
        .filter(|(_, names, _)| has_any(lower, names))
        .map(|(k, _, _)| *k)
        .collect()
}

/// Every word that names a kind of alert: naming which alerts claims no more than alerts.
fn kind_words() -> impl Iterator<Item = &'static str> {
    KINDS.iter().flat_map(|(_, names, _)| names.iter().copied())
}

/// Words naming alerts.
const ALERT_WORDS: &[&str] = &[
    "alert",
    "alerts",
    "alerting",
    "alert rules",
    "alerting rules",
];

/// Judgements of alerts a rule file cannot show: how good they are to the people paged.
const ALERT_JUDGEMENTS: &[&str] = &[
    "actionable",
    "noise",
    "noisy",
    "chatty",
    "meaningful",
    "useful",
    "tuned",
    "tune",
    "fatigue",
    "routed",
    "routing",
    "received",
];

/// What else is said of alerts that rules existing do not begin to show: where they are sent,
/// and what is written about them.
const ALERT_ELSEWHERE: &[&str] = &[
    "sent",
    "linked",
    "access",
    "written",
    "strategy",
    "policy",
    "auditors",
    "procedure",
    "procedures",
];

/// Whether the item is a sub-item of a parent that opens a list of alerts with a colon
/// ("Alerts configured for:", "Alerting on:"): each sub-item then names one alert.
fn listed_under_alerts(view: &ItemView<'_>) -> bool {
    view.item.children.is_empty()
        && view
            .parent_lower
            .is_some_and(|p| p.trim_end().ends_with(':') && has_any(p, ALERT_WORDS))
}

/// "CPU > 80%", "Backup failures", "Replication lag > threshold" under an alert list: an
/// alert rule of the kind the condition names. A threshold or other words beyond the kind are
/// left to a person (the check reads which rules exist, not their thresholds); a condition
/// of no kind the check knows stays with a person too.
fn listed_condition(lower: &str) -> BindVerdict {
    let kinds = kinds_named(lower);
    if kinds.is_empty() || words(lower).len() > 6 {
        return BindVerdict::No;
    }
    let b = AutoBinding::new(format!(
        "listed under alerts: an alert rule for {}",
        kinds.join(", ")
    ))
    .with("kinds", Value::from(kinds));
    let mut used: Vec<&str> = vec!["failure", "failures", "failed", "high", "low", "s"];
    used.extend(kind_words());
    let extra = leftover(lower, &used);
    if extra.is_empty() {
        return BindVerdict::Bind(vec![b]);
    }
    more_than(&extra, "alert rule files can show", vec![b])
}

#[async_trait::async_trait]
impl Check for AlertRules {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["alerts"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["alert"]
    }

    /// A condition listed under "Alerts configured for:" shows in a rule of its kind; the
    /// threshold it states is a person's to check against the rule. Alerts on something the
    /// check cannot tell from a rule ("log monitoring alerts", "warning alerts for degraded
    /// performance") need rules to exist: the check shows that, a person what they cover.
    /// (A judgement of alerts is declined outright in `bind`, so never shown in part.)
    fn shows_part(&self, item: &ItemView<'_>) -> bool {
        listed_under_alerts(item)
            || has_any(item.lower, ALERT_WORDS) && !has_any(item.lower, ALERT_ELSEWHERE)
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if listed_under_alerts(view) && !has_any(lower, ALERT_WORDS) {
            return listed_condition(lower);
        }
        if !has_any(lower, ALERT_WORDS) {
            return BindVerdict::No;
        }
        let w = words(lower);
        // A bare heading-like parent ("Alerting") is decided by its sub-items.
        if !view.item.children.is_empty() && w.len() <= 2 {
            return BindVerdict::No;
        }
        // Routing, escalation and live state are not rule files.
        if has_any(
            lower,
            &[
                "escalation",
                "channels",
                "channel",
                "notifications",
                "notification",
                "dashboard",
                "on-call",
                "pagerduty",
                "opsgenie",
                "slack",
                "sms",
                "email",
                "e-mail",
                "telegram",
                "phone",
                // Alerts kept in another vendor's system are not Prometheus rule files.
                "datadog",
                "new relic",
                "newrelic",
                "cloudwatch",
                "stackdriver",
                "splunk",
                "kibana",
                "grafana cloud",
                "sentry",
            ],
        ) || w.first() == Some(&"no")
        {
            return BindVerdict::No;
        }
        let kinds = kinds_named(lower);
        let critical = has_any(lower, &["critical"]);
        let mut b = AutoBinding::new("wording asks for alert rules");
        if !kinds.is_empty() {
            b = b.with("kinds", Value::from(kinds.clone()));
        }
        if critical {
            b = b.with("severity", Value::from("critical"));
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement"),
                candidates: vec![b],
            };
        }
        if let Some(j) = ALERT_JUDGEMENTS.iter().find(|j| has_any(lower, &[j])) {
            return BindVerdict::Declined {
                why: format!("\"{j}\" judges the alerts; rule files only show they exist"),
                candidates: vec![b],
            };
        }
        if let Some(r) = [
            "tested",
            "testing",
            "firing",
            "verified",
            "working",
            "validated",
        ]
        .iter()
        .find(|r| w.contains(r))
        {
            // The rules existing is the part a machine shows; that they fire is a person's
            // to vouch for beside it ("Error-rate alerts validated").
            return more_than(&[r], "alert rule files can show", vec![b]);
        }
        let mut used: Vec<&str> = vec![
            "alert",
            "alerts",
            "alerting",
            "rules",
            "rule",
            "prometheus",
            "critical",
            "high",
            "failure",
            "failures",
            "failed",
            "failing",
            "monitoring",
            // What a rule is made of, which the check reads: `expr`, `for`, `severity`.
            "severity",
            "labels",
            "label",
            "expr",
            "expression",
            "for-duration",
            "duration",
            // Saying which failures the rules cover, or that an alert goes off on them.
            "cover",
            "covers",
            "covering",
            "fires",
            "raised",
            "triggered",
            "s",
        ];
        used.extend(kind_words());
        // "Error rate above 1% for 5 minutes": the rule's threshold, one thing a person reads
        // in the rule, however many words it takes.
        const THRESHOLD: &[&str] = &[
            "above", "below", "over", "under", "exceeds", "exceed", "more", "less", "than",
            "minutes", "minute", "seconds", "second", "hours", "hour", "ms", "min", "mins",
        ];
        let threshold = |w: &&str| {
            THRESHOLD.contains(w) || w.chars().next().is_some_and(|c| c.is_ascii_digit())
        };
        // The file the rules are in ("in monitoring/alerts.yml") says where, not what more.
        let (limit, mut extra): (Vec<&str>, Vec<&str>) = leftover(lower, &used)
            .into_iter()
            .filter(|w| !(w.ends_with(".yml") || w.ends_with(".yaml") || w.ends_with(".rules")))
            .partition(threshold);
        if !limit.is_empty() {
            extra.push("threshold");
        }
        bind_unless_claims_more(&extra, 0, "alert rule files can show", vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let kinds: Vec<String> = text_list(&params, "kinds")
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        for k in &kinds {
            if !KINDS.iter().any(|(n, _, _)| n == k) {
                return Outcome::error(format!(
                    "unknown alert kind `{k}` (latency, error-rate, readiness, saturation, stale-data, certificate-expiry, restarts, backup)"
                ));
            }
        }
        let severity = params
            .get("severity")
            .and_then(Value::as_str)
            .unwrap_or("any")
            .to_string();
        let loaded = load(&ctx);
        let (rules, errors) = (&loaded.0, &loaded.1);
        if rules.is_empty() {
            return if errors.is_empty() {
                Outcome::fail(
                    "no alert rule file (Prometheus YAML with `groups:` → `rules:` → `alert:`, a PrometheusRule, or Grafana alerting provisioning) in the repository: add one",
                )
            } else {
                Outcome::error(format!(
                    "rule files could not be parsed: {}",
                    errors.join("; ")
                ))
            };
        }
        let mut incomplete = Vec::new();
        for r in rules.iter() {
            let mut lacks = Vec::new();
            if !r.has_expr {
                lacks.push("expr");
            }
            if !r.has_for {
                lacks.push("for");
            }
            if r.severity.is_none() {
                lacks.push("labels.severity");
            }
            if !lacks.is_empty() {
                incomplete.push(Evidence::at(
                    r.rel.clone(),
                    Some(r.line),
                    format!("{} lacks {}", r.name, lacks.join(", ")),
                ));
            }
        }
        let missing: Vec<&String> = kinds
            .iter()
            .filter(|k| {
                let markers = KINDS
                    .iter()
                    .find(|(n, _, _)| n == k)
                    .map(|(_, _, m)| *m)
                    .unwrap_or(&[]);
                !rules
                    .iter()
                    .any(|r| markers.iter().any(|m| r.text.contains(m)))
            })
            .collect();
        let sev_ok = severity == "any"
            || rules
                .iter()
                .any(|r| r.severity.as_deref() == Some(severity.as_str()));
        let mut problems = Vec::new();
        if !incomplete.is_empty() {
            problems.push(format!(
                "{} of {} alerts lack expr/for/severity (first: {})",
                incomplete.len(),
                rules.len(),
                incomplete[0].detail
            ));
        }
        if !missing.is_empty() {
            problems.push(format!(
                "no {} alert",
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !sev_ok {
            problems.push(format!("no alert has severity {severity}"));
        }
        if !errors.is_empty() {
            problems.push(format!(
                "{} rule file(s) do not parse: {}",
                errors.len(),
                errors[0]
            ));
        }
        if problems.is_empty() {
            let files: std::collections::BTreeSet<&str> =
                rules.iter().map(|r| r.rel.as_str()).collect();
            let mut o = Outcome::pass(format!(
                "{} complete alert rule{} in {}{}",
                rules.len(),
                if rules.len() == 1 { "" } else { "s" },
                files.iter().copied().collect::<Vec<_>>().join(", "),
                if kinds.is_empty() {
                    String::new()
                } else {
                    format!(", covering {}", kinds.join(", "))
                }
            ));
            for r in rules.iter().take(5) {
                o = o.with_evidence(Evidence::at(r.rel.clone(), Some(r.line), r.name.clone()));
            }
            return o;
        }
        let mut o = Outcome::fail(format!(
            "{}: give every alert expr, for and a severity label, and add the missing kinds",
            problems.join("; ")
        ));
        for e in incomplete.into_iter().take(15) {
            o = o.with_evidence(e);
        }
        o
    }
}
