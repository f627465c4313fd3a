//! `tls.certificate-valid` — the target's certificate is trusted, names the host, is not
//! expiring within the item's days, and uses a strong key and signature.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Limit, Measure,
    Outcome, ParamKind, ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::extract::{self, Unit};
use serde_json::Value;

use super::cert::{days_until, facts};
use super::handshake::{Failure, handshake};
use super::tls_targets;
use crate::http::combine;
use crate::wording::{bind_unless_claims_more, claims_more, has_any, human_act, leftover};

pub struct CertificateValid;

static META: CheckMeta = CheckMeta {
    id: "tls.certificate-valid",
    title: "TLS certificate trusted, for this host, not expiring soon",
    target: TargetKind::Http,
    params: &[
        ParamSpec {
            name: "days",
            kind: ParamKind::Integer,
            default: Some("30"),
            required: false,
            doc: "the least number of days the certificate must still be valid",
        },
        ParamSpec {
            name: "min_rsa_bits",
            kind: ParamKind::Integer,
            default: Some("2048"),
            required: false,
            doc: "the least RSA key size",
        },
    ],
    docs: CheckDocs {
        what: "Handshakes with each https:// --target and judges the certificate chain against \
               the web PKI roots (plus --ca-file), the host name, the days left before expiry \
               against the item's threshold, the RSA key size and the signature algorithm.",
        why: "An expired, untrusted or wrong-host certificate takes the whole service down for \
              every client at once, and expiry is the most predictable outage there is.",
        fix: "Serve the full chain (leaf and intermediates) from a trusted CA for the exact \
              host name, renew automatically well before the threshold (ACME/cert-manager), \
              and use RSA ≥ 2048 or ECDSA keys with SHA-256 signatures.",
        example: "subject CN=api.example.com, SAN api.example.com, 61 days left, EC P-256, \
                  ecdsa-with-SHA256",
        binds: &[
            "TLS certificates valid and not expiring within 30 days",
            "SSL certificate valid",
            "Certificates expire in more than 14 days",
            "Valid TLS certificate installed",
            "TLS is configured on the load balancer",
            "SSL enabled",
            "Certificates renewed automatically",
            "No certificate close to expiry",
        ],
        not_binds: &[
            "mTLS enabled between services",
            "Certificate rotation process documented and approved by security",
            "TLS 1.3 enabled",
            "TLS enabled on the PostgreSQL connections",
            "TLS configured between services",
            "Uptime monitoring configured (e.g. https://status.example.com)",
            "Code signing certificates renewed by the release team",
            "Committed certificate files are not about to expire",
        ],
    },
};

/// "TLS is configured on the load balancer", "SSL enabled": a handshake that completes with
/// a valid certificate is what shows TLS is on. Versions ("TLS 1.2 enabled") are
/// `tls.protocol-versions`'; TLS between services or to a datastore is not the served
/// endpoint's.
/// Whether the item's headings name a datastore and the item names nothing served over HTTP.
fn under_datastore(view: &ItemView<'_>) -> bool {
    let section = view.item.section.join(" ").to_lowercase();
    has_any(
        &section,
        &[
            "database",
            "databases",
            "postgres",
            "postgresql",
            "redis",
            "mysql",
        ],
    ) && !has_any(
        view.lower,
        &[
            "https", "http", "web", "site", "endpoint", "domain", "api", "browser",
        ],
    )
}

/// "No SSL warnings", "no certificate warnings in the browser": a browser warns about a
/// certificate that is expired, untrusted or for another name, which is what this check
/// shows. `None` when the item is not about such warnings.
fn bind_no_warnings(lower: &str) -> Option<BindVerdict> {
    if !has_any(lower, &["warning", "warnings"])
        || !has_any(lower, &["no", "without", "free of"])
        || !has_any(
            lower,
            &["ssl", "tls", "https", "certificate", "certificates", "cert"],
        )
    {
        return None;
    }
    let extra = leftover(
        lower,
        &[
            "no",
            "without",
            "free",
            "of",
            "any",
            "ssl",
            "tls",
            "https",
            "certificate",
            "certificates",
            "cert",
            "warning",
            "warnings",
            "browser",
            "browsers",
            "in",
            "the",
        ],
    );
    Some(bind_unless_claims_more(
        &extra,
        1,
        "a certificate can show",
        vec![AutoBinding::new(
            "no certificate warnings: a valid, trusted certificate for the name",
        )],
    ))
}

fn bind_tls_enabled(lower: &str) -> BindVerdict {
    // "https://status.example.com" names a page, not TLS.
    let lower = &lower
        .split_whitespace()
        .filter(|w| !w.contains("://"))
        .collect::<Vec<_>>()
        .join(" ");
    const ON: &[&str] = &[
        "enabled",
        "configured",
        "in place",
        "set up",
        "turned on",
        "in use",
        "implemented",
        "enable",
        "configure",
        "turn on",
    ];
    const ELSEWHERE: &[&str] = &[
        "mtls",
        "mutual",
        "client",
        "clients",
        "between",
        "internal",
        "database",
        "databases",
        "db",
        "postgres",
        "postgresql",
        "redis",
        "mysql",
        "replication",
        "smtp",
        "email",
        "kafka",
        "ldap",
        "broker",
        "cache",
        // "HTTPS redirect enabled" turns on the redirect, a claim of its own check.
        "redirect",
        "redirects",
        "redirection",
    ];
    if !has_any(lower, &["tls", "ssl", "https"])
        || !has_any(lower, ON)
        || has_any(lower, ELSEWHERE)
        || super::protocol_versions::names_version(lower)
    {
        return BindVerdict::No;
    }
    let candidate = || vec![AutoBinding::new("says TLS is enabled")];
    if let Some(act) = human_act(lower) {
        return BindVerdict::Declined {
            why: format!("\"{act}\" is a person's judgement; a handshake does not prove it"),
            candidates: candidate(),
        };
    }
    let extra = leftover(
        lower,
        &[
            &[
                "tls",
                "ssl",
                "https",
                "encryption",
                "encrypted",
                "on",
                "for",
                "all",
                "the",
                "load",
                "balancer",
                "balancers",
                "ingress",
                "cluster",
                "server",
                "servers",
                "endpoint",
                "endpoints",
                "service",
                "site",
                "website",
                "application",
                "app",
                "api",
                "public",
                "external",
                "production",
                "prod",
                "is",
                "are",
                "be",
                "properly",
            ][..],
            ON,
        ]
        .concat(),
    );
    if let Some(no) = claims_more(&extra, 1, "a handshake can show", candidate) {
        return no;
    }
    BindVerdict::Bind(vec![AutoBinding::new(
        "says TLS is enabled: a handshake with a valid certificate shows it",
    )])
}

#[async_trait::async_trait]
impl Check for CertificateValid {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["certificate"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["cert", "tls", "ssl", "https"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        // An alert on expiry is the alert rules' ("alert when a certificate expires within
        // 14 days"), not the certificate's state now.
        // Where certificates are kept ("SSL certificate directory") is a layout, not the
        // served certificate.
        if has_any(lower, super::CERT_FILE_WORDS)
            || has_any(lower, &["alert", "alerts", "alerting"])
            || has_any(lower, &["directory", "directories", "folder", "folders"])
        {
            return BindVerdict::No;
        }
        if let Some(verdict) = bind_no_warnings(lower) {
            return verdict;
        }
        if !has_any(lower, &["certificate", "certificates", "cert", "certs"]) {
            // "TLS enabled" under a database's heading is the database's TLS.
            if under_datastore(view) {
                return BindVerdict::No;
            }
            return bind_tls_enabled(lower);
        }
        if has_any(
            lower,
            &[
                "mtls",
                "client certificate",
                "client certificates",
                "code signing",
                "signing",
            ],
        ) {
            return BindVerdict::No;
        }
        if !has_any(
            lower,
            &[
                "tls",
                "ssl",
                "https",
                "valid",
                "expiring",
                "expire",
                "expires",
                "expiry",
                "installed",
                "renewed",
                "renewal",
                "auto-renewed",
            ],
        ) {
            return BindVerdict::No;
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement; a certificate does not prove it"),
                candidates: vec![AutoBinding::new("names TLS certificates")],
            };
        }
        let extra = leftover(
            lower,
            &[
                "tls",
                "ssl",
                "https",
                "certificate",
                "certificates",
                "cert",
                "certs",
                "valid",
                "not",
                "expiring",
                "expire",
                "expires",
                "expiry",
                "within",
                "days",
                "day",
                "in",
                "more",
                "than",
                "installed",
                "obtained",
                "trusted",
                "soon",
                // "close to expiry", "invalid or expired certificates": the same validity.
                "close",
                "near",
                "nearing",
                "invalid",
                "expired",
                // A certificate renewed on time is one that is never close to expiry.
                "renewed",
                "renewal",
                "auto-renewed",
                "automatically",
                "automatic",
                "x.509",
                "x509",
            ],
        );
        let extra: Vec<&str> = extra
            .into_iter()
            .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
            .collect();
        if let Some(no) = claims_more(&extra, 1, "a certificate can show", || {
            vec![AutoBinding::new("names TLS certificates")]
        }) {
            return no;
        }
        let mut b = AutoBinding::new("names the TLS certificate");
        if let Some(c) = extract::comparisons(lower)
            .into_iter()
            .find(|c| c.unit == Unit::Days)
        {
            b = b.with("days", c.value as i64);
            b.reason = format!(
                "names the TLS certificate; at least {} days left",
                c.value as i64
            );
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let targets = match tls_targets(&ctx) {
            Ok(t) => t,
            Err(o) => return o,
        };
        let days = params.get("days").and_then(Value::as_i64).unwrap_or(30);
        let min_bits = params
            .get("min_rsa_bits")
            .and_then(Value::as_u64)
            .unwrap_or(2048) as usize;
        let mut outcomes = Vec::new();
        for (host, port) in targets {
            let hs = match handshake(&host, port, ctx.ca_file.as_deref(), None).await {
                Ok(h) => h,
                Err(Failure::Refused(e) | Failure::Broken(e)) => {
                    outcomes.push(Outcome::error(format!(
                        "TLS handshake with {host}:{port} failed: {e}"
                    )));
                    continue;
                }
            };
            let Some(leaf) = hs.chain.first() else {
                outcomes.push(Outcome::fail(format!("{host}:{port} sent no certificate")));
                continue;
            };
            let f = match facts(leaf) {
                Ok(f) => f,
                Err(e) => {
                    outcomes.push(Outcome::error(format!("{host}:{port}: {e}")));
                    continue;
                }
            };
            let left = days_until(f.not_after);
            let mut problems = Vec::new();
            if let Err(e) = &hs.verified {
                problems.push(e.clone());
            }
            if left < days && !problems.iter().any(|p| p.contains("expired")) {
                problems.push(if left < 0 {
                    format!("it expired {} days ago", -left)
                } else {
                    format!("it expires in {left} days, under the {days} required: renew it")
                });
            }
            if let Some(bits) = f.rsa_bits
                && bits < min_bits
            {
                problems.push(format!("the RSA key has {bits} bits, under {min_bits}"));
            }
            if f.weak_signature {
                problems.push(format!(
                    "it is signed with {}, which is no longer safe",
                    f.signature
                ));
            }
            let evidence = vec![
                Evidence::detail(format!("{host}:{port}: {} {}", hs.version, hs.cipher)),
                Evidence::detail(format!(
                    "subject {}; issuer {}; names {}",
                    f.subject,
                    f.issuer,
                    if f.names.is_empty() {
                        "(none)".to_string()
                    } else {
                        f.names.join(", ")
                    }
                )),
                Evidence::detail(format!(
                    "{left} days left; key {}; signature {}; chain of {}",
                    f.key,
                    f.signature,
                    hs.chain.len()
                )),
            ];
            let mut o = if problems.is_empty() {
                Outcome::pass(format!(
                    "{host}:{port} has a trusted certificate for the host, valid {left} more days (≥ {days})"
                ))
            } else {
                Outcome::fail(format!("{host}:{port}: {}", problems.join("; ")))
            };
            o.evidence = evidence;
            o.measures.push(
                Measure::new(format!("days left ({host}:{port})"), left as f64, "days")
                    .limit(Limit::AtLeast(days as f64)),
            );
            outcomes.push(o);
        }
        combine(outcomes)
    }
}
