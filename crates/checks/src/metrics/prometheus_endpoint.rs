//! `metrics.prometheus-endpoint` — `/metrics` serves a valid Prometheus exposition with the
//! metrics a checklist names.

use std::sync::{Arc, LazyLock};

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind, text_list,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::extract;
use regex::Regex;
use serde_json::Value;

use super::exposition;
use crate::http::{combine, on_target, paths_in_commands, targets_and_client};
use crate::wording::{EXISTENCE, claims_more, has_any, human_act, leftover, says_more};

pub struct PrometheusEndpoint;

static META: CheckMeta = CheckMeta {
    id: "metrics.prometheus-endpoint",
    title: "Prometheus metrics endpoint serves a valid exposition",
    target: TargetKind::Http,
    params: &[
        ParamSpec {
            name: "path",
            kind: ParamKind::Text,
            default: Some("/metrics"),
            required: false,
            doc: "where the metrics are served",
        },
        ParamSpec {
            name: "metrics",
            kind: ParamKind::TextList,
            default: None,
            required: false,
            doc: "metric names that must be present (a histogram's or summary's base name, or \
                  any sample name)",
        },
    ],
    docs: CheckDocs {
        what: "GETs the metrics path of each --target and parses the whole body as Prometheus \
               text exposition (HELP/TYPE lines, label escaping, special values, cumulative \
               histogram buckets ending in +Inf equal to _count, summary quantiles), then \
               looks for each metric the item names.",
        why: "A scrape that fails to parse drops every metric of the target at once, silently \
              blinding dashboards and alerts; a metric the alerts rely on that is missing \
              means the alert can never fire.",
        fix: "Serve `/metrics` from a Prometheus client library (which escapes and orders \
              correctly) and register the named metrics at start-up so they appear before \
              their first event.",
        example: "# HELP http_requests_total Requests served.\n# TYPE http_requests_total counter\n\
                  http_requests_total{code=\"200\"} 1027",
        binds: &[
            "`/metrics` returns Prometheus metrics",
            "Prometheus metrics exposed (`/metrics`)",
            "Prometheus metrics exposed",
            "Metrics endpoint exposes `http_requests_total` and `request_latency_seconds`",
            "Service instrumented with RED metrics",
            "Application telemetry",
            "Latency tracked (p50, p95, p99)",
            "Error rate, saturation and queue depth are visible",
            "Monitoring of key performance indicators",
            "The service's key metrics are monitored",
            "RED metrics for every endpoint",
            "Golden signals support: saturation",
        ],
        not_binds: &[
            "Prometheus deployed",
            "Metrics pipelines (Prometheus, Grafana) in place for apps, orchestrator, and runners",
            "Custom business metrics",
            "Grafana dashboards imported",
            "Metrics endpoint reviewed",
            "`/metrics` returns valid JSON",
            "Tracing instrumentation in place",
            "Latency metrics visible on the on-call dashboard",
            "Error tracking: errors are tracked by Sentry",
            "Key metrics reviewed with the product owner",
            "Errors are monitored",
            "p95 latency under 200 ms is monitored",
            "Error rate alerts page the on-call engineer",
        ],
    },
};

/// What a service's own metrics are called.
const METRIC_NOUNS: &[&str] = &[
    "metrics",
    "metric",
    "telemetry",
    "instrumentation",
    "instrumented",
    "red metrics",
    "use metrics",
    "golden signals",
];

/// Words saying the metrics are there, beside `EXISTENCE` (exposed, instrumented).
const PRESENT: &[&str] = &[
    "expose",
    "exposed",
    "exposes",
    "exposing",
    "export",
    "exported",
    "exports",
    "emit",
    "emits",
    "emitted",
    "instrument",
    "instrumented",
    "instrumentation",
    "enabled",
    "published",
    // "Golden signals support", "Prometheus support": the service supports emitting them.
    "support",
    "supported",
    "supports",
];

/// Words that say which metrics without claiming more.
const QUALIFIERS: &[&str] = &[
    "useful",
    "sensible",
    "relevant",
    "core",
    "basic",
    "standard",
    "custom",
    "application",
    "app",
    "service",
    "services",
    "performance",
    "red",
    "use",
    "style",
    "code",
];

/// Metrics said to be seen: someone looks at them, unless the signals alone are named
/// (`signals_observed`).
const SEEN: &[&str] = &["visible", "visibility"];

/// Metrics someone looks at or a platform collects: other checks' claims, or a person's.
const NOT_THE_ENDPOINT: &[&str] = &[
    "dashboard",
    "dashboards",
    "alert",
    "alerts",
    "alerting",
    "business",
    "pipeline",
    "pipelines",
    "deployed",
    "retention",
    "cardinality",
    "baseline",
    "autoscale",
    "autoscaling",
    "reviewed",
    "tracing",
    "traces",
    "trace",
    "logging",
    "logs",
];

/// What users do and what the business counts: product analytics, not the service's own
/// metrics endpoint.
const ANALYTICS: &[&str] = &[
    "user activity",
    "user behaviour",
    "user behavior",
    "analytics",
    "kpi",
    "kpis",
];

/// What a service measures about its own work: the signals its metrics carry.
const SIGNALS: &[&str] = &[
    "latency",
    "latencies",
    "error rate",
    "error rates",
    "throughput",
    "saturation",
    "request rate",
    "request rates",
    "response time",
    "response times",
    "queue depth",
    "backlog",
    "golden signals",
    "key metrics",
    "red metrics",
    "use metrics",
    "performance indicators",
    "key performance indicators",
    "kpis",
    "slis",
    "cpu",
    "memory",
    "connections",
    "lock pressure",
];

/// Words saying a signal is measured and can be seen, without saying by whom or where.
const OBSERVED: &[&str] = &[
    "tracked",
    "monitored",
    "monitoring",
    "measured",
    "visible",
    "observable",
    "observed",
    "covered",
    "collected",
    "recorded",
    "captured",
];

/// The item says the service's signals are measured ("Latency tracked (p50, p95, p99)",
/// "Error rate and saturation are visible", "Monitoring of key performance indicators"):
/// what the service's metrics carry, with nothing about a dashboard, an alert or a bound.
fn signals_observed(lower: &str) -> bool {
    if !(has_any(lower, SIGNALS) && has_any(lower, OBSERVED)) || has_any(lower, NOT_THE_ENDPOINT) {
        return false;
    }
    // A bound ("p95 under 200 ms") is a load test's claim.
    if has_any(
        lower,
        &[
            "under",
            "below",
            "less than",
            "at most",
            "within",
            "<",
            "ms",
        ],
    ) || lower.contains(['<', '%'])
    {
        return false;
    }
    let rest = leftover(
        lower,
        &SIGNALS
            .iter()
            .chain(OBSERVED)
            .chain(QUALIFIERS)
            .chain(&[
                "key",
                "p50",
                "p90",
                "p95",
                "p99",
                "p999",
                "percentiles",
                "rate",
                "database",
                "db",
                "system",
                "signals",
                "io",
                "swap",
                "disk",
            ])
            .copied()
            .collect::<Vec<_>>(),
    );
    !says_more(&rest, 1)
}

/// The item only names the service's metrics ("Metric instrumentation", "Telemetry").
fn is_bare_metrics(lower: &str) -> bool {
    let rest = leftover(
        lower,
        &METRIC_NOUNS
            .iter()
            .chain(QUALIFIERS)
            // "Metrics for latency and error rate": which signals they carry.
            .chain(SIGNALS)
            // "RED metrics for every endpoint": where the metrics are taken says nothing more.
            .chain(&[
                "for",
                "every",
                "each",
                "all",
                "and",
                "endpoint",
                "endpoints",
                "route",
                "routes",
            ])
            .copied()
            .collect::<Vec<_>>(),
    );
    rest.is_empty()
}

static METRIC_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-zA-Z_:][a-zA-Z0-9_:]*_[a-zA-Z0-9_:]+$").expect("regex"));

#[async_trait::async_trait]
impl Check for PrometheusEndpoint {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["metrics-endpoint"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["metric", "prometheus", "telemetry", "instrument", "golden"]
            .into_iter()
            // Signals said to be observed: the observing word, not the signal, so that
            // "memory" or "errors" left over elsewhere does not become a claim of its own.
            .chain(OBSERVED.iter().copied())
            .collect()
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let item = view.item;
        let commands: Vec<String> = item
            .code_blocks
            .iter()
            .flat_map(|b| b.commands.clone())
            .collect();
        let mut paths: Vec<String> = extract::url_paths(lower, &item.code_spans);
        paths.extend(paths_in_commands(&commands));
        let metrics_path = paths.iter().find(|p| p.ends_with("metrics")).cloned();
        // "`/metrics` returns valid JSON": metrics in another format than Prometheus's text
        // exposition, which this check would fail.
        if has_any(lower, &["json", "statsd", "otlp"]) && !has_any(lower, &["prometheus"]) {
            return BindVerdict::No;
        }
        // Metric names: code spans or sub-bullets shaped like `service_events_total`.
        let names: Vec<String> = item
            .code_spans
            .iter()
            .chain(item.notes.iter())
            .map(|s| s.trim().trim_matches('`').to_string())
            .filter(|s| METRIC_NAME.is_match(s))
            .collect();
        let about_endpoint = metrics_path.is_some()
            || (has_any(lower, &["prometheus"])
                && has_any(
                    lower,
                    &[
                        "exposed",
                        "exposes",
                        "expose",
                        "endpoint",
                        "served",
                        "serves",
                        "scrapable",
                        "returns",
                    ],
                ))
            || (has_any(
                lower,
                &[
                    "metrics endpoint",
                    "metrics exposed",
                    "metrics tracked",
                    "key metrics",
                ],
            ) && !names.is_empty());
        // Metrics said to exist in the service ("Expose useful metrics", "Metric
        // instrumentation", "RED metrics exist") are what its metrics endpoint shows; metrics
        // somebody looks at (dashboards, alerts, "visible") or a platform's are other claims.
        let instrumented = has_any(lower, METRIC_NOUNS)
            && (has_any(lower, PRESENT) || has_any(lower, EXISTENCE) || is_bare_metrics(lower))
            && !has_any(lower, NOT_THE_ENDPOINT)
            && !has_any(lower, SEEN);
        // Product analytics ("User activity telemetry", "KPIs") are not the service's metrics.
        if has_any(&item.text.to_lowercase(), ANALYTICS) {
            return BindVerdict::No;
        }
        // Named metrics ("Key metrics tracked" over `app_events_total`) are the endpoint's
        // to show by name, below.
        if signals_observed(lower) && human_act(lower).is_none() && names.is_empty() {
            return BindVerdict::Bind(vec![AutoBinding::new(
                "names signals the service measures: its metrics carry them",
            )]);
        }
        if !(about_endpoint || instrumented)
            || !(has_any(lower, METRIC_NOUNS) || has_any(lower, &["prometheus"]))
        {
            return BindVerdict::No;
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!(
                    "\"{act}\" is a person's judgement; a metrics endpoint does not prove it"
                ),
                candidates: vec![AutoBinding::new("names the metrics endpoint")],
            };
        }
        let mut plain = lower.to_string();
        for s in &item.code_spans {
            plain = plain.replace(&s.to_lowercase(), " ");
        }
        let extra = leftover(
            &plain,
            &[
                "prometheus",
                "metrics",
                "metric",
                "exposed",
                "exposes",
                "expose",
                "endpoint",
                "returns",
                "serves",
                "served",
                "scrapable",
                "key",
                "tracked",
                "working",
                "format",
                "http",
                "get",
                // The golden signals by name ("Four golden signals support: errors").
                "errors",
                "traffic",
                "latency",
                "saturation",
                "four",
                "4",
            ]
            .iter()
            .chain(METRIC_NOUNS)
            .chain(PRESENT)
            .chain(EXISTENCE)
            .chain(QUALIFIERS)
            .copied()
            .collect::<Vec<_>>(),
        );
        if let Some(no) = claims_more(&extra, 1, "a metrics endpoint can show", || {
            vec![AutoBinding::new("names the metrics endpoint")]
        }) {
            return no;
        }
        let mut b = AutoBinding::new(match &metrics_path {
            Some(p) => format!("names the Prometheus endpoint {p}"),
            None => "names exposed Prometheus metrics".to_string(),
        });
        if let Some(p) = metrics_path {
            b = b.with("path", p);
        }
        if !names.is_empty() {
            b = b.with("metrics", Value::from(names));
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let (targets, http) = match targets_and_client(&ctx) {
            Ok(found) => found,
            Err(o) => return o,
        };
        let path = params
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or("/metrics");
        let wanted: Vec<String> = text_list(&params, "metrics");
        let mut outcomes = Vec::new();
        for base in &targets {
            let url = on_target(base, path);
            let got = match http.get(&url).await {
                Ok(g) => g,
                Err(e) => {
                    outcomes.push(Outcome::error(format!("GET {path}: {e}")));
                    continue;
                }
            };
            let code = got.status.as_u16();
            let ctype = got.header("content-type").unwrap_or_default();
            let head = Evidence::detail(format!(
                "GET {} → {code}, {} bytes, Content-Type: {}",
                got.url,
                got.body.len(),
                if ctype.is_empty() { "(none)" } else { &ctype }
            ));
            if !got.status.is_success() {
                outcomes.push(
                    Outcome::fail(format!(
                        "GET {path} answered {code}: serve Prometheus metrics there"
                    ))
                    .with_evidence(head),
                );
                continue;
            }
            let text = got.text();
            if text.trim().is_empty() {
                outcomes.push(
                    Outcome::fail(format!("GET {path} answered {code} with an empty body"))
                        .with_evidence(head),
                );
                continue;
            }
            let parsed = match exposition::parse(&text) {
                Ok(p) => p,
                Err(problems) => {
                    let mut o = Outcome::fail(format!(
                        "{path} is not valid Prometheus exposition: line {}: {}{}{}",
                        problems[0].line,
                        problems[0].message,
                        if problems.len() > 1 {
                            format!(" (and {} more problems)", problems.len() - 1)
                        } else {
                            String::new()
                        },
                        if ctype.contains("html") {
                            " — the server sent an HTML page"
                        } else {
                            ""
                        }
                    ))
                    .with_evidence(head);
                    for p in problems.iter().take(5) {
                        o.evidence.push(Evidence::at(
                            url.to_string(),
                            Some(p.line),
                            gonogo_engine::redact::redact(&p.message),
                        ));
                    }
                    outcomes.push(o);
                    continue;
                }
            };
            let missing: Vec<&String> = wanted.iter().filter(|m| !parsed.has(m)).collect();
            let summary = Evidence::detail(format!(
                "{} families, {} samples",
                parsed.families.len(),
                parsed.sample_count()
            ));
            outcomes.push(if !missing.is_empty() {
                Outcome::fail(format!(
                    "{path} lacks {}: register {} at start-up",
                    missing
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    if missing.len() == 1 { "it" } else { "them" }
                ))
                .with_evidence(head)
                .with_evidence(summary)
            } else if parsed.sample_count() == 0 {
                Outcome::fail(format!("{path} parses but holds no sample")).with_evidence(head)
            } else {
                Outcome::pass(format!(
                    "{path} serves valid Prometheus exposition ({} families{})",
                    parsed.families.len(),
                    if wanted.is_empty() {
                        String::new()
                    } else {
                        format!(", including {}", wanted.join(", "))
                    }
                ))
                .with_evidence(head)
                .with_evidence(summary)
            });
        }
        combine(outcomes)
    }
}
