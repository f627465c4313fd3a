//! `http.health-endpoint` — health, readiness and liveness endpoints answer as the checklist says.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, SAYS_MORE, TargetKind, text_list,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::extract;
use reqwest::Url;
use serde_json::Value;

use super::client::Http;
use super::{
    combine, json_holds, json_in, on_target, paths_in_commands, snippet, status_in,
    targets_and_client,
};
use crate::wording::{claims_more, has_any, human_act, leftover};

pub struct HealthEndpoint;

static META: CheckMeta = CheckMeta {
    id: "http.health-endpoint",
    title: "Health, readiness and liveness endpoints answer as expected",
    target: TargetKind::Http,
    params: &[
        ParamSpec {
            name: "kind",
            kind: ParamKind::Text,
            default: Some("health"),
            required: false,
            doc: "health, readiness or liveness: which usual paths are tried when none is given",
        },
        ParamSpec {
            name: "paths",
            kind: ParamKind::TextList,
            default: None,
            required: false,
            doc: "paths that must each answer as expected; without them the usual paths of the \
                  kind are tried (/health, /healthz…) and the first that exists is judged",
        },
        ParamSpec {
            name: "status",
            kind: ParamKind::Integer,
            default: None,
            required: false,
            doc: "the expected status code (default: any 2xx)",
        },
        ParamSpec {
            name: "max_ms",
            kind: ParamKind::Integer,
            default: Some("1000"),
            required: false,
            doc: "the slowest answer accepted, in milliseconds: a limit the item states \
                  (\"within 200 ms\"), else 1000, the probe timeout Kubernetes uses by default \
                  (timeoutSeconds: 1)",
        },
        ParamSpec {
            name: "body",
            kind: ParamKind::Text,
            default: None,
            required: false,
            doc: "a JSON object the body must hold: keys compared structurally, extra keys \
                  allowed, strings case-insensitively",
        },
    ],
    docs: CheckDocs {
        what: "GETs the health (or readiness, liveness) endpoint of each --target, following \
               redirects on the same host, and compares the status and, when the checklist \
               states one, the JSON body structurally with the expected one. The answer must \
               also come within the item's stated limit, else within 1 s (Kubernetes' default \
               probe timeout): a slow answer is asked once more, as a probe only fails after \
               repeated timeouts, and the faster of the two is judged.",
        why: "Load balancers, orchestrators and on-call engineers decide from this endpoint \
              whether the service takes traffic; an endpoint that is missing, slow or reports \
              the wrong state sends traffic to a broken instance or takes a good one out.",
        fix: "Serve the endpoint at the path the checklist names, answering 200 with the \
              stated body (for example `{\"status\": \"ok\"}`) when the service is healthy.",
        example: "GET /health → 200 {\"status\": \"ok\", \"version\": \"1.4.2\"}",
        binds: &[
            "`/health` returns `{\"status\": \"ok\"}`",
            "`/ready` returns readiness status",
            "Health endpoint working (`/health`)",
            "Readiness endpoint working (`/ready`)",
            "Health checks passing",
            "Liveness endpoint `/livez` returns 200",
            "GET /healthz answers 200 OK",
        ],
        not_binds: &[
            "Deployment with health/readiness probes",
            "Readiness failure alerts",
            "System health dashboard",
            "Model inference cluster healthchecks passing and autoscaling verified",
            "Rollback procedure ready",
            "Health checks reviewed by the SRE team",
            "`/metrics` returns Prometheus metrics",
            "Load balancer health checks point at the service",
            "Add a HEALTHCHECK",
        ],
    },
};

/// Usual paths of each kind, tried in order when the item names none.
fn candidates(kind: &str) -> &'static [&'static str] {
    match kind {
        "readiness" => &[
            "/ready",
            "/readyz",
            "/readiness",
            "/health/ready",
            "/api/ready",
        ],
        "liveness" => &[
            "/live",
            "/livez",
            "/liveness",
            "/health/live",
            "/healthz",
            "/ping",
        ],
        _ => &[
            "/health",
            "/healthz",
            "/api/health",
            "/_health",
            "/status",
            "/ping",
        ],
    }
}

/// The binding of the endpoint an item names: its paths and their kind, else the kind its
/// words name (health by default), whose usual paths are tried.
fn named_endpoint(health_paths: &[String], word_kind: Option<&'static str>) -> AutoBinding {
    let kind = health_paths
        .first()
        .and_then(|p| kind_of_path(p))
        .or(word_kind)
        .unwrap_or("health");
    if health_paths.is_empty() {
        return AutoBinding::new(format!("names the {kind} endpoint")).with("kind", kind);
    }
    AutoBinding::new(format!(
        "names the {kind} endpoint {}",
        health_paths.join(", ")
    ))
    .with("kind", kind)
    .with("paths", Value::from(health_paths.to_vec()))
}

/// Whether a path looks like a health, readiness or liveness endpoint, and which.
fn kind_of_path(path: &str) -> Option<&'static str> {
    let p = path.to_ascii_lowercase();
    let last = p.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    if ["ready", "readyz", "readiness"].contains(&last) {
        Some("readiness")
    } else if ["live", "livez", "liveness", "alive"].contains(&last) {
        Some("liveness")
    } else if [
        "health",
        "healthz",
        "healthcheck",
        "_health",
        "ping",
        "status",
    ]
    .contains(&last)
        || p.contains("/health")
    {
        Some("health")
    } else {
        None
    }
}

fn kind_of_words(lower: &str) -> Option<&'static str> {
    if has_any(lower, &["readiness", "readyz"]) {
        Some("readiness")
    } else if has_any(lower, &["liveness", "livez"]) {
        Some("liveness")
    } else if has_any(
        lower,
        &[
            "health",
            "healthz",
            "healthcheck",
            "healthchecks",
            "health-check",
            "health-checks",
        ],
    ) || service_healthy(lower)
    {
        Some("health")
    } else {
        None
    }
}

/// A stated time limit: "within 500 ms", "in under 1s", "in less than 200ms", "< 300 ms".
static TIME_LIMIT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?:\bin\s+)?(?:\bwithin|\bunder|\bbelow|\bless than|\bat most|<=?|≤)\s*\d+(?:[.,]\d+)?\s*(?:ms|milliseconds?|s|secs?|seconds?)\b",
    )
    .expect("time limit regex")
});

/// Words that are about something else: Kubernetes probes, alerting, dashboards.
const ELSEWHERE: &[&str] = &[
    "probe",
    "probes",
    "dashboard",
    "dashboards",
    "alert",
    "alerts",
    "alerting",
    "monitoring",
    "monitored",
    "kubernetes",
    "k8s",
    "deployment",
    "manifest",
    "helm",
    "compose",
    "docker-compose",
    "docker",
    "dockerfile",
    "dockerfiles",
    "image",
    "images",
    "container",
    "containers",
    "uptime",
    "uptime-monitoring",
    "condition",
    "conditions",
    // A health check declared or defined is configuration (a Dockerfile's HEALTHCHECK, a
    // Compose service's), not an endpoint answering.
    "declare",
    "declares",
    "declared",
    // A load balancer's health check is its configuration of targets, not this endpoint.
    "lb",
    "lbs",
    "load balancer",
    "load balancers",
    "load-balancer",
    "elb",
    "alb",
    "nlb",
    "target group",
    "target groups",
];

/// Parents whose sub-items are about configuration files, not the running service.
const CONFIG_PARENTS: &[&str] = &[
    "docker",
    "dockerfile",
    "container",
    "containers",
    "kubernetes",
    "k8s",
    "compose",
    "helm",
    "manifest",
    "manifests",
    "load balancer",
    "load balancers",
    "lb",
];

const OWN_WORDS: &[&str] = &[
    "health",
    "healthz",
    "healthcheck",
    "healthchecks",
    "health-check",
    "health-checks",
    "check",
    "checks",
    "endpoint",
    "endpoints",
    "readiness",
    "liveness",
    "ready",
    "live",
    "status",
    "returns",
    "return",
    "answers",
    "responds",
    "respond",
    "with",
    "working",
    "works",
    "passing",
    "pass",
    "passes",
    "green",
    "ok",
    "200",
    "get",
    "http",
    "reachable",
    "responding",
    "healthy",
    "expected",
    "response",
    // Whose endpoint, and how a person would reach it ("Visit https://…/api/health to check
    // the backend"): the service's, by a request.
    "api",
    "backend",
    "frontend",
    "service",
    "server",
    "app",
    "application",
    "visit",
    "open",
    "access",
    "accessible",
];

/// "API healthy", "backend is healthy in prod": the service, and nothing else, is healthy.
fn service_healthy(lower: &str) -> bool {
    has_any(lower, &["healthy"])
        && has_any(
            lower,
            &["api", "backend", "service", "app", "application", "server"],
        )
        && leftover(
            lower,
            &[
                "healthy",
                "api",
                "backend",
                "service",
                "app",
                "application",
                "server",
                "prod",
                "production",
                "in",
                "is",
                "are",
                "the",
            ],
        )
        .is_empty()
}

/// The JSON body the item expects: its code spans, else its `# Expected:` lines.
fn stated_body(item: &gonogo_engine::model::Item) -> Option<Value> {
    extract::json_bodies(&item.code_spans)
        .into_iter()
        .next()
        .or_else(|| {
            item.code_blocks
                .iter()
                .flat_map(|b| b.expected.iter())
                .find_map(|e| json_in(e))
        })
}

#[async_trait::async_trait]
impl Check for HealthEndpoint {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// Whatever an item says the health endpoint reflects, the endpoint must answer for it to
    /// hold; what its answer means for the operation is a person's.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["health", "ready", "readiness", "live", "ping", "status"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let item = view.item;
        let commands: Vec<String> = item
            .code_blocks
            .iter()
            .filter(|b| b.is_shell())
            .flat_map(|b| b.commands.clone())
            .collect();
        let word_kind = kind_of_words(lower);
        let mut paths: Vec<String> = extract::url_paths(lower, &item.code_spans);
        // "https://app.example.com/api/health": the path of a full URL names the endpoint.
        // Not a command's URL ("Run: curl -fsS https://…/health"): that is a command to run.
        let urls = if has_any(lower, &["curl", "wget"]) {
            ""
        } else {
            lower
        };
        for url in urls.split_whitespace().filter(|w| w.contains("://")) {
            let after = &url[url.find("://").map_or(0, |i| i + 3)..];
            if let Some(i) = after.find('/') {
                let path = after[i..].trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
                if kind_of_path(path).is_some() && !paths.iter().any(|p| p == path) {
                    paths.push(path.to_string());
                }
            }
        }
        // A command's URL names the endpoint only when the wording is about health
        // ("Load testing completed" with `ab … /health` is about load, not health).
        if word_kind.is_some() {
            paths.extend(paths_in_commands(&commands));
        }
        let health_paths: Vec<String> = {
            let mut v: Vec<String> = Vec::new();
            for p in paths.iter().filter(|p| kind_of_path(p).is_some()) {
                if !v.contains(p) {
                    v.push(p.clone());
                }
            }
            v
        };
        if health_paths.is_empty() && word_kind.is_none() {
            return BindVerdict::No;
        }
        // "Health check endpoint `/up` implemented": one path beside the health words is the
        // endpoint, whatever its name.
        // (The vocabulary reads "health check endpoint" as "health check": the item's own
        // words, normalised, and only for such an item.)
        let names_endpoint = || {
            has_any(
                &gonogo_engine::understand::normalise(&item.display_text),
                &["endpoint", "endpoints", "route", "url", "path"],
            )
        };
        let health_paths = match (health_paths.is_empty(), word_kind, paths.as_slice()) {
            (true, Some(_), [only]) if names_endpoint() => vec![only.clone()],
            _ => health_paths,
        };
        // "A /healthz endpoint for the liveness probe": the endpoint is this check's, the
        // probe Kubernetes' — said so, the two checks cover the item jointly.
        const PROBE: &[&str] = &["probe", "probes", "kubernetes", "k8s"];
        let elsewhere: Vec<&str> = ELSEWHERE
            .iter()
            .copied()
            .filter(|w| has_any(lower, &[w]))
            .collect();
        // Without a path, the item must say the service serves it: "Expose a readiness
        // probe", "a health check (endpoint) for the liveness probe"; pods or containers that
        // "expose probes" are their manifests' settings.
        let served = !health_paths.is_empty()
            || has_any(lower, &["endpoint", "endpoints"])
            || has_any(lower, &["expose", "exposes", "exposed"])
                && !has_any(lower, &["pod", "pods", "container", "containers"]);
        if served && !elsewhere.is_empty() && elsewhere.iter().all(|w| PROBE.contains(w)) {
            return BindVerdict::Declined {
                why: format!(
                    "{SAYS_MORE}a health endpoint can show ({})",
                    elsewhere.join(" ")
                ),
                candidates: vec![named_endpoint(&health_paths, word_kind)],
            };
        }
        // The Dockerfile instruction, written as Dockerfiles write it ("Add a HEALTHCHECK"), or
        // a script that checks health ("health-check.sh - system health check script").
        if !elsewhere.is_empty()
            || crate::wording::names_as_written(view, &["HEALTHCHECK"])
            || has_any(lower, &["script", "scripts"])
        {
            return BindVerdict::No;
        }
        // Under "Docker configuration" or "Kubernetes manifests", health checks are config;
        // so under such a heading, unless the item names the endpoint's path.
        if let Some(parent) = view.parent_lower
            && has_any(parent, CONFIG_PARENTS)
        {
            return BindVerdict::No;
        }
        if health_paths.is_empty()
            && view
                .item
                .section
                .iter()
                .any(|h| has_any(&h.to_lowercase(), CONFIG_PARENTS))
        {
            return BindVerdict::No;
        }
        // Without a path, the wording must name an endpoint or check, not just "ready"; or
        // say the service itself is healthy ("API prod healthy"), which its health endpoint
        // answers for.
        if health_paths.is_empty()
            && !service_healthy(lower)
            && !has_any(
                lower,
                &[
                    "health check",
                    "health checks",
                    "healthcheck",
                    "healthchecks",
                    "health-check",
                    "health-checks",
                    "health endpoint",
                    "health endpoints",
                    "readiness endpoint",
                    "readiness endpoints",
                    "liveness endpoint",
                    "liveness endpoints",
                    "health check endpoint",
                    "health check endpoints",
                    "healthz",
                    "readyz",
                    "livez",
                ],
            )
        {
            return BindVerdict::No;
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!(
                    "\"{act}\" is a person's judgement; an endpoint answering does not prove it"
                ),
                candidates: vec![AutoBinding::new("names a health endpoint")],
            };
        }
        // What else the item claims, code spans aside.
        let mut plain = lower.to_string();
        for s in &item.code_spans {
            plain = plain.replace(&s.to_lowercase(), " ");
        }
        // A URL is where the endpoint is, its host and scheme no claim of their own.
        plain = plain
            .split_whitespace()
            .filter(|w| !w.contains("://"))
            .collect::<Vec<_>>()
            .join(" ");
        for p in &paths {
            plain = plain.replace(p.as_str(), " ");
        }
        // "answers within 200 ms", "in under 1s": the item's own time limit, which the
        // check judges, so its words claim nothing more.
        let max_ms = extract::comparisons(&plain)
            .into_iter()
            .find(|c| {
                c.unit == extract::Unit::Millis && matches!(c.op, extract::Op::Lt | extract::Op::Le)
            })
            .map(|c| c.value.round().max(1.0) as u64);
        if max_ms.is_some() {
            plain = TIME_LIMIT.replace_all(&plain, " ").into_owned();
        }
        let extra = leftover(&plain, OWN_WORDS);
        // What the endpoint reports of the service's dependencies is in a body the item
        // does not spell out: the endpoint answering shows part, a person the rest.
        const DEPENDENCIES: &[&str] = &["dependency", "dependencies", "downstream", "upstream"];
        let body = stated_body(item);
        if body.is_none() && has_any(&plain, DEPENDENCIES) {
            let said: Vec<&str> = DEPENDENCIES
                .iter()
                .copied()
                .filter(|w| has_any(&plain, &[w]))
                .collect();
            return BindVerdict::Declined {
                why: format!("{SAYS_MORE}a health endpoint can show ({})", said.join(" ")),
                candidates: vec![named_endpoint(&health_paths, word_kind)],
            };
        }
        // Which endpoint, should a person vouch for the rest (`shows_part`).
        if let Some(no) = claims_more(&extra, 1, "a health endpoint can show", || {
            vec![named_endpoint(&health_paths, word_kind)]
        }) {
            return no;
        }
        let status = status_in(&plain).filter(|s| (200..300).contains(s));

        if !health_paths.is_empty() {
            let mut b = named_endpoint(&health_paths, word_kind);
            if let Some(body) = body {
                b = b.with("body", body.to_string());
            }
            if let Some(s) = status {
                b = b.with("status", s);
            }
            if let Some(ms) = max_ms {
                b = b.with("max_ms", ms);
            }
            return BindVerdict::Bind(vec![b]);
        }
        let kind = word_kind.unwrap_or("health");
        // A table elsewhere in the checklist may state each endpoint's expected response.
        let from_table = table_expectations(view);
        if !from_table.is_empty() {
            return BindVerdict::Bind(from_table);
        }
        let mut b = AutoBinding::new(format!(
            "names {kind} checks; the usual {kind} paths are tried"
        ))
        .with("kind", kind);
        if let Some(body) = body {
            b = b.with("body", body.to_string());
        }
        if let Some(ms) = max_ms {
            b = b.with("max_ms", ms);
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let (targets, http) = match targets_and_client(&ctx) {
            Ok(found) => found,
            Err(o) => return o,
        };
        let kind = params
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("health");
        let paths: Vec<String> = text_list(&params, "paths");
        let status = params
            .get("status")
            .and_then(Value::as_u64)
            .map(|s| s as u16);
        let body = match params.get("body").and_then(Value::as_str) {
            Some(raw) => match serde_json::from_str::<Value>(raw) {
                Ok(v) => Some(v),
                Err(e) => {
                    return Outcome::error(format!("the expected body {raw} is not JSON: {e}"));
                }
            },
            None => None,
        };
        let max_ms = params.get("max_ms").and_then(Value::as_u64).unwrap_or(1000);
        let expect = Expect {
            status,
            body,
            max_ms,
        };
        let mut outcomes = Vec::new();
        for base in &targets {
            outcomes.push(if paths.is_empty() {
                probe_candidates(&http, base, kind, &expect).await
            } else {
                let mut per = Vec::new();
                for p in &paths {
                    per.push(judge_path(&http, base, p, &expect).await);
                }
                combine(per)
            });
        }
        combine(outcomes)
    }
}

/// What an endpoint must answer.
pub(crate) struct Expect {
    pub status: Option<u16>,
    pub body: Option<Value>,
    /// The slowest answer accepted.
    pub max_ms: u64,
}

impl Expect {
    fn describe(&self) -> String {
        let s = self
            .status
            .map_or_else(|| "a 2xx status".to_string(), |s| s.to_string());
        match &self.body {
            Some(b) => format!("{s} with {b}"),
            None => s,
        }
    }
}

async fn judge_path(http: &Http, base: &Url, path: &str, expect: &Expect) -> Outcome {
    let url = on_target(base, path);
    match http.get(&url).await {
        Err(e) => Outcome::error(format!("GET {path}: {e}")),
        Ok(got) => judge_timed(http, &url, got, path, expect).await,
    }
}

/// `judge`, then the time: a probe fails only after repeated timeouts (failureThreshold 3
/// by default), so a slow first answer (a cold connection, a first TLS handshake) is asked
/// once more and the faster one counts.
async fn judge_timed(
    http: &Http,
    url: &Url,
    got: super::client::Fetched,
    path: &str,
    expect: &Expect,
) -> Outcome {
    let mut o = judge(&got, path, expect);
    if o.status != gonogo_engine::catalogue::CheckStatus::Pass
        || got.elapsed.as_millis() <= u128::from(expect.max_ms)
    {
        return o;
    }
    let first = got.elapsed.as_millis();
    let again = match http.get(url).await {
        Ok(g) if judge(&g, path, expect).status == gonogo_engine::catalogue::CheckStatus::Pass => {
            g.elapsed.as_millis()
        }
        _ => first,
    };
    let best = first.min(again);
    o.evidence.push(Evidence::detail(format!(
        "answered in {first} ms, then in {again} ms; limit {} ms",
        expect.max_ms
    )));
    if best <= u128::from(expect.max_ms) {
        return o;
    }
    o.status = gonogo_engine::catalogue::CheckStatus::Fail;
    o.message = format!(
        "GET {path} answered {} in {best} ms at best, over the {} ms limit: a probe with that \
         timeout would mark the instance unhealthy",
        got.status.as_u16(),
        expect.max_ms
    );
    o
}

/// The answer judged against the expectation.
pub(crate) fn judge(got: &super::client::Fetched, path: &str, expect: &Expect) -> Outcome {
    let code = got.status.as_u16();
    let mut ev = format!("GET {} → {code} in {} ms", got.url, got.elapsed.as_millis());
    if !got.hops.is_empty() {
        ev.push_str(&format!(" (redirects: {})", got.hops.join(", ")));
    }
    ev.push_str(&format!("; body: {}", snippet(got)));
    let evidence = Evidence::detail(ev);
    let status_ok = match expect.status {
        Some(s) => code == s,
        None => got.status.is_success(),
    };
    if !status_ok {
        let hint = if got.status.is_redirection() {
            format!(
                " (a redirect to {} that was not followed: another host)",
                got.header("location").unwrap_or_default()
            )
        } else {
            String::new()
        };
        return Outcome::fail(format!(
            "GET {path} answered {code}{hint}, expected {}",
            expect.describe()
        ))
        .with_evidence(evidence);
    }
    if let Some(want) = &expect.body {
        let actual: Value = match serde_json::from_slice(&got.body) {
            Ok(v) => v,
            Err(_) => {
                return Outcome::fail(format!(
                    "GET {path} answered {code} but the body is not JSON, expected {want}"
                ))
                .with_evidence(evidence);
            }
        };
        if let Err(diff) = json_holds(&actual, want) {
            return Outcome::fail(format!(
                "GET {path} answered {code} but the body differs from {want}: {diff}"
            ))
            .with_evidence(evidence);
        }
        return Outcome::pass(format!("GET {path} answered {code} with {want}"))
            .with_evidence(evidence);
    }
    Outcome::pass(format!("GET {path} answered {code}")).with_evidence(evidence)
}

async fn probe_candidates(http: &Http, base: &Url, kind: &str, expect: &Expect) -> Outcome {
    let mut tried = Vec::new();
    for path in candidates(kind) {
        let url = on_target(base, path);
        match http.get(&url).await {
            Err(e) => return Outcome::error(format!("GET {path}: {e}")),
            Ok(got) if matches!(got.status.as_u16(), 404 | 405 | 410) => {
                tried.push(format!("{path} {}", got.status.as_u16()));
            }
            Ok(got) => {
                let mut o = judge_timed(http, &url, got, path, expect).await;
                if !tried.is_empty() {
                    o.evidence.push(Evidence::detail(format!(
                        "tried before: {}",
                        tried.join(", ")
                    )));
                }
                return o;
            }
        }
    }
    Outcome::fail(format!(
        "no {kind} endpoint on {base}: {} (name the path in the item, e.g. `/health`)",
        tried.join(", ")
    ))
}

/// One binding per row of a table stating endpoints and their expected responses
/// ("| `GET /health` | Basic health | `{\"status\": \"healthy\"}` |").
fn table_expectations(view: &ItemView<'_>) -> Vec<AutoBinding> {
    let mut out = Vec::new();
    for t in view.checklist_tables {
        let head: Vec<String> = t.header.iter().map(|h| h.to_lowercase()).collect();
        let Some(ep) = head
            .iter()
            .position(|h| h.contains("endpoint") || h.contains("path"))
        else {
            continue;
        };
        let Some(exp) = head
            .iter()
            .position(|h| h.contains("expected") || h.contains("response"))
        else {
            continue;
        };
        for row in &t.rows {
            let (Some(cell), Some(expected)) = (row.get(ep), row.get(exp)) else {
                continue;
            };
            let Some(path) = extract::url_paths(cell, &[]).into_iter().next() else {
                continue;
            };
            let Some(kind) = kind_of_path(&path) else {
                continue;
            };
            let mut b = AutoBinding::new(format!(
                "health checks; the checklist's table (line {}) states {path} → {}",
                t.line,
                expected.trim()
            ))
            .with("kind", kind)
            .with("paths", Value::from(vec![path.clone()]));
            if let Some(body) = json_in(expected) {
                b = b.with("body", body.to_string());
            } else if let Some(s) = status_in(expected) {
                b = b.with("status", s);
            }
            out.push(b);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_tell_their_kind() {
        assert_eq!(kind_of_path("/readyz"), Some("readiness"));
        assert_eq!(kind_of_path("/api/v1/health"), Some("health"));
        assert_eq!(kind_of_path("/livez"), Some("liveness"));
        assert_eq!(kind_of_path("/score_expected"), None);
        assert_eq!(kind_of_path("/metrics"), None);
    }
}
