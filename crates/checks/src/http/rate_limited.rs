//! `http.rate-limited` — a bounded burst meets 429 Too Many Requests, with Retry-After.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use regex::Regex;
use serde_json::Value;

use super::{combine, on_target, targets_and_client};
use crate::wording::{claims_more, has_any, human_act, leftover};

pub struct RateLimited;

/// The most requests one burst may send, whatever the item or config says.
const MAX_REQUESTS: u64 = 1_000;

static META: CheckMeta = CheckMeta {
    id: "http.rate-limited",
    title: "A burst of requests meets a rate limit",
    target: TargetKind::Http,
    params: &[
        ParamSpec {
            name: "requests",
            kind: ParamKind::Integer,
            default: Some("200"),
            required: false,
            doc: "how many requests the burst may send at most (capped at 1000); the item's \
                  limit plus one when it states one (\"100 requests per minute\")",
        },
        ParamSpec {
            name: "within",
            kind: ParamKind::DurationMs,
            default: Some("10s"),
            required: false,
            doc: "the time the burst may take at most",
        },
        ParamSpec {
            name: "concurrency",
            kind: ParamKind::Integer,
            default: Some("10"),
            required: false,
            doc: "requests in flight at once",
        },
        ParamSpec {
            name: "path",
            kind: ParamKind::Text,
            default: Some("/"),
            required: false,
            doc: "the path the burst goes to (a cheap API route)",
        },
        ParamSpec {
            name: "require_retry_after",
            kind: ParamKind::Bool,
            default: Some("true"),
            required: false,
            doc: "whether the 429 must carry Retry-After",
        },
    ],
    docs: CheckDocs {
        what: "Sends each --target a bounded burst of GETs (count and time from the item or \
               the parameters, never more than 1000 requests) and requires a 429 Too Many \
               Requests answer before the burst ends, carrying Retry-After; the burst stops at \
               the first 429.",
        why: "Without a rate limit one misbehaving client, scraper or retry storm takes the \
              service down for everyone; Retry-After tells well-behaved clients when to come \
              back instead of hammering.",
        fix: "Put a rate limiter in front of the API (nginx `limit_req`, an API gateway, or \
              middleware) answering 429 with `Retry-After`.",
        example: "request 101 within a minute → 429 Too Many Requests, Retry-After: 30",
        binds: &[
            "Rate limiting enabled",
            "Rate limiting configured",
            "API rate limiting (100 requests per minute)",
            "Rate limits enforced on the public API",
        ],
        not_binds: &[
            "Rate limiting reviewed",
            "Rate limit dashboards and alerting configured for each tenant",
            "Error rate < 1%",
        ],
    },
};

static LIMIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d[\d,]*)\s*(?:requests?|reqs?|calls?|rps|rpm)?\s*(?:/|per|an?|each)\s*(second|sec|s|minute|min|m|hour|hr|h)\b")
        .expect("limit regex")
});

#[async_trait::async_trait]
impl Check for RateLimited {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// Brute-force or burst protection, whatever else it adds, answers a burst with a limit.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["rate-limit"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["rate", "throttl"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(
            lower,
            &[
                "rate limiting",
                "rate limit",
                "rate limits",
                "rate-limiting",
                "rate-limited",
                "rate limited",
                "rate-limit",
                "throttling",
                "throttled",
                "throttle",
                "throttles",
            ],
        ) {
            return BindVerdict::No;
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement; a 429 does not prove it"),
                candidates: vec![AutoBinding::new("names rate limiting")],
            };
        }
        let extra = leftover(
            lower,
            &[
                "rate",
                "limiting",
                "limit",
                "limits",
                "rate-limiting",
                "rate-limited",
                "limited",
                "throttling",
                "enabled",
                "enforced",
                "on",
                "api",
                "public",
                "requests",
                "request",
                "per",
                "minute",
                "second",
                "hour",
                "req",
                "min",
                "endpoints",
                "429",
                // Who is limited and how: per client, IP or key, by a window or bucket, by a
                // gateway or middleware, answered with 429 and Retry-After.
                "rate-limit",
                "throttled",
                "throttle",
                "throttles",
                "ip",
                "ips",
                "key",
                "keys",
                "client",
                "clients",
                "user",
                "users",
                "sliding",
                "window",
                "token",
                "bucket",
                "middleware",
                "gateway",
                "retry-after",
                "then",
                "after",
                "too",
                "many",
                "returns",
                "return",
                "gets",
                "get",
                "abusive",
                "login",
                "attempts",
                "concurrent",
                "against",
                "attacks",
                "authorization",
                "authentication",
                "auth",
            ],
        );
        let extra: Vec<&str> = extra
            .into_iter()
            .filter(|w| !w.chars().all(|c| c.is_ascii_digit() || c == ','))
            .collect();
        if let Some(no) = claims_more(&extra, 1, "a burst of requests can show", || {
            vec![AutoBinding::new("names rate limiting")]
        }) {
            return no;
        }
        let mut b = AutoBinding::new("names rate limiting; a bounded burst must meet 429");
        // The endpoint the item names ("Rate-limit `/login`") is the one the burst goes to.
        if let Some(path) = gonogo_engine::extract::url_paths(lower, &view.item.code_spans)
            .into_iter()
            .next()
        {
            b = b.with("path", Value::from(path));
        }
        if let Some(c) = LIMIT.captures(lower) {
            let n: u64 = c[1].replace(',', "").parse().unwrap_or(0);
            let per_ms: u64 = match &c[2] {
                "second" | "sec" | "s" => 1_000,
                "minute" | "min" | "m" => 60_000,
                _ => 3_600_000,
            };
            if n + 1 > MAX_REQUESTS {
                return BindVerdict::Declined {
                    why: format!(
                        "a limit of {n} requests is more than a bounded burst ({MAX_REQUESTS}) can reach"
                    ),
                    candidates: vec![AutoBinding::new("names rate limiting")],
                };
            }
            b = b
                .with("requests", n + 1 + n / 10)
                .with("within", Value::from(per_ms.min(60_000)));
            b.reason = format!(
                "names a rate limit of {n} per {}; a burst of {} must meet 429",
                &c[2],
                n + 1 + n / 10
            );
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let (targets, http) = match targets_and_client(&ctx) {
            Ok(found) => found,
            Err(o) => return o,
        };
        let requests = params
            .get("requests")
            .and_then(Value::as_u64)
            .unwrap_or(200)
            .clamp(1, MAX_REQUESTS);
        let within = Duration::from_millis(
            params
                .get("within")
                .and_then(Value::as_u64)
                .unwrap_or(10_000)
                .clamp(100, 120_000),
        );
        let concurrency = params
            .get("concurrency")
            .and_then(Value::as_u64)
            .unwrap_or(10)
            .clamp(1, 100) as usize;
        let path = params
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or("/")
            .to_string();
        let need_retry = params
            .get("require_retry_after")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let mut outcomes = Vec::new();
        for base in &targets {
            let url = on_target(base, &path);
            let sent = Arc::new(AtomicUsize::new(0));
            let stop = Arc::new(AtomicBool::new(false));
            let start = Instant::now();
            let deadline = start + within;
            let mut tasks = Vec::new();
            for _ in 0..concurrency {
                let (http, url, sent, stop) =
                    (http.clone(), url.clone(), sent.clone(), stop.clone());
                tasks.push(tokio::spawn(async move {
                    let mut seen: Vec<(usize, u16, Option<String>)> = Vec::new();
                    let mut errors: Vec<String> = Vec::new();
                    while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                        let n = sent.fetch_add(1, Ordering::Relaxed);
                        if n as u64 >= requests {
                            break;
                        }
                        match tokio::time::timeout(
                            deadline.saturating_duration_since(Instant::now()),
                            http.get_once(&url),
                        )
                        .await
                        {
                            Err(_) => break,
                            Ok(Err(e)) => {
                                errors.push(e.0);
                                if errors.len() > 3 {
                                    stop.store(true, Ordering::Relaxed);
                                }
                            }
                            Ok(Ok(got)) => {
                                let code = got.status.as_u16();
                                if code == 429 {
                                    stop.store(true, Ordering::Relaxed);
                                    seen.push((n + 1, code, got.header("retry-after")));
                                } else {
                                    seen.push((n + 1, code, None));
                                }
                            }
                        }
                    }
                    (seen, errors)
                }));
            }
            let mut answers: Vec<(usize, u16, Option<String>)> = Vec::new();
            let mut errors = Vec::new();
            for t in tasks {
                if let Ok((s, e)) = t.await {
                    answers.extend(s);
                    errors.extend(e);
                }
            }
            let took = start.elapsed();
            answers.sort_by_key(|a| a.0);
            let total = answers.len();
            let mut by_code: std::collections::BTreeMap<u16, usize> = Default::default();
            for a in &answers {
                *by_code.entry(a.1).or_default() += 1;
            }
            let first429 = answers.iter().find(|a| a.1 == 429).cloned();
            // Requests in flight when the first 429 came make the 429 count vary: show the
            // answers before it.
            let before = answers.iter().filter(|a| a.1 != 429).count();
            let codes: Vec<String> = by_code
                .iter()
                .filter(|(c, _)| **c != 429)
                .map(|(c, n)| format!("{c}×{n}"))
                .collect();
            let ev = Evidence::detail(match &first429 {
                Some(_) => format!(
                    "GET {url} ({concurrency} at once): {} before the first 429",
                    if codes.is_empty() {
                        "nothing".to_string()
                    } else {
                        codes.join(", ")
                    }
                ),
                None => format!(
                    "{total} answers in {} ms to GET {url} ({concurrency} at once): {}",
                    took.as_millis(),
                    if codes.is_empty() {
                        "none".to_string()
                    } else {
                        codes.join(", ")
                    }
                ),
            });
            if total == 0 && !errors.is_empty() {
                outcomes.push(Outcome::error(format!(
                    "the burst could not reach the target: {}",
                    errors[0]
                )));
                continue;
            }
            outcomes.push(match first429 {
                Some((_, _, Some(ra))) => Outcome::pass(format!(
                    "the burst met 429 after {before} answers, with Retry-After: {ra}"
                ))
                .with_evidence(ev),
                Some((_, _, None)) if need_retry => Outcome::fail(format!(
                    "the burst met 429 after {before} answers but without Retry-After: tell clients when to retry"
                ))
                .with_evidence(ev),
                Some(_) => Outcome::pass(format!("the burst met 429 after {before} answers"))
                    .with_evidence(ev),
                None if !errors.is_empty() => Outcome::error(format!(
                    "{total} requests answered without 429, then the target failed: {}",
                    errors[0]
                ))
                .with_evidence(ev),
                None => Outcome::fail(format!(
                    "{total} requests in {:.1}s to {path} met no 429: put a rate limiter in front of the API",
                    took.as_secs_f64()
                ))
                .with_evidence(ev),
            });
        }
        combine(outcomes)
    }
}
