//! `tls.certificate-files` — certificates kept as PEM files in the repository are not expired
//! or expiring within the item's days, and use strong keys and signatures.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::extract::{self, Unit};
use serde_json::Value;

use super::cert::{days_until, facts};
use crate::wording::{has_any, human_act};

pub struct CertificateFiles;

static META: CheckMeta = CheckMeta {
    id: "tls.certificate-files",
    title: "Certificate files in the repository are not expiring",
    target: TargetKind::Repository,
    params: &[
        ParamSpec {
            name: "days",
            kind: ParamKind::Integer,
            default: Some("30"),
            required: false,
            doc: "the least number of days each certificate must still be valid",
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
        what: "Reads every certificate in PEM files of the repository (.pem, .crt, .cer, \
               .cert; test fixtures under test/ and tests/ are passed over) and judges the \
               days left, the RSA key size and the signature algorithm of each.",
        why: "Certificates committed next to the code (CA bundles, client certificates, pinned \
              certificates) expire silently; the first sign is an outage of whatever trusts \
              them.",
        fix: "Renew the certificate and commit the new PEM, or better, load it at deploy time \
              from a secret store that rotates it.",
        example: "certs/ca.pem: CN=Internal CA, 412 days left, RSA 4096, sha256WithRSA",
        binds: &[
            "Certificate files not expiring within 30 days",
            "PEM certificates in the repo valid",
            "Certificates checked in to git do not expire within 21 days",
        ],
        not_binds: &[
            "TLS certificates valid and not expiring within 30 days",
            "Certificate files reviewed by security",
            "mTLS enabled between services",
        ],
    },
};

fn is_cert_file(rel: &str) -> bool {
    let low = rel.to_ascii_lowercase();
    let fixture = low.split('/').any(|d| {
        matches!(
            d,
            "test" | "tests" | "testdata" | "fixtures" | "testing" | "spec" | "examples"
        )
    });
    !fixture
        && [".pem", ".crt", ".cer", ".cert"]
            .iter()
            .any(|e| low.ends_with(e))
}

#[async_trait::async_trait]
impl Check for CertificateFiles {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["cert"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(lower, &["certificate", "certificates", "cert", "certs"])
            || !has_any(lower, super::CERT_FILE_WORDS)
        {
            return BindVerdict::No;
        }
        if has_any(lower, &["mtls", "signing"]) {
            return BindVerdict::No;
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement; a certificate does not prove it"),
                candidates: vec![AutoBinding::new("names certificate files")],
            };
        }
        let mut b = AutoBinding::new("names certificate files");
        if let Some(c) = extract::comparisons(lower)
            .into_iter()
            .find(|c| c.unit == Unit::Days)
        {
            b = b.with("days", c.value as i64);
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let days = params.get("days").and_then(Value::as_i64).unwrap_or(30);
        let min_bits = params
            .get("min_rsa_bits")
            .and_then(Value::as_u64)
            .unwrap_or(2048) as usize;
        let files: Vec<String> = ctx
            .repo_index()
            .files
            .iter()
            .filter(|f| is_cert_file(&f.rel) && f.size < 1024 * 1024)
            .map(|f| f.rel.clone())
            .collect();
        let mut evidence = Vec::new();
        let mut problems = Vec::new();
        let mut seen = 0;
        for rel in &files {
            let text = ctx.text(rel);
            let Ok(file) = text.as_ref() else { continue };
            use rustls::pki_types::CertificateDer;
            use rustls::pki_types::pem::PemObject;
            for (i, der) in CertificateDer::pem_slice_iter(file.text.as_bytes()).enumerate() {
                let Ok(der) = der else {
                    problems.push(format!("{rel}: certificate {} is not valid PEM", i + 1));
                    continue;
                };
                seen += 1;
                let line = file
                    .text
                    .match_indices("-----BEGIN CERTIFICATE-----")
                    .nth(i)
                    .map(|(off, _)| file.text[..off].matches('\n').count() + 1);
                match facts(&der) {
                    Err(e) => problems.push(format!("{rel}: {e}")),
                    Ok(f) => {
                        let left = days_until(f.not_after);
                        let mut bad = Vec::new();
                        if left < 0 {
                            bad.push(format!("expired {} days ago", -left));
                        } else if left < days {
                            bad.push(format!("expires in {left} days (under {days})"));
                        }
                        if let Some(bits) = f.rsa_bits
                            && bits < min_bits
                        {
                            bad.push(format!("RSA {bits} bits (under {min_bits})"));
                        }
                        if f.weak_signature {
                            bad.push(format!("signed with {}", f.signature));
                        }
                        evidence.push(Evidence::at(
                            rel.clone(),
                            line,
                            format!(
                                "{}: {left} days left, {}, {}",
                                f.subject, f.key, f.signature
                            ),
                        ));
                        if !bad.is_empty() {
                            problems.push(format!("{rel} ({}): {}", f.subject, bad.join(", ")));
                        }
                    }
                }
            }
        }
        if seen == 0 && problems.is_empty() {
            return Outcome::skipped("no PEM certificate in the repository");
        }
        let mut o = if problems.is_empty() {
            Outcome::pass(format!(
                "{seen} certificate{} in PEM files valid for at least {days} more days",
                if seen == 1 { "" } else { "s" }
            ))
        } else {
            Outcome::fail(format!(
                "{}: renew and commit the new PEM",
                problems.join("; ")
            ))
        };
        o.evidence = evidence;
        o
    }
}
