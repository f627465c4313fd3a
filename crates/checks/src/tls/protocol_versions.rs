//! `tls.protocol-versions` — TLS 1.0 and 1.1 refused, 1.2 accepted, 1.3 when the item asks.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::handshake::{Failure, handshake, legacy_accepted};
use super::tls_targets;
use crate::http::combine;
use crate::wording::{claims_more, has_any, human_act, leftover};

pub struct ProtocolVersions;

static META: CheckMeta = CheckMeta {
    id: "tls.protocol-versions",
    title: "Only current TLS versions are accepted",
    target: TargetKind::Http,
    params: &[
        ParamSpec {
            name: "min_version",
            kind: ParamKind::Text,
            default: Some("1.2"),
            required: false,
            doc: "versions below it must be refused (1.2: TLS 1.0 and 1.1 refused; 1.3: TLS 1.2 \
                  refused too)",
        },
        ParamSpec {
            name: "require_tls13",
            kind: ParamKind::Bool,
            default: Some("false"),
            required: false,
            doc: "whether TLS 1.3 must be accepted",
        },
    ],
    docs: CheckDocs {
        what: "Asks each https:// --target for each TLS version on its own: TLS 1.2 and 1.3 \
               with rustls, TLS 1.0 and 1.1 with a ClientHello gonogo writes itself (rustls \
               cannot speak them), and requires the old ones refused, 1.2 accepted (unless the \
               minimum is 1.3) and 1.3 accepted when the item asks for it.",
        why: "TLS 1.0 and 1.1 are deprecated (RFC 8996) and fail PCI DSS; accepting them \
              invites downgrade attacks, while a server without TLS 1.3 pays an extra round \
              trip on every new connection.",
        fix: "Allow only modern versions, e.g. nginx `ssl_protocols TLSv1.2 TLSv1.3;`, or a \
              load balancer policy such as ELBSecurityPolicy-TLS13-1-2-2021-06.",
        example: "TLS 1.0 refused, TLS 1.1 refused, TLS 1.2 accepted, TLS 1.3 accepted",
        binds: &[
            "TLS 1.3 enabled",
            "TLS 1.2+ only",
            "Old TLS versions (1.0, 1.1) disabled",
            "Only TLS 1.3 allowed",
        ],
        not_binds: &[
            "TLS certificates valid and not expiring within 30 days",
            "mTLS enabled between services",
            "TLS settings reviewed",
            "TLS_ENABLED=true in the environment file",
        ],
    },
};

/// Whether the wording names TLS protocol versions ("TLS 1.2+", "older TLS versions"): this
/// check's subject, and one `tls.certificate-valid` leaves to it.
pub(super) fn names_version(lower: &str) -> bool {
    has_any(
        lower,
        &[
            "tls 1.0",
            "tls 1.1",
            "tls 1.2",
            "tls 1.3",
            "tlsv1.2",
            "tlsv1.3",
            "tls1.2",
            "tls1.3",
            "tls versions",
            "tls version",
            "ssl protocols",
            "sslv3",
        ],
    ) || (has_any(lower, &["tls", "ssl"])
        && has_any(lower, &["1.0", "1.1", "1.2", "1.3", "1.2+", "1.3+"]))
}

#[async_trait::async_trait]
impl Check for ProtocolVersions {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["tls-versions"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["tls", "ssl"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let names_version = names_version(lower);
        if !names_version || has_any(lower, &["mtls", "certificate", "certificates"]) {
            return BindVerdict::No;
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement; a handshake does not prove it"),
                candidates: vec![AutoBinding::new("names TLS versions")],
            };
        }
        let extra = leftover(
            lower,
            &[
                // Turning the older ones off on the server is what the handshake shows.
                "disable",
                "disabled",
                "other",
                "older",
                "legacy",
                "schemes",
                "protocols",
                "server",
                "config",
                "modify",
                "https",
                "tls",
                "ssl",
                "1.0",
                "1.1",
                "1.2",
                "1.3",
                "enabled",
                "enforced",
                "only",
                "allowed",
                "disabled",
                "old",
                "versions",
                "version",
                "minimum",
                "min",
                "supported",
                "tlsv1.2",
                "tlsv1.3",
                "protocols",
                "refused",
                "rejected",
                "deprecated",
                "legacy",
                "or",
                "newer",
                "higher",
                "above",
                "sslv3",
                "no",
                // "Only the latest recommended versions, such as TLS 1.2 and 1.3": the versions
                // in use are what it asks; a handshake offering the newest shows it preferred.
                "latest",
                "recommended",
                "modern",
                "current",
                "preferred",
                "option",
            ],
        );
        if let Some(no) = claims_more(&extra, 1, "a handshake can show", || {
            vec![AutoBinding::new("names TLS versions")]
        }) {
            return no;
        }
        let mut b = AutoBinding::new("names TLS protocol versions");
        let only13 = has_any(
            lower,
            &[
                "only tls 1.3",
                "tls 1.3 only",
                "tls 1.3+",
                "tls 1.3 minimum",
                "minimum tls 1.3",
            ],
        );
        if has_any(lower, &["tls 1.3", "tlsv1.3", "tls1.3", "1.3"]) {
            b = b.with("require_tls13", true);
        }
        if only13 {
            b = b.with("min_version", "1.3");
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let targets = match tls_targets(&ctx) {
            Ok(t) => t,
            Err(o) => return o,
        };
        let min = params
            .get("min_version")
            .and_then(Value::as_str)
            .unwrap_or("1.2");
        let min_rank = match min {
            "1.0" => 0,
            "1.1" => 1,
            "1.2" => 2,
            "1.3" => 3,
            other => {
                return Outcome::error(format!("min_version {other} is not 1.0, 1.1, 1.2 or 1.3"));
            }
        };
        let want13 = params
            .get("require_tls13")
            .and_then(Value::as_bool)
            .unwrap_or(false)
            || min_rank == 3;
        let mut outcomes = Vec::new();
        'targets: for (host, port) in targets {
            // Accepted or not, per version, asked concurrently.
            let (v10, v11, v12, v13) = tokio::join!(
                legacy_accepted(&host, port, 0x0301),
                legacy_accepted(&host, port, 0x0302),
                handshake(
                    &host,
                    port,
                    ctx.ca_file.as_deref(),
                    Some(&rustls::version::TLS12)
                ),
                handshake(
                    &host,
                    port,
                    ctx.ca_file.as_deref(),
                    Some(&rustls::version::TLS13)
                ),
            );
            let mut accepted = [false; 4];
            for (i, r) in [v10, v11].into_iter().enumerate() {
                match r {
                    Ok(a) => accepted[i] = a,
                    Err(Failure::Refused(_)) => {}
                    Err(Failure::Broken(e)) => {
                        outcomes.push(Outcome::error(format!(
                            "TLS 1.{i} probe of {host}:{port}: {e}"
                        )));
                        continue 'targets;
                    }
                }
            }
            for (i, r) in [(2, v12), (3, v13)] {
                match r {
                    Ok(_) => accepted[i] = true,
                    Err(Failure::Refused(_)) => {}
                    Err(Failure::Broken(e)) => {
                        outcomes.push(Outcome::error(format!(
                            "TLS 1.{i} handshake with {host}:{port}: {e}"
                        )));
                        continue 'targets;
                    }
                }
            }
            let shown: Vec<String> = accepted
                .iter()
                .enumerate()
                .map(|(i, a)| format!("TLS 1.{i} {}", if *a { "accepted" } else { "refused" }))
                .collect();
            let mut problems = Vec::new();
            for (i, a) in accepted.iter().enumerate() {
                if *a && i < min_rank {
                    problems.push(format!("TLS 1.{i} is accepted"));
                }
            }
            if min_rank <= 2 && !accepted[2] && !want13 {
                problems.push("TLS 1.2 is refused".to_string());
            }
            if want13 && !accepted[3] {
                problems.push("TLS 1.3 is refused".to_string());
            }
            if !accepted[2] && !accepted[3] {
                problems.push("neither TLS 1.2 nor 1.3 is accepted".to_string());
            }
            let too_old = accepted.iter().take(min_rank).any(|a| *a);
            let hint = match (too_old, want13 && !accepted[3]) {
                (true, true) => format!(
                    "allow only TLS {min}{} and enable TLS 1.3 (nginx: ssl_protocols)",
                    if min_rank < 3 { " and newer" } else { "" }
                ),
                (true, false) => format!(
                    "allow only TLS {min}{} (nginx: ssl_protocols)",
                    if min_rank < 3 { " and newer" } else { "" }
                ),
                (false, true) => {
                    "enable TLS 1.3 (nginx: ssl_protocols TLSv1.2 TLSv1.3)".to_string()
                }
                (false, false) => {
                    "enable TLS 1.2 (nginx: ssl_protocols TLSv1.2 TLSv1.3)".to_string()
                }
            };
            let mut o = if problems.is_empty() {
                Outcome::pass(format!("{host}:{port}: {}", shown.join(", ")))
            } else {
                Outcome::fail(format!("{host}:{port}: {}: {hint}", problems.join("; ")))
            };
            o.evidence.push(Evidence::detail(shown.join(", ")));
            outcomes.push(o);
        }
        combine(outcomes)
    }
}
