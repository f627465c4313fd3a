//! The one HTTP client every live check uses: rustls with the `ring` provider, system-independent
//! roots (webpki-roots) plus `--ca-file`, connect/read/total timeouts, no automatic redirects
//! (followed here with a limit and a same-host rule), and caps on the body enforced while
//! streaming. reqwest decompresses gzip transparently, so the cap counts decompressed bytes and
//! a gzip bomb stops at the cap.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gonogo_engine::context::RunContext;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, LOCATION};
use reqwest::{Method, StatusCode, Url};

/// What nginx answers to plain HTTP on its TLS port.
const PLAIN_ON_TLS: &str = "The plain HTTP request was sent to HTTPS port";

/// Limits of one request.
#[derive(Debug, Clone)]
pub struct Limits {
    pub connect: Duration,
    /// Between two reads of the response (a server that trickles bytes trips it).
    pub read: Duration,
    /// The whole exchange, redirects included.
    pub total: Duration,
    /// Bytes of (decompressed) body kept; more is an error.
    pub body_cap: usize,
    pub max_redirects: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connect: Duration::from_secs(5),
            read: Duration::from_secs(10),
            total: Duration::from_secs(20),
            body_cap: 4 * 1024 * 1024,
            max_redirects: 5,
        }
    }
}

/// A shared client; built once per run (per CA file) and reused by every live check.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    pub limits: Limits,
}

/// What came back.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub url: Url,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The redirects followed, as `status → location`.
    pub hops: Vec<String>,
    pub elapsed: Duration,
}

impl Fetched {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }
}

/// A request that did not produce a response, explained for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError(pub String);

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The TLS configuration every live check trusts: webpki roots plus the run's `--ca-file`.
pub fn tls_config(ca_file: Option<&std::path::Path>) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = ca_file {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .map_err(|e| format!("--ca-file {}: {e}", path.display()))?
            .collect::<Result<_, _>>()
            .map_err(|e| format!("--ca-file {}: {e}", path.display()))?;
        if certs.is_empty() {
            return Err(format!(
                "--ca-file {} holds no PEM certificate",
                path.display()
            ));
        }
        for c in certs {
            roots
                .add(c)
                .map_err(|e| format!("--ca-file {}: {e}", path.display()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The addresses of `host` (a name, or an IP literal with or without brackets), looked up within
/// `limit`. `Err` says why not as a person reads it: "could not resolve host …".
pub async fn resolve(host: &str, port: u16, limit: Duration) -> Result<Vec<SocketAddr>, String> {
    let bare = host.trim_matches(['[', ']']);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    match tokio::time::timeout(limit, tokio::net::lookup_host((bare, port))).await {
        Err(_) => Err(format!(
            "could not resolve host {bare}: no DNS answer within {:.1} s",
            limit.as_secs_f64()
        )),
        Ok(Err(e)) => {
            let why = e.to_string();
            let why = why
                .strip_prefix("failed to lookup address information: ")
                .unwrap_or(&why);
            Err(format!("could not resolve host {bare} ({why})"))
        }
        Ok(Ok(addrs)) => {
            let addrs: Vec<SocketAddr> = addrs.collect();
            if addrs.is_empty() {
                Err(format!("could not resolve host {bare} (no address)"))
            } else {
                Ok(addrs)
            }
        }
    }
}

/// reqwest's resolver: [`resolve`] with a time limit of its own, so a slow or missing DNS is
/// named as such instead of surfacing as a connect timeout.
struct Dns {
    limit: Duration,
}

#[derive(Debug)]
struct Unresolved(String);

impl std::fmt::Display for Unresolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unresolved {}

impl reqwest::dns::Resolve for Dns {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let (host, limit) = (name.as_str().to_string(), self.limit);
        Box::pin(async move {
            match resolve(&host, 0, limit).await {
                Ok(addrs) => Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs),
                Err(e) => Err(Box::new(Unresolved(e)) as Box<dyn std::error::Error + Send + Sync>),
            }
        })
    }
}

impl Http {
    pub fn new(ca_file: Option<&std::path::Path>, limits: Limits) -> Result<Http, String> {
        let tls = tls_config(ca_file)?;
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(limits.connect)
            // DNS gets most of the connect limit, so that its own error (not a connect
            // timeout) is what a slow resolver produces.
            .dns_resolver(Arc::new(Dns {
                limit: limits.connect.mul_f64(0.9),
            }))
            .read_timeout(limits.read)
            .timeout(limits.total)
            .no_proxy()
            .user_agent(concat!("gonogo/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {}", chain(&e)))?;
        Ok(Http { client, limits })
    }

    /// The run's shared client (one per run, keyed by the CA file).
    pub fn for_run(ctx: &RunContext) -> Result<Arc<Http>, String> {
        let key = ctx
            .ca_file
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string());
        let made = ctx.cached(&format!("http-client:{key}"), || {
            Http::new(ctx.ca_file.as_deref(), Limits::default()).map(Arc::new)
        });
        (*made).clone()
    }

    /// GET without following redirects.
    pub async fn get_once(&self, url: &Url) -> Result<Fetched, FetchError> {
        self.send(Method::GET, url, &HeaderMap::new()).await
    }

    /// One request, no redirects followed; the body is read up to the cap.
    pub async fn send(
        &self,
        method: Method,
        url: &Url,
        headers: &HeaderMap,
    ) -> Result<Fetched, FetchError> {
        let start = Instant::now();
        let deadline = start + self.limits.total;
        let req = self
            .client
            .request(method, url.clone())
            .headers(headers.clone());
        let mut resp = req.send().await.map_err(|e| explain(url, &e))?;
        let status = resp.status();
        let head = resp.headers().clone();
        if let Some(len) = resp.content_length()
            && len as usize > self.limits.body_cap
            && head.get(reqwest::header::CONTENT_ENCODING).is_none()
        {
            return Err(FetchError(format!(
                "{url}: the body is {len} bytes, over the {} byte cap",
                self.limits.body_cap
            )));
        }
        let mut body = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let chunk = tokio::time::timeout(left, resp.chunk())
                .await
                .map_err(|_| {
                    FetchError(format!(
                        "{url}: the body did not arrive within {} s",
                        self.limits.total.as_secs()
                    ))
                })?
                .map_err(|e| explain(url, &e))?;
            let Some(chunk) = chunk else { break };
            if body.len() + chunk.len() > self.limits.body_cap {
                return Err(FetchError(format!(
                    "{url}: the body (decompressed) is over the {} byte cap",
                    self.limits.body_cap
                )));
            }
            body.extend_from_slice(&chunk);
        }
        // nginx answers plain HTTP on a TLS listener with a 400 of its own: that is the wrong
        // scheme, not the service's answer.
        if status == StatusCode::BAD_REQUEST
            && url.scheme() == "http"
            && body
                .windows(PLAIN_ON_TLS.len())
                .any(|w| w == PLAIN_ON_TLS.as_bytes())
        {
            return Err(FetchError(format!(
                "{url}: the port speaks TLS, not plain HTTP (the server says \"{PLAIN_ON_TLS}\"): use https://"
            )));
        }
        Ok(Fetched {
            url: url.clone(),
            status,
            headers: head,
            body,
            hops: Vec::new(),
            elapsed: start.elapsed(),
        })
    }

    /// GET, following redirects up to the limit and only to the same host (a redirect to
    /// another host is returned as it is, not followed).
    pub async fn get(&self, url: &Url) -> Result<Fetched, FetchError> {
        self.get_with(url, &HeaderMap::new()).await
    }

    pub async fn get_with(&self, url: &Url, headers: &HeaderMap) -> Result<Fetched, FetchError> {
        let start = Instant::now();
        let mut current = url.clone();
        let mut hops = Vec::new();
        loop {
            let mut got = self.send(Method::GET, &current, headers).await?;
            if !got.status.is_redirection() {
                got.hops = hops;
                got.elapsed = start.elapsed();
                return Ok(got);
            }
            let Some(next) = location(&got) else {
                got.hops = hops;
                return Ok(got);
            };
            if next.host_str() != url.host_str() {
                got.hops = hops;
                return Ok(got);
            }
            hops.push(format!("{} → {next}", got.status.as_u16()));
            if hops.len() > self.limits.max_redirects {
                return Err(FetchError(format!(
                    "{url}: more than {} redirects ({})",
                    self.limits.max_redirects,
                    hops.join(", ")
                )));
            }
            current = next;
        }
    }
}

/// Where a redirect points, resolved against the request URL.
pub fn location(got: &Fetched) -> Option<Url> {
    let raw = got.headers.get(LOCATION)?.to_str().ok()?;
    got.url.join(raw).ok()
}

/// A header map from pairs (names are valid ASCII by construction at call sites).
pub fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            h.insert(k, v);
        }
    }
    h
}

/// The whole source chain of an error, joined.
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        cur = s.source();
    }
    parts.join(": ")
}

/// A reqwest error as a person understands it.
pub fn explain(url: &Url, e: &reqwest::Error) -> FetchError {
    let detail = chain(e);
    let low = detail.to_lowercase();
    let why = if e.is_timeout() {
        if e.is_connect() {
            "the connection timed out".to_string()
        } else {
            "no complete answer within the time limit (the server is slow or trickles bytes)"
                .to_string()
        }
    } else if let Some(at) = detail.find("could not resolve host") {
        detail[at..].to_string()
    } else if low.contains("dns error")
        || low.contains("failed to lookup")
        || low.contains("name or service not known")
    {
        format!("could not resolve host {}", url.host_str().unwrap_or("?"))
    } else if low.contains("connection refused") {
        "the connection was refused (nothing listens on that port)".to_string()
    } else if low.contains("invalidcontenttype")
        || low.contains("corrupt message")
        || low.contains("received corrupt")
        || low.contains("invalid message")
    {
        "the TLS handshake failed: the port does not speak TLS (plain HTTP on an https:// URL?)"
            .to_string()
    } else if low.contains("invalid http version")
        || low.contains("invalid http")
        || low.contains("parse error")
    {
        "the answer is not HTTP (a TLS port spoken to in plain HTTP?)".to_string()
    } else if low.contains("certificate") || low.contains("unknownissuer") {
        format!("the TLS certificate is not trusted: {detail}")
    } else if low.contains("connection closed") || low.contains("reset") || low.contains("eof") {
        "the server closed the connection without an answer".to_string()
    } else {
        detail.clone()
    };
    FetchError(format!("{url}: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_ca_file_is_reported() {
        let e = tls_config(Some(std::path::Path::new("/nonexistent/ca.pem")))
            .err()
            .unwrap();
        assert!(e.contains("--ca-file /nonexistent/ca.pem"), "{e}");
    }

    #[test]
    fn the_client_builds_with_ring() {
        assert!(Http::new(None, Limits::default()).is_ok());
    }
}
