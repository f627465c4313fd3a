//! TLS of the running target (`--target https://…`): protocol versions, certificate chain,
//! host name, expiry, key and signature. `handshake.rs` talks to the server; `cert.rs` reads
//! certificates with x509-parser.

pub mod cert;
mod certificate_files;
mod certificate_valid;
pub mod handshake;
mod protocol_versions;

use std::sync::Arc;

use gonogo_engine::catalogue::{Check, Outcome};
use gonogo_engine::context::RunContext;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![
        Arc::new(certificate_files::CertificateFiles),
        Arc::new(certificate_valid::CertificateValid),
        Arc::new(protocol_versions::ProtocolVersions),
    ]
}

/// The https targets as (host, port), or the outcome saying why there is none.
pub(crate) fn tls_targets(ctx: &RunContext) -> Result<Vec<(String, u16)>, Outcome> {
    let urls = crate::http::targets(ctx)?;
    let https: Vec<(String, u16)> = urls
        .iter()
        .filter(|u| u.scheme() == "https")
        .filter_map(|u| Some((u.host_str()?.to_string(), u.port_or_known_default()?)))
        .collect();
    if https.is_empty() {
        return Err(Outcome::skipped(
            "the target is plain http://: give an https:// target to check TLS",
        ));
    }
    Ok(https)
}

/// Words that put certificates in the repository rather than on a live endpoint: such items
/// are `tls.certificate-files`', and `tls.certificate-valid` stands aside.
pub(crate) const CERT_FILE_WORDS: &[&str] = &[
    "file",
    "files",
    "pem",
    "repo",
    "repository",
    "bundle",
    "bundles",
    "committed",
    "checked in",
    "checked-in",
    "in git",
];
