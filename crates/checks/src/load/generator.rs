//! A bounded load generator: `concurrency` workers send GETs over kept-alive connections until
//! the request budget or the duration is spent; each worker records latencies (µs) in its own
//! HDR histogram, merged at the end. Plain HTTP goes through hyper's connection API directly,
//! one connection per worker (the cheapest client); HTTPS through the shared reqwest client.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use reqwest::Url;

use crate::http::client::Http;

/// What the load is.
#[derive(Debug, Clone)]
pub struct Load {
    pub url: Url,
    pub concurrency: usize,
    pub duration: Duration,
    pub max_requests: u64,
    /// One request slower than this counts as a timeout error.
    pub request_timeout: Duration,
}

/// What the load showed.
#[derive(Debug, Clone)]
pub struct Report {
    pub histogram: Histogram<u64>,
    pub requests: u64,
    pub errors: u64,
    /// Error kinds (`503`, `timeout`, `connection refused`…) and their counts.
    pub breakdown: BTreeMap<String, u64>,
    pub elapsed: Duration,
}

impl Report {
    pub fn percentile_ms(&self, p: f64) -> f64 {
        self.histogram.value_at_quantile(p / 100.0) as f64 / 1000.0
    }

    pub fn error_rate(&self) -> f64 {
        if self.requests == 0 {
            0.0
        } else {
            self.errors as f64 * 100.0 / self.requests as f64
        }
    }

    pub fn throughput(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// p50/p90/p95/p99/max, throughput and errors in one line.
    pub fn summary(&self) -> String {
        format!(
            "{} requests in {:.1}s ({:.0} req/s); p50 {:.1}ms, p90 {:.1}ms, p95 {:.1}ms, p99 {:.1}ms, max {:.1}ms; errors {} ({:.2}%)",
            self.requests,
            self.elapsed.as_secs_f64(),
            self.throughput(),
            self.percentile_ms(50.0),
            self.percentile_ms(90.0),
            self.percentile_ms(95.0),
            self.percentile_ms(99.0),
            self.histogram.max() as f64 / 1000.0,
            self.errors,
            self.error_rate()
        )
    }
}

fn new_histogram() -> Histogram<u64> {
    // 1 µs to 10 min, 3 significant digits.
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("histogram bounds")
}

/// One worker's way of sending: its own HTTP/1.1 connection (no pool to check out from, so
/// no lock per request), re-opened after an error; or the shared reqwest client for HTTPS.
enum Sender {
    Plain {
        addr: String,
        conn: Option<hyper::client::conn::http1::SendRequest<Empty<Bytes>>>,
    },
    Tls(Arc<Http>),
}

impl Sender {
    /// One GET: the status, or the kind of failure.
    async fn get(&mut self, url: &Url, uri: &hyper::Uri, host: &str) -> Result<u16, String> {
        match self {
            Sender::Plain { addr, conn } => {
                if conn.as_ref().is_none_or(|c| c.is_closed()) {
                    let tcp = tokio::time::timeout(
                        Duration::from_secs(5),
                        tokio::net::TcpStream::connect(addr.as_str()),
                    )
                    .await
                    .map_err(|_| "connect timeout".to_string())?
                    .map_err(|e| {
                        if e.kind() == std::io::ErrorKind::ConnectionRefused {
                            "connection refused".to_string()
                        } else {
                            "connection error".to_string()
                        }
                    })?;
                    let _ = tcp.set_nodelay(true);
                    let (send, driver) = hyper::client::conn::http1::handshake(TokioIo::new(tcp))
                        .await
                        .map_err(|_| "connection error".to_string())?;
                    tokio::spawn(driver);
                    *conn = Some(send);
                }
                let c = conn.as_mut().expect("connected");
                let req = hyper::Request::get(uri.clone())
                    .header(hyper::header::HOST, host)
                    .header(
                        hyper::header::USER_AGENT,
                        concat!("gonogo/", env!("CARGO_PKG_VERSION")),
                    )
                    .body(Empty::<Bytes>::new())
                    .map_err(|_| "bad request".to_string())?;
                let resp = match c.send_request(req).await {
                    Ok(r) => r,
                    Err(e) => {
                        *conn = None;
                        return Err(if e.is_closed() || e.is_incomplete_message() {
                            "connection closed".to_string()
                        } else {
                            "connection error".to_string()
                        });
                    }
                };
                let status = resp.status().as_u16();
                // Read the body so the connection can carry the next request.
                if resp.into_body().collect().await.is_err() {
                    *conn = None;
                    return Err("body cut off".to_string());
                }
                Ok(status)
            }
            Sender::Tls(h) => h
                .get_once(url)
                .await
                .map(|g| g.status.as_u16())
                .map_err(|e| e.0),
        }
    }
}

/// Run the load. Bounded in requests and in time, whatever the server does.
pub async fn run(load: &Load, http: Arc<Http>) -> Report {
    let plain = load.url.scheme() == "http";
    let host = match load.url.port() {
        Some(p) => format!("{}:{p}", load.url.host_str().unwrap_or("")),
        None => load.url.host_str().unwrap_or("").to_string(),
    };
    let addr = format!(
        "{}:{}",
        load.url.host_str().unwrap_or("").trim_matches(['[', ']']),
        load.url.port_or_known_default().unwrap_or(80)
    );
    // Origin-form request target: the path and query.
    let target = match load.url.query() {
        Some(q) => format!("{}?{q}", load.url.path()),
        None => load.url.path().to_string(),
    };
    let uri: hyper::Uri = target
        .parse()
        .unwrap_or_else(|_| hyper::Uri::from_static("/"));
    let issued = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + load.duration;
    let mut workers = Vec::new();
    for _ in 0..load.concurrency.max(1) {
        let mut sender = if plain {
            Sender::Plain {
                addr: addr.clone(),
                conn: None,
            }
        } else {
            Sender::Tls(http.clone())
        };
        let (issued, url, uri, host) =
            (issued.clone(), load.url.clone(), uri.clone(), host.clone());
        let (max, timeout) = (load.max_requests, load.request_timeout);
        workers.push(tokio::spawn(async move {
            let mut h = new_histogram();
            let mut errors = 0u64;
            let mut done = 0u64;
            let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
            loop {
                let now = Instant::now();
                if now >= deadline || issued.fetch_add(1, Ordering::Relaxed) >= max {
                    break;
                }
                let left = deadline.saturating_duration_since(now);
                let t0 = Instant::now();
                let r = tokio::time::timeout(
                    timeout.min(left + Duration::from_millis(1)),
                    sender.get(&url, &uri, &host),
                )
                .await;
                let took = t0.elapsed();
                let kind = match r {
                    // Cut by the end of the run, not by the server: not counted.
                    Err(_) if Instant::now() >= deadline && took < timeout => break,
                    Err(_) => Some("timeout".to_string()),
                    Ok(Err(k)) => Some(k),
                    Ok(Ok(s)) if s >= 400 => Some(s.to_string()),
                    Ok(Ok(_)) => None,
                };
                done += 1;
                let _ = h.record((took.as_micros() as u64).max(1));
                if let Some(k) = kind {
                    errors += 1;
                    *kinds.entry(k).or_default() += 1;
                }
            }
            (h, done, errors, kinds)
        }));
    }
    let mut report = Report {
        histogram: new_histogram(),
        requests: 0,
        errors: 0,
        breakdown: BTreeMap::new(),
        elapsed: Duration::ZERO,
    };
    for w in workers {
        if let Ok((h, done, errors, kinds)) = w.await {
            let _ = report.histogram.add(&h);
            report.requests += done;
            report.errors += errors;
            for (k, n) in kinds {
                *report.breakdown.entry(k).or_default() += n;
            }
        }
    }
    report.elapsed = start.elapsed();
    report
}
