//! `http.endpoint-responds` — endpoints a checklist names answer 2xx.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::extract;
use serde_json::Value;

use super::{Fetch, each_path, snippet};
use crate::wording::{has_any, human_act, leftover};

pub struct EndpointResponds;

static META: CheckMeta = CheckMeta {
    id: "http.endpoint-responds",
    title: "Named endpoints answer with a success status",
    target: TargetKind::Http,
    params: &[ParamSpec {
        name: "paths",
        kind: ParamKind::TextList,
        default: None,
        required: true,
        doc: "paths that must each answer 2xx to a GET (after same-host redirects)",
    }],
    docs: CheckDocs {
        what: "GETs each path the item names on every --target and requires a 2xx answer; \
               what the body means (\"returns SHAP explanations\") is not judged.",
        why: "An endpoint the release promises that answers 404 or 500 is a broken feature \
              the first user finds; a GET after deploy catches a missing route or a crashing \
              handler in seconds.",
        fix: "Deploy the route and make it answer 2xx to a plain GET, or annotate the item \
              with the path that is really served.",
        example: "GET /score_expected → 200 {\"alphas\": [...]}",
        binds: &[
            "`/score_expected` returns expected alphas",
            "`/explain` returns global feature importance",
            "Endpoint `/api/v1/orders` responds",
            "GET `/docs` works",
            "https://example.com returns 200",
            "The home page responds",
        ],
        not_binds: &[
            "`/health` returns `{\"status\": \"ok\"}`",
            "`/metrics` returns Prometheus metrics",
            "Config stored in `/etc/app/config.yaml`",
            "`/admin` reviewed by security",
            "Document the `/orders` endpoint",
            "Status page available at https://status.example.com",
            "`/admin` is accessible for the promoted account",
        ],
    },
};

const VERBS: &[&str] = &[
    "returns",
    "return",
    "responds",
    "respond",
    "answers",
    "works",
    "working",
    "reachable",
    "available",
    "accessible",
    "serves",
];

/// Paths other checks own: health endpoints and metrics.
fn owned_elsewhere(path: &str) -> bool {
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    [
        "health",
        "healthz",
        "ready",
        "readyz",
        "readiness",
        "live",
        "livez",
        "liveness",
        "metrics",
        "ping",
        "status",
    ]
    .contains(&last)
        || path.contains("/health")
}

/// The site's root page, by name.
const HOME_PAGE: &[&str] = &["homepage", "home page", "landing page", "front page"];

/// The site itself as an item names it, when it names no path: a whole URL ("https://example.com
/// returns 200", whose path is asked of the target), the root ("/ answers"), or the home page.
/// Where it stands in `lower`, and the path a GET asks for.
fn site_path(lower: &str) -> Option<(usize, String)> {
    let mut at = 0;
    for word in lower.split_inclusive(char::is_whitespace) {
        let w = word
            .trim()
            .trim_matches(|c| matches!(c, '`' | '(' | ')' | ',' | ';' | '"' | '\'' | '<' | '>'))
            .trim_end_matches(['.', ':']);
        if (w.starts_with("https://") || w.starts_with("http://"))
            && let Ok(url) = reqwest::Url::parse(w)
            && url.host_str().is_some()
        {
            return Some((at, url.path().to_string()));
        }
        if w == "/" {
            return Some((at, "/".to_string()));
        }
        at += word.len();
    }
    HOME_PAGE
        .iter()
        .filter_map(|p| lower.find(p))
        .min()
        .map(|at| (at, "/".to_string()))
}

#[async_trait::async_trait]
impl Check for EndpointResponds {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["/", "homepage", "home", "landing", "front"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !(lower.contains('/') || has_any(lower, HOME_PAGE)) || !has_any(lower, VERBS) {
            return BindVerdict::No;
        }
        // "returns 401 without a token" is about refusing, not answering (http.auth-required).
        // Said in words, not in a path ("/api/v1/accounts").
        let prose: String = lower
            .split_whitespace()
            .filter(|w| !w.contains('/'))
            .collect::<Vec<_>>()
            .join(" ");
        if has_any(
            &prose,
            &[
                "401",
                "403",
                "unauthorized",
                "authentication",
                "without",
                "denied",
                "forbidden",
                // "/admin is accessible for the promoted account": answering someone signed
                // in needs their credentials, which an anonymous GET does not have.
                "account",
                "accounts",
                "logged in",
                "signed in",
                "authenticated",
                "credentials",
                "token",
            ],
        ) {
            return BindVerdict::No;
        }
        let mut paths = extract::url_paths(lower, &view.item.code_spans);
        let mut first_path_at = paths
            .iter()
            .filter_map(|p| lower.find(p.as_str()))
            .min()
            .unwrap_or(usize::MAX);
        if paths.is_empty()
            && let Some((at, path)) = site_path(lower)
        {
            // The site answering is all such an item may say: "home page works on mobile" or
            // "landing page accessible" (to screen readers) asks what a status cannot show.
            let rest: Vec<&str> = lower
                .split_whitespace()
                .filter(|w| !w.contains("://"))
                .collect();
            let rest = rest.join(" ");
            // Not "accessible": of a page, that is often accessibility.
            let mut said: Vec<&str> = VERBS
                .iter()
                .copied()
                .filter(|v| *v != "accessible")
                .collect();
            said.extend_from_slice(HOME_PAGE);
            said.extend_from_slice(&[
                "up", "live", "200", "2xx", "ok", "status", "code", "http", "with", "site", "/",
            ]);
            let extra = leftover(&rest, &said);
            if !extra.is_empty() {
                return BindVerdict::No;
            }
            (first_path_at, paths) = (at, vec![path]);
        }
        if paths.is_empty() || paths.iter().any(|p| owned_elsewhere(p)) {
            return BindVerdict::No;
        }
        // The path is the subject: it comes before the verb ("`/x` returns …", "GET /x works").
        let verb_at = VERBS
            .iter()
            .filter_map(|v| lower.find(&format!(" {v}")))
            .min()
            .unwrap_or(usize::MAX);
        if first_path_at > verb_at {
            return BindVerdict::No;
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!(
                    "\"{act}\" is a person's judgement; an endpoint answering does not prove it"
                ),
                candidates: vec![
                    AutoBinding::new("names an endpoint").with("paths", Value::from(paths)),
                ],
            };
        }
        BindVerdict::Bind(vec![
            AutoBinding::new(format!(
                "names the endpoint {}; a 2xx answer is checked, not what it returns",
                paths.join(", ")
            ))
            .with("paths", Value::from(paths)),
        ])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let none = "no path to check: give `paths`";
        each_path(&ctx, &params, none, Fetch::Follow, |p, _, got| {
            let code = got.status.as_u16();
            let ev = Evidence::detail(format!(
                "GET {} → {code} in {} ms; body: {}",
                got.url,
                got.elapsed.as_millis(),
                snippet(&got)
            ));
            if got.status.is_success() {
                Outcome::pass(format!("GET {p} answered {code}")).with_evidence(ev)
            } else if got.status.is_redirection() {
                Outcome::fail(format!(
                    "GET {p} answered {code} redirecting to another host ({}), not followed: serve it on the target",
                    got.header("location").unwrap_or_default()
                ))
                .with_evidence(ev)
            } else {
                Outcome::fail(format!(
                    "GET {p} answered {code}, expected a 2xx status: deploy the route or fix its handler"
                ))
                .with_evidence(ev)
            }
        })
        .await
    }
}
