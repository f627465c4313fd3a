//! Live HTTP checks against `--target URL`: health/readiness/liveness endpoints, endpoints an
//! item names, security headers, the HTTP→HTTPS redirect, CORS, paths that need credentials. Every request goes through
//! `client.rs` (timeouts, caps, redirects followed by hand).

mod auth_required;
pub mod client;
mod cors_restricted;
mod endpoint_responds;
mod health_endpoint;
mod https_redirect;
mod rate_limited;
mod security_headers;

use std::sync::{Arc, LazyLock};

use gonogo_engine::catalogue::{Check, Evidence, Outcome};
use gonogo_engine::context::RunContext;
use regex::Regex;
use reqwest::Url;
use serde_json::Value;

use client::Fetched;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![
        Arc::new(auth_required::AuthRequired),
        Arc::new(cors_restricted::CorsRestricted),
        Arc::new(endpoint_responds::EndpointResponds),
        Arc::new(health_endpoint::HealthEndpoint),
        Arc::new(https_redirect::HttpsRedirect),
        Arc::new(rate_limited::RateLimited),
        Arc::new(security_headers::SecurityHeaders),
    ]
}

/// The run's targets as URLs, or the outcome explaining why not.
/// The targets and the run's HTTP client, which every live check starts from; either failing
/// is the check's outcome.
pub fn targets_and_client(
    ctx: &RunContext,
) -> Result<(Vec<Url>, std::sync::Arc<client::Http>), Outcome> {
    let targets = targets(ctx)?;
    let http = client::Http::for_run(ctx).map_err(Outcome::error)?;
    Ok((targets, http))
}

/// How `each_path` fetches: following redirects on the target's host, or taking the first
/// answer as it is (a redirect to a login page is itself the answer).
#[derive(Clone, Copy)]
pub enum Fetch {
    Follow,
    Once,
}

/// Every path of the `paths` parameter on every target, fetched with GET and judged by
/// `judge(path, url, answer)`; the outcomes combined. `none_given` is the error when the
/// parameter is empty.
pub async fn each_path(
    ctx: &RunContext,
    params: &gonogo_engine::catalogue::Params,
    none_given: &str,
    fetch: Fetch,
    judge: impl Fn(&str, &Url, client::Fetched) -> Outcome,
) -> Outcome {
    let (targets, http) = match targets_and_client(ctx) {
        Ok(found) => found,
        Err(o) => return o,
    };
    let paths = gonogo_engine::catalogue::text_list(params, "paths");
    if paths.is_empty() {
        return Outcome::error(none_given);
    }
    let mut outcomes = Vec::new();
    for base in &targets {
        for p in &paths {
            let url = on_target(base, p);
            let got = match fetch {
                Fetch::Follow => http.get(&url).await,
                Fetch::Once => http.get_once(&url).await,
            };
            outcomes.push(match got {
                Err(e) => Outcome::error(format!("GET {p}: {e}")),
                Ok(got) => judge(p, &url, got),
            });
        }
    }
    combine(outcomes)
}

pub fn targets(ctx: &RunContext) -> Result<Vec<Url>, Outcome> {
    if ctx.targets.is_empty() {
        return Err(Outcome::skipped(
            "no target given (use --target URL to check a running deployment)",
        ));
    }
    ctx.targets
        .iter()
        .map(|t| {
            Url::parse(t)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
                .ok_or_else(|| {
                    Outcome::error(format!(
                        "--target {t} is not an http:// or https:// URL with a host"
                    ))
                })
        })
        .collect()
}

/// `path` on the target (a path replaces the target's own path; a query is kept).
pub fn on_target(base: &Url, path: &str) -> Url {
    base.join(path).unwrap_or_else(|_| base.clone())
}

/// Several targets' outcomes as one: the worst status wins, messages of the worst are kept.
pub fn combine(mut outcomes: Vec<Outcome>) -> Outcome {
    if outcomes.len() == 1 {
        return outcomes.remove(0);
    }
    use gonogo_engine::catalogue::CheckStatus::*;
    let rank = |o: &Outcome| match o.status {
        Fail => 3,
        Error => 2,
        Pass => 1,
        Skipped => 0,
    };
    let worst = outcomes.iter().map(rank).max().unwrap_or(0);
    let evidence: Vec<Evidence> = outcomes.iter().flat_map(|o| o.evidence.clone()).collect();
    let messages: Vec<String> = outcomes
        .iter()
        .filter(|o| rank(o) == worst)
        .map(|o| o.message.clone())
        .collect();
    let mut out = outcomes
        .into_iter()
        .find(|o| rank(o) == worst)
        .expect("one outcome");
    out.message = messages.join("; ");
    out.evidence = evidence;
    out
}

/// The start of a body as a person may see it: one line, at most 200 characters, redacted.
pub(crate) fn snippet(got: &Fetched) -> String {
    let text = got.text();
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut cut: String = one.chars().take(200).collect();
    if one.chars().count() > 200 {
        cut.push('…');
    }
    gonogo_engine::redact::redact(&cut)
}

/// Whether `actual` holds everything `expected` states: objects by key (extra keys allowed),
/// arrays element by element, scalars by value (numbers numerically). `Err` names the first
/// difference as `.path: expected X, got Y`.
pub(crate) fn json_holds(actual: &Value, expected: &Value) -> Result<(), String> {
    fn walk(a: &Value, e: &Value, path: &str) -> Result<(), String> {
        match (a, e) {
            (Value::Object(a), Value::Object(e)) => {
                for (k, ev) in e {
                    let p = format!("{path}.{k}");
                    match a.get(k) {
                        Some(av) => walk(av, ev, &p)?,
                        None => return Err(format!("{p}: missing (expected {ev})")),
                    }
                }
                Ok(())
            }
            (Value::Array(a), Value::Array(e)) => {
                if a.len() != e.len() {
                    return Err(format!(
                        "{}: expected {} elements, got {}",
                        if path.is_empty() { "." } else { path },
                        e.len(),
                        a.len()
                    ));
                }
                for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                    walk(av, ev, &format!("{path}[{i}]"))?;
                }
                Ok(())
            }
            (Value::Number(a), Value::Number(e)) if a.as_f64() == e.as_f64() => Ok(()),
            (Value::String(a), Value::String(e)) if a.eq_ignore_ascii_case(e) => Ok(()),
            _ if a == e => Ok(()),
            _ => Err(format!(
                "{}: expected {e}, got {a}",
                if path.is_empty() { "." } else { path }
            )),
        }
    }
    walk(actual, expected, "")
}

/// URL paths in commands such as `curl http://localhost:8000/health`.
pub fn paths_in_commands(commands: &[String]) -> Vec<String> {
    static URL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"https?://[^\s/'"<>]+(/[A-Za-z0-9._~\-/]*)"#).expect("url regex")
    });
    let mut out: Vec<String> = Vec::new();
    for c in commands {
        for m in URL.captures_iter(c) {
            let p = m[1].trim_end_matches('/').to_string();
            if !p.is_empty() && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// An expected status written in text: `200 OK`, `returns 204`.
pub(crate) fn status_in(text: &str) -> Option<u16> {
    static STATUS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b([1-5][0-9]{2})\b").expect("status regex"));
    STATUS
        .captures(text)
        .and_then(|c| c[1].parse().ok())
        .filter(|s| (100..600).contains(s))
}

/// The first JSON object in the text (`Expected: {"status": "healthy"}`).
pub(crate) fn json_in(text: &str) -> Option<Value> {
    let start = text.find('{')?;
    let end = text.rfind('}')?;
    (end > start)
        .then(|| serde_json::from_str::<Value>(&text[start..=end]).ok())
        .flatten()
        .filter(Value::is_object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_is_compared_structurally() {
        let got = json!({"status": "OK", "version": "1.2", "checks": {"db": "up"}, "n": 1.0});
        assert!(json_holds(&got, &json!({"status": "ok"})).is_ok());
        assert!(json_holds(&got, &json!({"checks": {"db": "up"}, "n": 1})).is_ok());
        assert_eq!(
            json_holds(&got, &json!({"checks": {"db": "down"}})),
            Err(".checks.db: expected \"down\", got \"up\"".into())
        );
        assert_eq!(
            json_holds(&got, &json!({"database": "connected"})),
            Err(".database: missing (expected \"connected\")".into())
        );
    }

    #[test]
    fn paths_come_out_of_curl_commands() {
        assert_eq!(
            paths_in_commands(&["curl -k https://<svc>/health".into()]),
            Vec::<String>::new()
        );
        assert_eq!(
            paths_in_commands(&["curl http://localhost:8000/health".into()]),
            vec!["/health"]
        );
    }

    #[test]
    fn statuses_and_bodies_in_table_cells() {
        assert_eq!(status_in("`200 OK` (when dependencies ready)"), Some(200));
        assert_eq!(status_in("Prometheus format"), None);
        assert_eq!(
            json_in("`{\"status\": \"healthy\"}`"),
            Some(json!({"status": "healthy"}))
        );
    }
}
