//! `load.latency-under-load` — a percentile of response time and the error rate under a bounded
//! load stay within the item's thresholds ("p95 < 200ms", "error rate < 1%").

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Limit, Measure,
    Outcome, ParamKind, ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::extract::{self, Unit, trim_float};
use regex::Regex;
use serde_json::Value;

use super::generator::{Load, Report, run};
use crate::http::{combine, on_target, targets};
use crate::wording::{has_any, human_act, leftover};

pub struct LatencyUnderLoad;

/// Hard bounds whatever the item or config says.
const MAX_REQUESTS: u64 = 200_000;
const MAX_DURATION_MS: u64 = 120_000;
const MAX_CONCURRENCY: u64 = 512;

static META: CheckMeta = CheckMeta {
    id: "load.latency-under-load",
    title: "Latency percentile and error rate under load within thresholds",
    target: TargetKind::Http,
    params: &[
        ParamSpec {
            name: "percentile",
            kind: ParamKind::Integer,
            default: Some("95"),
            required: false,
            doc: "which latency percentile is judged (50, 90, 95, 99, 999 for 99.9)",
        },
        ParamSpec {
            name: "mean",
            kind: ParamKind::Bool,
            default: Some("false"),
            required: false,
            doc: "judge the mean (average) response time instead of a percentile, as an item \
                  that says \"average response time\" asks",
        },
        ParamSpec {
            name: "max_ms",
            kind: ParamKind::Number,
            default: None,
            required: false,
            doc: "the percentile (or the mean) must be under this many milliseconds",
        },
        ParamSpec {
            name: "max_error_rate",
            kind: ParamKind::Number,
            default: None,
            required: false,
            doc: "the share of failed requests (4xx, 5xx, timeouts, connection errors) must be \
                  under this percentage",
        },
        ParamSpec {
            name: "concurrency",
            kind: ParamKind::Integer,
            default: Some("10"),
            required: false,
            doc: "requests in flight at once (at most 512)",
        },
        ParamSpec {
            name: "duration",
            kind: ParamKind::DurationMs,
            default: Some("10s"),
            required: false,
            doc: "how long the load lasts (at most 2 minutes)",
        },
        ParamSpec {
            name: "requests",
            kind: ParamKind::Integer,
            default: Some("20000"),
            required: false,
            doc: "the most requests sent (at most 200000); the load ends at whichever bound \
                  comes first",
        },
        ParamSpec {
            name: "path",
            kind: ParamKind::Text,
            default: Some("/"),
            required: false,
            doc: "the path loaded",
        },
    ],
    docs: CheckDocs {
        what: "Puts each --target under a bounded load (concurrency, duration and a request \
               budget), records every latency in an HDR histogram and judges the item's \
               percentile against its threshold and the error rate against its limit; p50, \
               p90, p95, p99, max, throughput and the error breakdown are the evidence.",
        why: "Latency objectives and error budgets are what users feel; a release that \
              doubles p95 or fails 2% of requests under ordinary concurrency is a regression \
              even when every endpoint \"works\".",
        fix: "Profile the slow path (queries, N+1 calls, cold caches, pool sizes) and fix the \
              errors the breakdown names before release; raise capacity if throughput is the \
              limit.",
        example: "p95 < 200 ms at 50 concurrent users for 30 s: 41 230 requests, p95 87 ms, \
                  errors 0.00%",
        binds: &[
            "API response times < 200ms (p95)",
            "Error rate < 1%",
            "p99 under 300 ms at 50 concurrent users",
            "95th percentile latency below 250 ms",
            "Average response time under 300 ms",
            "Load tested before launch",
            "Stress tests performed",
        ],
        not_binds: &[
            "Error rate monitoring",
            "Error rate alerts",
            "Database queries < 50ms",
            "Memory usage stable",
            "Response time SLOs reviewed",
            "Load test plan reviewed by the team",
            "Load testing results shared with stakeholders",
            "Load tested (`redis-benchmark`)",
        ],
    },
};

/// "Load tested", "stress tests performed", "load-test the service": the item asks that the
/// service hold up under load, without saying how well. The thresholds are the team's
/// (`[checks."load.latency-under-load"]` in gonogo.toml); without them the binding is declined
/// saying so (`lacks`). `None` when the item is not about a load test.
fn bind_load_test(lower: &str) -> Option<BindVerdict> {
    const LOAD_TESTS: &[&str] = &[
        "load test",
        "load tests",
        "load tested",
        "load testing",
        "load-test",
        "load-tested",
        "load-testing",
        "stress test",
        "stress tests",
        "stress tested",
        "stress testing",
        "performance test",
        "performance tests",
        "performance tested",
        "performance testing",
        "soak test",
        "soak tests",
        "soak testing",
        "capacity test",
        "capacity testing",
    ];
    // With a threshold stated, the item is the threshold's (below).
    let stated = extract::comparisons(lower)
        .iter()
        .any(|c| matches!(c.unit, Unit::Millis | Unit::Percent));
    // Load on a database's queries is not the service's endpoint under load.
    if stated
        || !has_any(lower, LOAD_TESTS)
        || has_any(lower, &["query", "queries", "database", "db", "sql"])
        // A datastore's own benchmark loads the datastore, not the service's endpoint.
        || has_any(
            lower,
            &[
                "redis",
                "redis-benchmark",
                "pgbench",
                "memtier",
                "memtier_benchmark",
                "sysbench",
                "ycsb",
                "kafka",
            ],
        )
    {
        return None;
    }
    let mut b = AutoBinding::new("asks for a load test, judged against the team's thresholds");
    if let Some(act) = human_act(lower) {
        return Some(BindVerdict::Declined {
            why: format!("\"{act}\" is a person's judgement; a load test does not prove it"),
            candidates: vec![b],
        });
    }
    // A plan, a report or a tool is a document's or a person's; a load test in CI is the
    // pipeline's.
    let mut extra = leftover(
        lower,
        &[
            "load",
            "test",
            "tests",
            "tested",
            "testing",
            "load-test",
            "load-tested",
            "load-testing",
            "stress",
            "performance",
            "soak",
            "capacity",
            "completed",
            "done",
            "performed",
            "run",
            "ran",
            "passed",
            "against",
            "service",
            "services",
            "api",
            "application",
            "app",
            "system",
            "scaling",
            "path",
            "expected",
            "traffic",
            "peak",
            "benchmark",
            "benchmarked",
            "x",
            "basic",
            "least",
            "ones",
            "before",
            "launch",
            "release",
            "go-live",
            "and/or",
            "or",
            "of",
            "for",
            "the",
            "with",
            "perform",
            "conduct",
            "conducted",
            "execute",
            "executed",
            // "with 50 concurrent users": the load the test puts on, which it is given.
            "concurrent",
            "parallel",
            "simultaneous",
            "users",
            "clients",
            "connections",
            "requests",
        ],
    );
    if let Some(c) = CONCURRENT.captures(lower) {
        let n: u64 = c[1].parse().unwrap_or(10);
        b = b.with("concurrency", n.clamp(1, MAX_CONCURRENCY) as i64);
        b.reason = format!(
            "asks for a load test at {n} concurrent clients, judged against the team's thresholds"
        );
        extra.retain(|w| *w != &c[1]);
    }
    Some(crate::wording::bind_unless_claims_more(
        &extra,
        0,
        "a load test can show",
        vec![b],
    ))
}

static CONCURRENT: LazyLock<Regex> = LazyLock::new(|| {
    // The adjective after its noun too ("50 users simultaneous"), as Romance languages put it.
    Regex::new(
        r"(?i)\b(\d+)\s*(?:(?:users?|clients?|connections?|requests?)\s+)?(?:concurrent|parallel|simultaneous)\b",
    )
    .expect("concurrency regex")
});

#[async_trait::async_trait]
impl Check for LatencyUnderLoad {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// A claim about the load a service stands needs it to meet its thresholds under load.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec![
            "response",
            "latenc",
            "load",
            "stress",
            "performance",
            "soak",
            "capacity",
            "rate",
            "percentile",
            "p50",
            "p75",
            "p90",
            "p95",
            "p99",
        ]
    }

    fn lacks(&self, params: &Params) -> Option<String> {
        let given = |k: &str| params.get(k).is_some_and(|v| !v.is_null());
        (!given("max_ms") && !given("max_error_rate")).then(|| {
            "`load.latency-under-load` needs `max_ms` or `max_error_rate`, the latency or \
             error rate the service must hold under load"
                .to_string()
        })
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if let Some(v) = bind_load_test(lower) {
            return v;
        }
        let latency_words = has_any(
            lower,
            &[
                "response time",
                "response times",
                "latency",
                "latencies",
                "api latency",
                "request latency",
            ],
        ) || extract::percentile(lower).is_some();
        let error_words = has_any(lower, &["error rate", "error rates", "failure rate"]);
        if !latency_words && !error_words {
            return BindVerdict::No;
        }
        if has_any(
            lower,
            &[
                "monitoring",
                "alert",
                "alerts",
                "alerting",
                "dashboard",
                "database",
                "query",
                "queries",
                "db",
            ],
        ) {
            return BindVerdict::No;
        }
        let comps = extract::comparisons(lower);
        let ms = comps.iter().find(|c| c.unit == Unit::Millis).cloned();
        let pct = comps.iter().find(|c| c.unit == Unit::Percent).cloned();
        if ms.is_none() && pct.is_none() {
            return BindVerdict::No;
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement; a load test does not prove it"),
                candidates: vec![AutoBinding::new("states a latency or error threshold")],
            };
        }
        let mut b = AutoBinding::new("states a threshold under load");
        let mut said = Vec::new();
        if let Some(ms) = ms.filter(|_| latency_words) {
            // "Average response time < 200 ms" is the mean, which a p95 limit would judge
            // far more strictly.
            match extract::percentile(lower) {
                None if has_any(lower, &["average", "mean", "avg"]) => {
                    b = b.with("max_ms", ms.value).with("mean", true);
                    said.push(format!("mean < {} ms", trim_float(ms.value)));
                }
                stated => {
                    let p = stated.unwrap_or(95);
                    b = b.with("max_ms", ms.value).with("percentile", p as i64);
                    said.push(format!("p{p} < {} ms", trim_float(ms.value)));
                }
            }
        }
        if let Some(pct) = pct.filter(|_| error_words) {
            b = b.with("max_error_rate", pct.value);
            said.push(format!("error rate < {}%", trim_float(pct.value)));
        }
        if said.is_empty() {
            return BindVerdict::No;
        }
        if let Some(c) = CONCURRENT.captures(lower) {
            let n: u64 = c[1].parse().unwrap_or(10);
            b = b.with("concurrency", n.clamp(1, MAX_CONCURRENCY) as i64);
            said.push(format!("{n} concurrent"));
        }
        b.reason = format!("states {}", said.join(", "));
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let targets = match targets(&ctx) {
            Ok(t) => t,
            Err(o) => return o,
        };
        let p = params
            .get("percentile")
            .and_then(Value::as_u64)
            .unwrap_or(95);
        let p = if p == 999 { 99.9 } else { p.min(100) as f64 };
        let max_ms = params.get("max_ms").and_then(Value::as_f64);
        let max_err = params.get("max_error_rate").and_then(Value::as_f64);
        if max_ms.is_none() && max_err.is_none() {
            return Outcome::error("nothing to judge: give max_ms or max_error_rate");
        }
        let limits = Limits {
            p,
            mean: params.get("mean").and_then(Value::as_bool).unwrap_or(false),
            max_ms,
            max_err,
        };
        let concurrency = params
            .get("concurrency")
            .and_then(Value::as_u64)
            .unwrap_or(10)
            .clamp(1, MAX_CONCURRENCY) as usize;
        let duration = params
            .get("duration")
            .and_then(Value::as_u64)
            .unwrap_or(10_000)
            .clamp(100, MAX_DURATION_MS);
        let requests = params
            .get("requests")
            .and_then(Value::as_u64)
            .unwrap_or(20_000)
            .clamp(1, MAX_REQUESTS);
        let path = params
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or("/")
            .to_string();
        let mut outcomes = Vec::new();
        for base in &targets {
            let load = Load {
                url: on_target(base, &path),
                concurrency,
                duration: Duration::from_millis(duration),
                max_requests: requests,
                request_timeout: Duration::from_secs(10),
                ca_file: ctx.ca_file.clone(),
            };
            // One load per target and shape, however many items judge it (latency and error
            // rate items share the run).
            let key = format!("load:{}:{concurrency}:{duration}:{requests}", load.url);
            let cell = ctx.cached(&key, tokio::sync::OnceCell::<Result<Report, String>>::new);
            outcomes.push(match cell.get_or_init(|| run(&load)).await {
                Ok(report) => judge(report, &load, &limits),
                Err(e) => Outcome::error(format!("no load sent to {}: {e}", load.url)),
            });
        }
        combine(outcomes)
    }
}

/// What a load is judged against: a latency statistic (a percentile, or the mean) under
/// `max_ms`, and the error rate under `max_err`.
struct Limits {
    p: f64,
    mean: bool,
    max_ms: Option<f64>,
    max_err: Option<f64>,
}

fn judge(r: &Report, load: &Load, limits: &Limits) -> Outcome {
    let Limits {
        p,
        mean,
        max_ms,
        max_err,
    } = *limits;
    let mut evidence = vec![Evidence::detail(format!(
        "GET {} at {} concurrent: {}",
        load.url,
        load.concurrency,
        r.summary()
    ))];
    if !r.breakdown.is_empty() {
        let kinds: Vec<String> = r
            .breakdown
            .iter()
            .map(|(k, n)| format!("{k}×{n}"))
            .collect();
        evidence.push(Evidence::detail(format!("errors: {}", kinds.join(", "))));
    }
    if r.requests == 0 {
        let mut o = Outcome::error(format!("no request completed against {}", load.url));
        o.evidence = evidence;
        return o;
    }
    let successes = r.requests - r.errors;
    if successes == 0 {
        let first = r.breakdown.keys().next().cloned().unwrap_or_default();
        let mut o = Outcome::error(format!(
            "every request to {} failed ({first}): the target is not serving",
            load.url
        ));
        o.evidence = evidence;
        return o;
    }
    let mut problems = Vec::new();
    let mut good = Vec::new();
    let label = if p == 99.9 {
        "p99.9".to_string()
    } else {
        format!("p{p}")
    };
    let label = if mean { "mean".to_string() } else { label };
    if let Some(limit) = max_ms {
        let got = if mean {
            r.mean_ms()
        } else {
            r.percentile_ms(p)
        };
        if got < limit {
            good.push(format!("{label} {got:.1}ms < {} ms", trim_float(limit)));
        } else {
            problems.push(format!(
                "{label} is {got:.1}ms, not under {} ms",
                trim_float(limit)
            ));
        }
    }
    if let Some(limit) = max_err {
        let got = r.error_rate();
        if got < limit {
            good.push(format!("error rate {got:.2}% < {}%", trim_float(limit)));
        } else {
            problems.push(format!(
                "error rate is {got:.2}%, not under {}%",
                trim_float(limit)
            ));
        }
    }
    let mut o = if problems.is_empty() {
        Outcome::pass(format!(
            "{} over {} requests at {} concurrent",
            good.join(", "),
            r.requests,
            load.concurrency
        ))
    } else {
        Outcome::fail(format!(
            "{} over {} requests at {} concurrent: profile the slow path or fix the errors shown",
            problems.join("; "),
            r.requests,
            load.concurrency
        ))
    };
    o.evidence = evidence;
    o.measures = measures(r, &label, limits);
    o
}

/// The percentiles (the judged one with its limit), the error rate and the throughput, for
/// reports that show measured values beside thresholds.
fn measures(r: &Report, label: &str, limits: &Limits) -> Vec<Measure> {
    let Limits {
        p,
        mean,
        max_ms,
        max_err,
    } = *limits;
    let mut points: Vec<(String, f64)> = [50.0, 90.0, 95.0, 99.0]
        .iter()
        .map(|q| (format!("p{q}"), *q))
        .collect();
    if !mean && !points.iter().any(|(_, q)| *q == p) {
        points.push((label.to_string(), p));
        points.sort_by(|a, b| a.1.total_cmp(&b.1));
    }
    let mut out: Vec<Measure> = points
        .into_iter()
        .map(|(name, q)| {
            let m = Measure::new(name, r.percentile_ms(q), "ms");
            match max_ms {
                Some(limit) if q == p && !mean => m.limit(Limit::Below(limit)),
                _ => m,
            }
        })
        .collect();
    if mean {
        let m = Measure::new("mean", r.mean_ms(), "ms");
        out.push(match max_ms {
            Some(limit) => m.limit(Limit::Below(limit)),
            None => m,
        });
    }
    out.push(Measure::new("max", r.histogram.max() as f64 / 1000.0, "ms"));
    let err = Measure::new("error rate", r.error_rate(), "%");
    out.push(match max_err {
        Some(limit) => err.limit(Limit::Below(limit)),
        None => err,
    });
    out.push(Measure::new("throughput", r.throughput(), "req/s"));
    out
}
