//! A TLS server on 127.0.0.1:0 with certificates generated at test time (rcgen): a test CA,
//! a leaf that is good, expired, expiring soon, for another host, or self-signed; chosen
//! protocol versions; optionally a fake that accepts TLS 1.0/1.1 ClientHellos.

#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, SanType};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct TlsServer {
    pub addr: SocketAddr,
    /// The test CA, to pass as --ca-file.
    pub ca_file: PathBuf,
    _dir: tempfile::TempDir,
    task: tokio::task::JoinHandle<()>,
}

impl TlsServer {
    pub fn url(&self) -> String {
        format!("https://{}/", self.addr)
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A test CA and a leaf it signed (or a self-signed leaf), as DER and PEM.
pub struct Certs {
    pub ca_der: Vec<u8>,
    pub ca_pem: String,
    /// The leaf alone.
    pub leaf_der: Vec<u8>,
    /// The leaf followed by the CA, as a server sends its chain.
    pub chain_pem: String,
    /// The leaf's private key (PKCS#8).
    pub key_der: Vec<u8>,
    pub key_pem: String,
}

/// `cert`: good, expired, expiring-10-days, wrong-host, untrusted (self-signed). The leaf is
/// for the IP address 127.0.0.1 (wrong-host: for other.example).
pub fn certs(cert: &str) -> Certs {
    let now = time::OffsetDateTime::now_utc();
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "gonogo test CA");
    ca_params.not_before = now - time::Duration::days(30);
    ca_params.not_after = now + time::Duration::days(3650);
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);

    let leaf_key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name
        .push(DnType::CommonName, "gonogo test server");
    p.subject_alt_names = if cert == "wrong-host" {
        vec![SanType::DnsName("other.example".try_into().unwrap())]
    } else {
        vec![SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST))]
    };
    p.not_before = now - time::Duration::days(10);
    p.not_after = match cert {
        "expired" => now - time::Duration::days(2) + time::Duration::hours(1),
        "expiring-10-days" => now + time::Duration::days(10) + time::Duration::hours(1),
        _ => now + time::Duration::days(90) + time::Duration::hours(1),
    };
    let leaf = if cert == "untrusted" {
        p.self_signed(&leaf_key).unwrap()
    } else {
        p.signed_by(&leaf_key, &issuer).unwrap()
    };
    Certs {
        ca_der: ca_cert.der().to_vec(),
        ca_pem: ca_cert.pem(),
        leaf_der: leaf.der().to_vec(),
        chain_pem: format!("{}{}", leaf.pem(), ca_cert.pem()),
        key_der: leaf_key.serialize_der(),
        key_pem: leaf_key.serialize_pem(),
    }
}

/// `cert`: as for [`certs`]. `versions`: "1.2", "1.3".
pub async fn start(cert: &str, versions: &[String], legacy: bool) -> TlsServer {
    let made = certs(cert);
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &made.ca_pem).unwrap();

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let vs: Vec<&'static rustls::SupportedProtocolVersion> = versions
        .iter()
        .map(|v| match v.as_str() {
            "1.2" => &rustls::version::TLS12,
            _ => &rustls::version::TLS13,
        })
        .collect();
    let chain = vec![
        CertificateDer::from(made.leaf_der),
        CertificateDer::from(made.ca_der),
    ];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.key_der));
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&vs)
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if legacy {
                    let mut head = [0u8; 11];
                    let mut n = 0;
                    while n < 11 {
                        match sock.peek(&mut head).await {
                            Ok(k) if k > n => n = k,
                            Ok(_) => tokio::time::sleep(std::time::Duration::from_millis(5)).await,
                            Err(_) => return,
                        }
                    }
                    let v = u16::from_be_bytes([head[9], head[10]]);
                    if head[0] == 0x16 && (v == 0x0301 || v == 0x0302) {
                        let mut hello = vec![0x16, 0x03, 0x01, 0x00, 0x2a, 0x02, 0x00, 0x00, 0x26];
                        hello.extend(v.to_be_bytes());
                        hello.extend([7u8; 32]);
                        hello.extend([0x00, 0xc0, 0x13, 0x00]);
                        let _ = sock.write_all(&hello).await;
                        return;
                    }
                }
                let Ok(mut tls) = acceptor.accept(sock).await else {
                    return;
                };
                let mut buf = [0u8; 1024];
                let _ = tls.read(&mut buf).await;
                let _ = tls
                    .write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
                    )
                    .await;
                let _ = tls.shutdown().await;
            });
        }
    });
    TlsServer {
        addr,
        ca_file,
        _dir: dir,
        task,
    }
}
