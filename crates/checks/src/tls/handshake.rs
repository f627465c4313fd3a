//! TLS handshakes with the target: with rustls for TLS 1.2 and 1.3 (the chain is captured and
//! verified, but a bad certificate does not abort the handshake, so the version answer stays
//! separate from the certificate answer), and with a ClientHello of our own for TLS 1.0 and
//! 1.1, which rustls cannot speak.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(8);

/// What a completed handshake showed.
#[derive(Debug, Clone)]
pub struct Handshake {
    pub version: String,
    pub cipher: String,
    /// The server's chain, leaf first.
    pub chain: Vec<CertificateDer<'static>>,
    /// The verdict of webpki on the chain (roots, hostname, dates): `Err` explains.
    pub verified: Result<(), String>,
}

/// The chain the server sent and webpki's verdict on it.
type Seen = (Vec<CertificateDer<'static>>, Result<(), String>);

#[derive(Debug)]
struct Capture {
    inner: Arc<WebPkiServerVerifier>,
    seen: Mutex<Option<Seen>>,
}

impl ServerCertVerifier for Capture {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
            .map(|_| ())
            .map_err(|e| explain_cert_error(&e));
        let mut chain = vec![end_entity.clone().into_owned()];
        chain.extend(intermediates.iter().map(|c| c.clone().into_owned()));
        *self.seen.lock().expect("capture lock") = Some((chain, verdict));
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// A certificate error as a person reads it.
fn explain_cert_error(e: &rustls::Error) -> String {
    let d = format!("{e:?}");
    if d.contains("NotValidForName") {
        "the certificate is not valid for this host name".into()
    } else if d.contains("Expired") {
        "the certificate has expired".into()
    } else if d.contains("NotValidYet") {
        "the certificate is not valid yet".into()
    } else if d.contains("UnknownIssuer") {
        "the chain does not lead to a trusted root (self-signed or missing intermediate; pass --ca-file for a private CA)".into()
    } else if d.contains("Revoked") {
        "the certificate is revoked".into()
    } else if d.contains("BadSignature") {
        "a signature in the chain is invalid".into()
    } else {
        format!("the certificate is rejected: {e}")
    }
}

fn roots(ca_file: Option<&std::path::Path>) -> Result<rustls::RootCertStore, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = ca_file {
        use rustls::pki_types::pem::PemObject;
        for c in CertificateDer::pem_file_iter(path)
            .map_err(|e| format!("--ca-file {}: {e}", path.display()))?
        {
            let c = c.map_err(|e| format!("--ca-file {}: {e}", path.display()))?;
            roots
                .add(c)
                .map_err(|e| format!("--ca-file {}: {e}", path.display()))?;
        }
    }
    Ok(roots)
}

pub fn server_name(host: &str) -> Result<ServerName<'static>, String> {
    ServerName::try_from(host.trim_matches(['[', ']']).to_string())
        .map_err(|_| format!("{host} is not a valid TLS server name"))
}

async fn connect(host: &str, port: u16) -> Result<TcpStream, String> {
    let start = std::time::Instant::now();
    let addrs = crate::http::client::resolve(host, port, CONNECT_TIMEOUT.mul_f64(0.9)).await?;
    let left = CONNECT_TIMEOUT.saturating_sub(start.elapsed());
    match tokio::time::timeout(left, TcpStream::connect(&addrs[..])).await {
        Err(_) => Err(format!("{host}:{port}: the connection timed out")),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => Err(format!(
            "{host}:{port}: the connection was refused (nothing listens on that port)"
        )),
        Ok(Err(e)) => Err(format!("{host}:{port}: {e}")),
        Ok(Ok(s)) => Ok(s),
    }
}

/// Why a handshake failed: the server refused (the version, usually) or something else broke.
#[derive(Debug, Clone)]
pub enum Failure {
    /// The server answered with an alert or closed: it does not accept what we offered.
    Refused(String),
    /// We could not ask (no connection, timeout, not TLS…).
    Broken(String),
}

/// A rustls handshake offering only `version` (or both 1.2 and 1.3 when `None`).
pub async fn handshake(
    host: &str,
    port: u16,
    ca_file: Option<&std::path::Path>,
    version: Option<&'static rustls::SupportedProtocolVersion>,
) -> Result<Handshake, Failure> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let inner = WebPkiServerVerifier::builder_with_provider(
        Arc::new(roots(ca_file).map_err(Failure::Broken)?),
        provider.clone(),
    )
    .build()
    .map_err(|e| Failure::Broken(e.to_string()))?;
    let capture = Arc::new(Capture {
        inner,
        seen: Mutex::new(None),
    });
    let versions: Vec<&'static rustls::SupportedProtocolVersion> = match version {
        Some(v) => vec![v],
        None => vec![&rustls::version::TLS13, &rustls::version::TLS12],
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&versions)
        .map_err(|e| Failure::Broken(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(capture.clone())
        .with_no_client_auth();
    let name = server_name(host).map_err(Failure::Broken)?;
    let tcp = connect(host, port).await.map_err(Failure::Broken)?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, connector.connect(name, tcp)).await {
        Err(_) => {
            return Err(Failure::Broken(format!(
                "{host}:{port}: no TLS handshake within {} s",
                HANDSHAKE_TIMEOUT.as_secs()
            )));
        }
        Ok(Err(e)) => {
            let d = e.to_string();
            let low = d.to_lowercase();
            return Err(
                if low.contains("alert")
                    || low.contains("protocolversion")
                    || low.contains("handshakefailure")
                    || low.contains("eof")
                    || low.contains("reset")
                {
                    Failure::Refused(d)
                } else if low.contains("invalidcontenttype")
                    || low.contains("corrupt")
                    || low.contains("invalid message")
                {
                    Failure::Broken(format!(
                        "{host}:{port}: the port does not speak TLS (plain HTTP?)"
                    ))
                } else {
                    Failure::Broken(format!("{host}:{port}: {d}"))
                },
            );
        }
        Ok(Ok(s)) => s,
    };
    let (_, conn) = tls.get_ref();
    let version = match conn.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLS 1.3".to_string(),
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLS 1.2".to_string(),
        Some(v) => format!("{v:?}"),
        None => "?".to_string(),
    };
    let cipher = conn
        .negotiated_cipher_suite()
        .map_or_else(|| "?".to_string(), |c| format!("{:?}", c.suite()));
    let (chain, verified) = capture
        .seen
        .lock()
        .expect("capture lock")
        .take()
        .unwrap_or_else(|| (Vec::new(), Err("the server sent no certificate".into())));
    Ok(Handshake {
        version,
        cipher,
        chain,
        verified,
    })
}

/// Whether the server accepts a legacy protocol (0x0301 = TLS 1.0, 0x0302 = TLS 1.1), asked
/// with a ClientHello we write ourselves.
pub async fn legacy_accepted(host: &str, port: u16, version: u16) -> Result<bool, Failure> {
    let mut tcp = connect(host, port).await.map_err(Failure::Broken)?;
    let sni = server_name(host)
        .ok()
        .filter(|n| matches!(n, ServerName::DnsName(_)))
        .map(|_| host.to_string());
    let hello = client_hello(version, sni.as_deref());
    let io = async {
        tcp.write_all(&hello).await?;
        let mut head = [0u8; 5];
        tcp.read_exact(&mut head).await?;
        let len = u16::from_be_bytes([head[3], head[4]]) as usize;
        let mut body = vec![0u8; len.min(16 * 1024)];
        tcp.read_exact(&mut body).await?;
        Ok::<_, std::io::Error>((head, body))
    };
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, io).await {
        Err(_) => Err(Failure::Broken(format!(
            "{host}:{port}: no answer to a ClientHello within {} s",
            HANDSHAKE_TIMEOUT.as_secs()
        ))),
        // Closed without a word: refused.
        Ok(Err(_)) => Ok(false),
        Ok(Ok((head, body))) => match head[0] {
            0x15 => Ok(false),
            0x16 if body.first() == Some(&2) && body.len() >= 6 => {
                Ok(u16::from_be_bytes([body[4], body[5]]) == version)
            }
            0x16 => Ok(false),
            b'H' => Err(Failure::Broken(format!(
                "{host}:{port}: the port answers plain HTTP, not TLS"
            ))),
            other => Err(Failure::Broken(format!(
                "{host}:{port}: an answer that is not TLS (first byte 0x{other:02x})"
            ))),
        },
    }
}

/// A TLS 1.0/1.1 ClientHello record offering the suites such servers commonly accept.
pub fn client_hello(version: u16, sni: Option<&str>) -> Vec<u8> {
    let suites: [u16; 10] = [
        0xc014, 0xc013, 0xc00a, 0xc009, 0x0039, 0x0033, 0x0035, 0x002f, 0x000a, 0x00ff,
    ];
    let mut ext = Vec::new();
    if let Some(name) = sni {
        let n = name.as_bytes();
        let mut list = vec![0u8];
        list.extend((n.len() as u16).to_be_bytes());
        list.extend(n);
        ext.extend(0x0000u16.to_be_bytes());
        ext.extend(((list.len() + 2) as u16).to_be_bytes());
        ext.extend((list.len() as u16).to_be_bytes());
        ext.extend(list);
    }
    // supported_groups: secp256r1, secp384r1, x25519.
    ext.extend([
        0x00, 0x0a, 0x00, 0x08, 0x00, 0x06, 0x00, 0x17, 0x00, 0x18, 0x00, 0x1d,
    ]);
    // ec_point_formats: uncompressed.
    ext.extend([0x00, 0x0b, 0x00, 0x02, 0x01, 0x00]);
    let mut body = Vec::new();
    body.extend(version.to_be_bytes());
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    for i in 0..32u32 {
        body.push(
            (seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(i as u128 * 1442695040888963407)
                >> 56) as u8
                ^ i as u8,
        );
    }
    body.push(0); // session id
    body.extend(((suites.len() * 2) as u16).to_be_bytes());
    for s in suites {
        body.extend(s.to_be_bytes());
    }
    body.extend([1, 0]); // compression: null
    body.extend((ext.len() as u16).to_be_bytes());
    body.extend(ext);
    let mut hs = vec![1u8];
    hs.extend(&(body.len() as u32).to_be_bytes()[1..]);
    hs.extend(body);
    let mut rec = vec![0x16, 0x03, 0x01];
    rec.extend((hs.len() as u16).to_be_bytes());
    rec.extend(hs);
    rec
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_hello_is_well_formed() {
        let h = client_hello(0x0302, Some("example.com"));
        assert_eq!(&h[..3], &[0x16, 0x03, 0x01]);
        assert_eq!(u16::from_be_bytes([h[3], h[4]]) as usize, h.len() - 5);
        assert_eq!(h[5], 1, "ClientHello");
        let hs_len = u32::from_be_bytes([0, h[6], h[7], h[8]]) as usize;
        assert_eq!(hs_len, h.len() - 9);
        assert_eq!(&h[9..11], &[0x03, 0x02]);
        assert!(h.windows(11).any(|w| w == b"example.com"));
    }
}
