//! `http.cors-restricted` — a foreign origin is neither reflected nor allowed with credentials.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use reqwest::Method;
use serde_json::Value;

use super::client::{Fetched, headers};
use super::{combine, on_target, targets_and_client};
use crate::wording::{claims_more, has_any, human_act, leftover};

pub struct CorsRestricted;

/// An origin no deployment should trust; `.invalid` can never resolve.
const FOREIGN: &str = "https://gonogo-probe.invalid";

static META: CheckMeta = CheckMeta {
    id: "http.cors-restricted",
    title: "CORS does not trust arbitrary origins",
    target: TargetKind::Http,
    params: &[
        ParamSpec {
            name: "path",
            kind: ParamKind::Text,
            default: Some("/"),
            required: false,
            doc: "the path the preflight and the simple request go to (an API route is best)",
        },
        ParamSpec {
            name: "allow_wildcard",
            kind: ParamKind::Bool,
            default: Some("true"),
            required: false,
            doc: "whether `Access-Control-Allow-Origin: *` without credentials is acceptable \
                  (a public, read-only API); false fails on any `*`",
        },
    ],
    docs: CheckDocs {
        what: "Sends each --target a CORS preflight (OPTIONS with Origin and \
               Access-Control-Request-Method) and a simple GET from a foreign origin, and from \
               the `null` origin; fails when the origin is reflected back in \
               Access-Control-Allow-Origin, or when `*` is allowed together with credentials.",
        why: "A server that echoes any Origin with credentials lets every web page a user \
              visits read their data from your API with their cookies; reflecting `null` \
              does the same for sandboxed iframes and local files.",
        fix: "Answer Access-Control-Allow-Origin only for an explicit list of origins you own \
              (compare the Origin header against it; never echo it unchecked), and never \
              combine `*` with Access-Control-Allow-Credentials: true.",
        example: "Origin: https://evil.example → no Access-Control-Allow-Origin\n\
                  Origin: https://app.example.com → Access-Control-Allow-Origin: https://app.example.com",
        binds: &[
            "CORS properly restricted",
            "CORS properly configured",
            "CORS restricted to known origins",
            "No wildcard CORS origins",
        ],
        not_binds: &[
            "CORS policy reviewed",
            "Cross-team review of the API design",
            "CORS documented for partner integrations and SDK clients",
        ],
    },
};

#[async_trait::async_trait]
impl Check for CorsRestricted {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["cors"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["cors", "cross", "access-control"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(
            lower,
            &[
                "cors",
                "cross-origin",
                "cross origin",
                "access-control-allow-origin",
            ],
        ) {
            return BindVerdict::No;
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement; CORS answers do not prove it"),
                candidates: vec![AutoBinding::new("names CORS")],
            };
        }
        let extra = leftover(
            lower,
            &[
                "cors",
                "cross-origin",
                "cross",
                "origin",
                "origins",
                "resource",
                "sharing",
                "properly",
                "restricted",
                "restrict",
                "restrictive",
                "limited",
                "known",
                "allowed",
                "allowlist",
                "whitelist",
                "only",
                "no",
                "wildcard",
                "wildcards",
                "not",
                "policy",
                "headers",
                "access-control-allow-origin",
                "trusted",
                "specific",
                "correctly",
                "secure",
                "locked",
                "down",
                // Which origins, said any way: allowed, permitted, accepted, reflected back.
                "lock",
                "allow",
                "allows",
                "allow-list",
                "permit",
                "permits",
                "permitted",
                "authorized",
                "accept",
                "accepts",
                "accepted",
                "arbitrary",
                "reflect",
                "reflects",
                "reflected",
                "back",
                "own",
                "front",
                "end",
                "front-end",
                "frontend",
                "domain",
                "domains",
                "requests",
                "credentials",
                "config",
            ],
        );
        if let Some(no) = claims_more(&extra, 1, "CORS answers can show", || {
            vec![AutoBinding::new("names CORS")]
        }) {
            return no;
        }
        let mut b = AutoBinding::new("wording asks for CORS restricted to known origins");
        // "No wildcard", and origins named one by one ("only specific domains", "an
        // allowlist"): a `*` is then what the item rules out.
        if has_any(
            lower,
            &[
                "no wildcard",
                "no wildcards",
                "without wildcard",
                "not wildcard",
                "only",
                "specific",
                "explicit",
                "explicitly",
                "whitelist",
                "whitelisted",
                "allowlist",
                "allow-list",
                "allowlisted",
            ],
        ) {
            b = b.with("allow_wildcard", false);
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let (targets, http) = match targets_and_client(&ctx) {
            Ok(found) => found,
            Err(o) => return o,
        };
        let path = params.get("path").and_then(Value::as_str).unwrap_or("/");
        let allow_wildcard = params
            .get("allow_wildcard")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let mut outcomes = Vec::new();
        'targets: for base in &targets {
            let url = on_target(base, path);
            let mut problems = Vec::new();
            let mut evidence = Vec::new();
            for origin in [FOREIGN, "null"] {
                let probes = [
                    (
                        "preflight",
                        Method::OPTIONS,
                        headers(&[
                            ("origin", origin),
                            ("access-control-request-method", "POST"),
                            (
                                "access-control-request-headers",
                                "content-type, authorization",
                            ),
                        ]),
                    ),
                    ("simple GET", Method::GET, headers(&[("origin", origin)])),
                ];
                for (what, method, h) in probes {
                    let got = match http.send(method, &url, &h).await {
                        Ok(g) => g,
                        Err(e) => {
                            outcomes.push(Outcome::error(format!("CORS {what}: {e}")));
                            continue 'targets;
                        }
                    };
                    let (ev, problem) = judge(&got, origin, what, allow_wildcard);
                    evidence.push(Evidence::detail(ev));
                    if let Some(p) = problem
                        && !problems.contains(&p)
                    {
                        problems.push(p);
                    }
                }
            }
            let wildcard = evidence
                .iter()
                .any(|e| e.detail.contains("Allow-Origin: *;"));
            let mut o = if problems.is_empty() && wildcard {
                Outcome::pass(format!(
                    "{url} allows any origin with `*` but never with credentials (a public API; set allow_wildcard=false if it must not)"
                ))
            } else if problems.is_empty() {
                Outcome::pass(format!(
                    "{url} does not grant CORS to a foreign or null origin"
                ))
            } else {
                Outcome::fail(format!("{url}: {}", problems.join("; ")))
            };
            o.evidence = evidence;
            outcomes.push(o);
        }
        combine(outcomes)
    }
}

/// What one answer shows, and the problem it proves, if any.
fn judge(
    got: &Fetched,
    origin: &str,
    what: &str,
    allow_wildcard: bool,
) -> (String, Option<String>) {
    let acao = got.header("access-control-allow-origin");
    let acac = got
        .header("access-control-allow-credentials")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let ev = format!(
        "{what} from Origin: {origin} → {}; Allow-Origin: {}; Allow-Credentials: {}",
        got.status.as_u16(),
        acao.as_deref().unwrap_or("(none)"),
        if acac { "true" } else { "(not true)" }
    );
    let problem = match acao.as_deref().map(str::trim) {
        Some(a) if a == origin => Some(format!(
            "the {} `{origin}` is reflected in Access-Control-Allow-Origin{}: check Origin against an allow-list",
            if origin == "null" { "origin" } else { "foreign origin" },
            if acac { " with credentials" } else { "" }
        )),
        Some("*") if acac => Some(
            "Access-Control-Allow-Origin `*` together with Allow-Credentials: true: name the allowed origins".to_string(),
        ),
        Some("*") if !allow_wildcard => {
            Some("Access-Control-Allow-Origin is `*`: name the allowed origins".to_string())
        }
        _ => None,
    };
    (ev, problem)
}
