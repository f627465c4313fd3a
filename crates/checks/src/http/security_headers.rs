//! `http.security-headers` — HSTS, CSP, X-Content-Type-Options, frame protection, and a Server
//! header that does not reveal versions.

use std::sync::{Arc, LazyLock};

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind, text_list,
};
use gonogo_engine::context::RunContext;
use regex::Regex;
use serde_json::Value;

use super::client::Fetched;
use super::{combine, on_target, targets_and_client};
use crate::wording::{claims_more, has_any, human_act, leftover};

pub struct SecurityHeaders;

static META: CheckMeta = CheckMeta {
    id: "http.security-headers",
    title: "Security headers are sent",
    target: TargetKind::Http,
    params: &[
        ParamSpec {
            name: "require",
            kind: ParamKind::TextList,
            default: Some("hsts,csp,content-type-options,frame-options,server"),
            required: false,
            doc: "which headers to judge: hsts, csp, content-type-options, frame-options \
                  (X-Frame-Options or CSP frame-ancestors), server (no version in Server or \
                  X-Powered-By)",
        },
        ParamSpec {
            name: "hsts_min_age",
            kind: ParamKind::Integer,
            default: Some("31536000"),
            required: false,
            doc: "the least HSTS max-age in seconds (default one year)",
        },
        ParamSpec {
            name: "include_subdomains",
            kind: ParamKind::Bool,
            default: Some("false"),
            required: false,
            doc: "whether HSTS must carry includeSubDomains",
        },
        ParamSpec {
            name: "path",
            kind: ParamKind::Text,
            default: Some("/"),
            required: false,
            doc: "the path whose response headers are judged",
        },
    ],
    docs: CheckDocs {
        what: "GETs a path of each --target and judges its response headers: \
               Strict-Transport-Security with a max-age of at least a year (includeSubDomains \
               when asked), a Content-Security-Policy, X-Content-Type-Options: nosniff, frame \
               protection, and no version number in Server or X-Powered-By.",
        why: "These headers turn whole classes of browser attacks (protocol downgrade, XSS, \
              MIME sniffing, clickjacking) into non-events, and a version in Server tells an \
              attacker which CVEs to try first.",
        fix: "Send `Strict-Transport-Security: max-age=31536000; includeSubDomains`, a \
              `Content-Security-Policy`, `X-Content-Type-Options: nosniff`, \
              `X-Frame-Options: DENY` (or CSP `frame-ancestors`), and hide versions (nginx \
              `server_tokens off;`).",
        example: "Strict-Transport-Security: max-age=63072000; includeSubDomains\n\
                  Content-Security-Policy: default-src 'self'; frame-ancestors 'none'\n\
                  X-Content-Type-Options: nosniff\nServer: nginx",
        binds: &[
            "HSTS headers configured",
            "Security headers configured",
            "Strict-Transport-Security header set with includeSubDomains",
            "Content Security Policy header configured",
            "X-Frame-Options set",
            "Security headers (CSP, HSTS, X-Content-Type-Options) enabled",
        ],
        not_binds: &[
            "CORS properly restricted",
            "Security headers reviewed",
            "HSTS preload list submission approved by legal",
            "Security audit completed",
            "Headers documented in the API guide",
        ],
    },
};

/// Header keys and the wording that names each.
const NAMES: &[(&str, &[&str])] = &[
    (
        "hsts",
        &[
            "hsts",
            "strict-transport-security",
            "strict transport security",
        ],
    ),
    (
        "csp",
        &["csp", "content-security-policy", "content security policy"],
    ),
    (
        "content-type-options",
        &["x-content-type-options", "nosniff"],
    ),
    (
        "frame-options",
        &["x-frame-options", "clickjacking", "frame-ancestors"],
    ),
    (
        "server",
        &[
            "server header",
            "server version",
            "server tokens",
            "server_tokens",
            "x-powered-by",
        ],
    ),
];

/// The least HSTS max-age an item states, in seconds: "max-age of at least 365 days",
/// "max-age >= 31536000".
fn hsts_min_age(lower: &str) -> Option<u64> {
    use gonogo_engine::extract::{Op, Unit, comparisons};
    comparisons(lower).into_iter().find_map(|c| {
        if !matches!(c.op, Op::Ge | Op::Gt | Op::Eq) {
            return None;
        }
        match c.unit {
            Unit::Days => Some((c.value * 86_400.0).round() as u64),
            Unit::Millis => Some((c.value / 1000.0).round() as u64),
            Unit::Count if c.value >= 86_400.0 => Some(c.value.round() as u64),
            _ => None,
        }
    })
}

#[async_trait::async_trait]
impl Check for SecurityHeaders {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["hsts", "csp", "security-headers"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec![
            "hsts",
            "strict",
            "csp",
            "content",
            "nosniff",
            "frame",
            "clickjacking",
            "server",
            "powered",
            "header",
        ]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let named: Vec<&str> = NAMES
            .iter()
            .filter(|(_, w)| has_any(lower, w))
            .map(|(k, _)| *k)
            .collect();
        let generic = has_any(
            lower,
            &[
                "security headers",
                "security header",
                "http security headers",
            ],
        );
        if named.is_empty() && !generic {
            return BindVerdict::No;
        }
        // "Security headers configured" with one sub-item per header is judged by those.
        if named.is_empty() && !view.item.children.is_empty() {
            return BindVerdict::No;
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!(
                    "\"{act}\" is a person's judgement; headers being sent do not prove it"
                ),
                candidates: vec![AutoBinding::new("names security headers")],
            };
        }
        let mut used: Vec<&str> = vec![
            "security",
            "headers",
            "header",
            "http",
            "response",
            "responses",
            "enabled",
            "sent",
            "send",
            "on",
            "every",
            "max-age",
            "includesubdomains",
            "strict-transport-security",
            "content-security-policy",
            "x-content-type-options",
            "x-frame-options",
            "nosniff",
            "hsts",
            "csp",
            "content",
            "policy",
            "strict",
            "transport",
            "clickjacking",
            "protection",
            "server",
            "version",
            "tokens",
            "hidden",
            "hides",
            "disclosed",
            "not",
            "x-powered-by",
            "frame-ancestors",
            "set",
            "via",
            "proper",
            "properly",
            "valid",
            // Headers removed so the server does not say what it runs, and a policy's own
            // directives.
            "remove",
            "removed",
            "hide",
            "hidden",
            "fingerprinting",
            "banner",
            "x-aspnet-version",
            "x-aspnetmvc-version",
            "version",
            "default-src",
            "script-src",
            "none",
            "self",
            "strict",
            "send",
            "sends",
        ];
        used.extend(NAMES.iter().flat_map(|(_, w)| w.iter().copied()));
        // "max-age of at least 365 days": the threshold is the check's own parameter.
        let min_age = named
            .contains(&"hsts")
            .then(|| hsts_min_age(lower))
            .flatten();
        if min_age.is_some() {
            used.extend([
                "of", "at", "least", "minimum", "days", "day", "seconds", "s", "d", ">=",
            ]);
        }
        let mut extra = leftover(lower, &used);
        if min_age.is_some() {
            extra.retain(|w| !w.chars().all(|c| c.is_ascii_digit() || c == '.'));
        }
        if let Some(no) = claims_more(&extra, 1, "response headers can show", || {
            vec![AutoBinding::new("names security headers")]
        }) {
            return no;
        }
        let mut b = AutoBinding::new(if named.is_empty() {
            "names security headers; the usual set is judged".to_string()
        } else {
            format!("names {}", named.join(", "))
        });
        // "Security headers (CSP, HSTS…)" judges the listed ones; a bare "security headers"
        // the usual set.
        if !named.is_empty() {
            b = b.with("require", Value::from(named.clone()));
        }
        if has_any(
            lower,
            &["includesubdomains", "include subdomains", "subdomains"],
        ) {
            b = b.with("include_subdomains", true);
        }
        if let Some(secs) = min_age {
            b = b.with("hsts_min_age", secs);
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let (targets, http) = match targets_and_client(&ctx) {
            Ok(found) => found,
            Err(o) => return o,
        };
        let require: Vec<String> = text_list(&params, "require")
            .into_iter()
            .map(|s| s.to_lowercase())
            .collect();
        let min_age = params
            .get("hsts_min_age")
            .and_then(Value::as_u64)
            .unwrap_or(31_536_000);
        let subdomains = params
            .get("include_subdomains")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let path = params.get("path").and_then(Value::as_str).unwrap_or("/");
        for r in &require {
            if !NAMES.iter().any(|(k, _)| k == r) {
                return Outcome::error(format!(
                    "unknown header `{r}` in require (hsts, csp, content-type-options, frame-options, server)"
                ));
            }
        }
        let mut outcomes = Vec::new();
        for base in &targets {
            let url = on_target(base, path);
            outcomes.push(match http.get(&url).await {
                Err(e) => Outcome::error(format!("GET {path}: {e}")),
                Ok(got) => judge(&got, &require, min_age, subdomains),
            });
        }
        combine(outcomes)
    }
}

fn judge(got: &Fetched, require: &[String], min_age: u64, subdomains: bool) -> Outcome {
    let mut problems = Vec::new();
    let mut evidence = Vec::new();
    for key in require {
        let verdict = match key.as_str() {
            "hsts" => hsts(got, min_age, subdomains),
            "csp" => match got.header("content-security-policy") {
                Some(v) if !v.trim().is_empty() => Ok(format!("Content-Security-Policy: {v}")),
                _ => Err("no Content-Security-Policy header".to_string()),
            },
            "content-type-options" => match got.header("x-content-type-options") {
                Some(v) if v.trim().eq_ignore_ascii_case("nosniff") => {
                    Ok("X-Content-Type-Options: nosniff".to_string())
                }
                Some(v) => Err(format!("X-Content-Type-Options is \"{v}\", not nosniff")),
                None => Err("no X-Content-Type-Options: nosniff".to_string()),
            },
            "frame-options" => frame(got),
            "server" => server(got),
            _ => Ok(String::new()),
        };
        match verdict {
            Ok(d) => evidence.push(Evidence::detail(format!("{key}: {d}"))),
            Err(p) => {
                evidence.push(Evidence::detail(format!("{key}: {p}")));
                problems.push(p);
            }
        }
    }
    let mut o = if problems.is_empty() {
        Outcome::pass(format!("{} sends {}", got.url, require.join(", ")))
    } else {
        Outcome::fail(format!("{}: {}", got.url, problems.join("; ")))
    };
    if require.iter().any(|r| r == "hsts") && got.url.scheme() == "http" {
        evidence.push(Evidence::detail(
            "the target is plain HTTP: browsers honour HSTS only from HTTPS responses",
        ));
    }
    o.evidence = evidence;
    o
}

fn hsts(got: &Fetched, min_age: u64, subdomains: bool) -> Result<String, String> {
    let Some(v) = got.header("strict-transport-security") else {
        return Err(format!(
            "no Strict-Transport-Security header: send `max-age={min_age}{}`",
            if subdomains {
                "; includeSubDomains"
            } else {
                ""
            }
        ));
    };
    let mut age: Option<u64> = None;
    let mut sub = false;
    for part in v.split(';') {
        let part = part.trim();
        let low = part.to_ascii_lowercase();
        if let Some(n) = low.strip_prefix("max-age=") {
            age = n.trim().trim_matches('"').parse().ok();
        } else if low == "includesubdomains" {
            sub = true;
        }
    }
    match age {
        None => Err(format!(
            "Strict-Transport-Security \"{v}\" has no valid max-age"
        )),
        Some(a) if a < min_age => Err(format!(
            "HSTS max-age is {a} s, under {min_age} s ({} days)",
            min_age / 86_400
        )),
        Some(_) if subdomains && !sub => Err(format!(
            "Strict-Transport-Security \"{v}\" lacks includeSubDomains"
        )),
        Some(_) => Ok(format!("Strict-Transport-Security: {v}")),
    }
}

fn frame(got: &Fetched) -> Result<String, String> {
    if let Some(v) = got.header("x-frame-options") {
        let u = v.trim().to_ascii_uppercase();
        if u == "DENY" || u == "SAMEORIGIN" {
            return Ok(format!("X-Frame-Options: {v}"));
        }
        return Err(format!(
            "X-Frame-Options is \"{v}\", not DENY or SAMEORIGIN"
        ));
    }
    if let Some(csp) = got.header("content-security-policy")
        && csp.to_ascii_lowercase().contains("frame-ancestors")
    {
        return Ok("CSP frame-ancestors".to_string());
    }
    Err("no frame protection (X-Frame-Options or CSP frame-ancestors)".to_string())
}

fn server(got: &Fetched) -> Result<String, String> {
    static VERSION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\d+\.\d+|/\s*\d").expect("version regex"));
    for h in ["server", "x-powered-by"] {
        if let Some(v) = got.header(h)
            && VERSION.is_match(&v)
        {
            return Err(format!(
                "{} \"{v}\" reveals a version (nginx: server_tokens off)",
                if h == "server" {
                    "Server"
                } else {
                    "X-Powered-By"
                }
            ));
        }
    }
    Ok(match got.header("server") {
        Some(v) => format!("Server: {v} (no version)"),
        None => "no Server header".to_string(),
    })
}
