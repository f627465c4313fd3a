//! `http.auth-required` — protected paths refuse requests without credentials.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::extract;
use serde_json::Value;

use super::client::location;
use super::{Fetch, each_path};
use crate::wording::{has_any, human_act};

pub struct AuthRequired;

static META: CheckMeta = CheckMeta {
    id: "http.auth-required",
    title: "Protected paths refuse requests without credentials",
    target: TargetKind::Http,
    params: &[ParamSpec {
        name: "paths",
        kind: ParamKind::TextList,
        default: None,
        required: true,
        doc: "paths that must answer 401 or 403 (or redirect to a login page) to a GET \
              without credentials",
    }],
    docs: CheckDocs {
        what: "GETs each protected path of each --target without cookies or an Authorization \
               header, following no redirect, and requires 401 or 403, or a redirect to a \
               login page on the same host.",
        why: "An admin or internal route that answers 200 to anyone is the most common way \
              production data leaks; the check takes seconds and catches a missing middleware \
              after every deploy.",
        fix: "Put the route behind the authentication middleware and answer 401 (no or bad \
              credentials) or 403 (not allowed) before any handler runs.",
        example: "GET /admin (no credentials) → 401 WWW-Authenticate: Bearer",
        binds: &[
            "`/admin` requires authentication",
            "`/api/v1/users` returns 401 without a token",
            "Admin endpoints (`/admin`, `/internal`) protected by authentication",
            "Internal admin and debug endpoints are protected",
        ],
        not_binds: &[
            "Authentication implemented",
            "User authentication (if needed)",
            "`/admin` access reviewed",
            "`/health` returns `{\"status\": \"ok\"}`",
            "Logs are protected from unauthorized access",
            "Store the hint where an unauthenticated user can read it",
        ],
    },
};

/// Words that put an item about refusing anonymous clients on a datastore.
const DATASTORES: &[&str] = &[
    "redis",
    "postgres",
    "postgresql",
    "database",
    "databases",
    "db",
    "mysql",
    "mongodb",
    "pgbouncer",
    "sqlite",
    "ssh",
    "noauth",
];

/// What an HTTP service serves: an item about refusing anonymous access to one of these is
/// about a path.
const HTTP_SURFACES: &[&str] = &[
    "endpoint",
    "endpoints",
    "route",
    "routes",
    "api",
    "apis",
    "url",
    "urls",
    "path",
    "paths",
    "page",
    "pages",
    "request",
    "requests",
    "admin",
    "panel",
    "console",
    "ui",
    "web",
    "http",
    "site",
    // The service as a whole answers over HTTP: "each service requires authentication".
    "service",
    "services",
    "application",
    "applications",
    "backend",
];

/// Parts of a service only its operators should reach.
const OPERATOR_SURFACES: &[&str] = &[
    "admin",
    "administration",
    "debug",
    "internal endpoint",
    "internal endpoints",
    "management endpoint",
    "management endpoints",
    "actuator",
    "pprof",
];

#[async_trait::async_trait]
impl Check for AuthRequired {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec![
            "auth",
            "authentication",
            "unauthorized",
            "unauthenticated",
            "401",
            "403",
            "without",
            "protected",
            "secured",
            "restricted",
            "locked",
        ]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let refused = has_any(
            lower,
            &[
                "requires authentication",
                "require authentication",
                "requires auth",
                "protected by authentication",
                "behind authentication",
                "behind auth",
                "authentication required",
                "auth required",
                "401",
                "403",
                "unauthorized",
                "unauthenticated",
                "without a token",
                "without credentials",
            ],
        );
        // "Admin endpoints are protected": an operator's surface said to be protected is one
        // that refuses anonymous requests, however the refusal is made.
        let guarded = has_any(
            lower,
            &["protected", "secured", "locked down", "restricted"],
        ) && has_any(lower, OPERATOR_SURFACES);
        // A datastore that refuses anonymous clients is its own check (redis.auth-required,
        // postgres.no-trust-auth), not an HTTP path.
        if !(refused || guarded) || has_any(lower, DATASTORES) {
            return BindVerdict::No;
        }
        let paths = extract::url_paths(lower, &view.item.code_spans);
        // What is refused must be something served over HTTP: "logs protected from
        // unauthorized access" is about storage, not a path.
        if paths.is_empty() && !has_any(lower, HTTP_SURFACES) {
            return BindVerdict::No;
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement; a 401 does not prove it"),
                candidates: Vec::new(),
            };
        }
        // Without a path in the item, the team's `[checks."http.auth-required"] paths`
        // completes the binding; without those, it is declined saying `paths` is missing.
        if paths.is_empty() {
            return BindVerdict::Bind(vec![AutoBinding::new(
                "the protected paths must refuse anonymous requests",
            )]);
        }
        BindVerdict::Bind(vec![
            AutoBinding::new(format!(
                "{} must refuse anonymous requests",
                paths.join(", ")
            ))
            .with("paths", Value::from(paths)),
        ])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let none = "no protected path given: set `paths`";
        each_path(&ctx, &params, none, Fetch::Once, |p, url, got| {
            let code = got.status.as_u16();
            let ev = Evidence::detail(format!(
                "GET {url} without credentials → {code}{}",
                got.header("www-authenticate")
                    .map_or_else(String::new, |w| format!(" WWW-Authenticate: {w}"))
            ));
            let to_login = got.status.is_redirection()
                && location(&got).is_some_and(|l| {
                    l.host_str() == url.host_str()
                        && has_any(
                            &l.path().to_lowercase().replace('/', " "),
                            &["login", "signin", "sign-in", "auth", "sso", "oauth"],
                        )
                });
            if matches!(code, 401 | 403) {
                Outcome::pass(format!("GET {p} without credentials answered {code}"))
                    .with_evidence(ev)
            } else if to_login {
                Outcome::pass(format!(
                    "GET {p} without credentials redirects to the login page"
                ))
                .with_evidence(ev)
            } else if got.status.is_success() {
                Outcome::fail(format!(
                    "GET {p} without credentials answered {code}: anyone can read it; put it behind authentication"
                ))
                .with_evidence(ev)
            } else {
                Outcome::fail(format!(
                    "GET {p} without credentials answered {code}, expected 401 or 403"
                ))
                .with_evidence(ev)
            }
        })
        .await
    }
}
