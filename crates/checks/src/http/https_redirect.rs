//! `http.https-redirect` — plain HTTP is redirected to HTTPS on the same host.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use reqwest::Url;
use serde_json::Value;

use super::client::location;
use super::{combine, targets_and_client};
use crate::wording::{claims_more, has_any, human_act, leftover};

pub struct HttpsRedirect;

static META: CheckMeta = CheckMeta {
    id: "http.https-redirect",
    title: "Plain HTTP redirects to HTTPS",
    target: TargetKind::Http,
    params: &[ParamSpec {
        name: "http_url",
        kind: ParamKind::Text,
        default: None,
        required: false,
        doc: "the plain-HTTP URL to try (default: the target itself when it is http://, \
              else the target's host on port 80)",
    }],
    docs: CheckDocs {
        what: "GETs the plain-HTTP address of each --target (an http:// target as given; for \
               an https:// one, the http:// target of the same host when one is given, else \
               port 80) without following redirects and requires a permanent or temporary redirect (301, 302, 307, 308) to an https:// \
               URL on the same host.",
        why: "Users and old links still arrive over plain HTTP; without a redirect they get \
              the site unencrypted (or nothing), and HSTS never gets its first chance to be \
              seen over HTTPS.",
        fix: "Answer every plain-HTTP request with `301` (or `308`) and \
              `Location: https://<same host><same path>`, e.g. nginx \
              `return 301 https://$host$request_uri;`.",
        example: "GET http://example.com/ → 301 Location: https://example.com/",
        binds: &[
            "HTTP redirects to HTTPS",
            "HTTP to HTTPS redirect configured",
            "Force HTTPS",
            "HTTPS enforced",
        ],
        not_binds: &[
            "HTTPS/SSL configured",
            "TLS 1.3 enabled",
            "OAuth redirect URIs registered",
            "HTTPS redirect reviewed",
        ],
    },
};

#[async_trait::async_trait]
impl Check for HttpsRedirect {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["https-redirect"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["https"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let says = (has_any(lower, &["https"])
            && has_any(
                lower,
                &[
                    "redirect",
                    "redirects",
                    "redirected",
                    "redirecting",
                    "redirection",
                ],
            ))
            || has_any(
                lower,
                &[
                    "force https",
                    "forced https",
                    "https enforced",
                    "enforce https",
                    "enforces https",
                    "forces https",
                    "enforcing https",
                    "https only",
                    "https-only",
                ],
            );
        if !says {
            return BindVerdict::No;
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement; a redirect does not prove it"),
                candidates: vec![AutoBinding::new("names the HTTPS redirect")],
            };
        }
        let extra = leftover(
            lower,
            &[
                "http",
                "https",
                "redirect",
                "redirects",
                "redirected",
                "redirecting",
                "redirection",
                "force",
                "forced",
                "forces",
                "enforces",
                "enforcing",
                "enforced",
                "enforce",
                "only",
                "to",
                "from",
                "all",
                "traffic",
                // "data encrypted in transit": what travels over it.
                "data",
                "requests",
                "always",
                "permanent",
                "301",
                "308",
            ],
        );
        if let Some(no) = claims_more(&extra, 1, "a redirect can show", || {
            vec![AutoBinding::new("names the HTTPS redirect")]
        }) {
            return no;
        }
        BindVerdict::Bind(vec![AutoBinding::new(
            "wording asks for HTTP to redirect to HTTPS",
        )])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let (targets, http) = match targets_and_client(&ctx) {
            Ok(found) => found,
            Err(o) => return o,
        };
        let given = params.get("http_url").and_then(Value::as_str);
        // An https:// target whose host is also given as an http:// target is probed there
        // (`--target https://h:8443 --target http://h:8080`), not on a guessed port 80.
        let plain_hosts: Vec<Option<String>> = targets
            .iter()
            .filter(|t| t.scheme() == "http")
            .map(|t| t.host_str().map(str::to_string))
            .collect();
        let mut probed: Vec<Url> = Vec::new();
        let mut outcomes = Vec::new();
        for base in &targets {
            if given.is_none()
                && base.scheme() == "https"
                && plain_hosts.contains(&base.host_str().map(str::to_string))
            {
                continue;
            }
            let plain = match given {
                Some(u) => match Url::parse(u) {
                    Ok(u) if u.scheme() == "http" => u,
                    _ => {
                        return Outcome::error(format!("http_url {u} is not an http:// URL"));
                    }
                },
                None if base.scheme() == "http" => base.clone(),
                None => {
                    let mut u = base.clone();
                    let _ = u.set_scheme("http");
                    let _ = u.set_port(None);
                    u
                }
            };
            if probed.contains(&plain) {
                continue;
            }
            probed.push(plain.clone());
            outcomes.push(match http.get_once(&plain).await {
                Err(e) => Outcome::error(format!("plain HTTP: {e}")),
                Ok(got) => {
                    let code = got.status.as_u16();
                    let loc = got.header("location");
                    let ev = Evidence::detail(format!(
                        "GET {plain} → {code}{}",
                        loc.as_deref()
                            .map_or_else(String::new, |l| format!(" Location: {l}"))
                    ));
                    match (got.status.is_redirection(), location(&got)) {
                        (true, Some(to)) if to.scheme() == "https" && to.host_str() == plain.host_str() => {
                            let kind = if matches!(code, 301 | 308) { "permanent" } else { "temporary" };
                            Outcome::pass(format!("{plain} redirects ({code}, {kind}) to {to}"))
                                .with_evidence(ev)
                        }
                        (true, Some(to)) if to.scheme() == "https" => Outcome::fail(format!(
                            "{plain} redirects to HTTPS on another host ({to}): redirect to https://{}",
                            plain.host_str().unwrap_or("")
                        ))
                        .with_evidence(ev),
                        (true, Some(to)) => Outcome::fail(format!(
                            "{plain} redirects to {to}, which is not HTTPS: redirect to https://"
                        ))
                        .with_evidence(ev),
                        _ => Outcome::fail(format!(
                            "{plain} answered {code} over plain HTTP instead of redirecting: answer 301 with Location: https://…"
                        ))
                        .with_evidence(ev),
                    }
                }
            });
        }
        combine(outcomes)
    }
}
