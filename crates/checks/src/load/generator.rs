//! A bounded load generator: `concurrency` workers send GETs over kept-alive HTTP/1.1
//! connections (plain, or TLS with rustls) until the request budget or the duration is spent.
//!
//! Built like wrk: a few OS threads (one per core, at most one per worker), each running its
//! own single-threaded tokio runtime with its share of the workers, so a worker's wake-ups
//! never cross threads. Each worker owns one connection and speaks HTTP/1.1 on it itself
//! (`h1.rs`: the request serialised once, answers framed in one reusable buffer, bodies
//! counted against a cap and dropped), claims requests from the shared budget in small
//! chunks, and records latencies (µs) in its own HDR histogram, merged at the end. Every
//! request has a time limit; to avoid a timer per request, each worker keeps one timer and
//! moves it forward only when the next request's limit would outlast it, so a request is cut
//! between `request_timeout` and `request_timeout + request_timeout / 20` after it started,
//! and never after the end of the run.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use reqwest::Url;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};

use super::h1;
use crate::http::client::{resolve, tls_config};

/// The most body bytes read from one response; more is an error (an endless body).
pub const BODY_CAP: u64 = 4 * 1024 * 1024;
/// Time to open a connection (and finish the TLS handshake), within the request's own limit.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// What the load is.
#[derive(Debug, Clone)]
pub struct Load {
    pub url: Url,
    pub concurrency: usize,
    pub duration: Duration,
    pub max_requests: u64,
    /// One request slower than this counts as a timeout error.
    pub request_timeout: Duration,
    /// A CA to trust besides the webpki roots, for https:// targets (`--ca-file`).
    pub ca_file: Option<PathBuf>,
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
    pub fn mean_ms(&self) -> f64 {
        self.histogram.mean() / 1000.0
    }

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
            "{} requests in {:.1}s ({:.0} req/s); p50 {:.2}ms, p90 {:.2}ms, p95 {:.2}ms, p99 {:.2}ms, max {:.2}ms; errors {} ({:.2}%)",
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

    fn empty() -> Report {
        Report {
            histogram: new_histogram(),
            requests: 0,
            errors: 0,
            breakdown: BTreeMap::new(),
            elapsed: Duration::ZERO,
        }
    }

    fn absorb(&mut self, other: Report) {
        let _ = self.histogram.add(&other.histogram);
        self.requests += other.requests;
        self.errors += other.errors;
        for (k, n) in other.breakdown {
            *self.breakdown.entry(k).or_default() += n;
        }
    }
}

fn new_histogram() -> Histogram<u64> {
    // 1 µs to 10 min, 3 significant digits.
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("histogram bounds")
}

/// A plain or TLS stream.
trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

type Conn = h1::Conn<Box<dyn Io>>;

/// What every worker shares: where to connect, what to send, the budget and the end.
struct Shared {
    addrs: Vec<SocketAddr>,
    tls: Option<(tokio_rustls::TlsConnector, ServerName<'static>)>,
    /// The whole request, serialised once.
    request: Vec<u8>,
    /// Requests not yet claimed by a worker.
    budget: AtomicU64,
    /// How many requests a worker claims at once.
    chunk: u64,
    timeout: Duration,
    end: Instant,
}

impl Shared {
    /// Up to `chunk` requests from the budget; 0 when it is spent.
    fn claim(&self) -> u64 {
        let mut left = self.budget.load(Ordering::Relaxed);
        loop {
            if left == 0 {
                return 0;
            }
            let take = left.min(self.chunk);
            match self.budget.compare_exchange_weak(
                left,
                left - take,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return take,
                Err(now) => left = now,
            }
        }
    }

    /// A new connection (TCP, then TLS when the target is https://).
    async fn connect(&self) -> Result<Conn, String> {
        let tcp = tokio::time::timeout(
            CONNECT_TIMEOUT,
            tokio::net::TcpStream::connect(&self.addrs[..]),
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
        let io: Box<dyn Io> = match &self.tls {
            None => Box::new(tcp),
            Some((connector, name)) => Box::new(
                tokio::time::timeout(CONNECT_TIMEOUT, connector.connect(name.clone(), tcp))
                    .await
                    .map_err(|_| "TLS handshake timeout".to_string())?
                    .map_err(|e| {
                        let low = e.to_string().to_lowercase();
                        if low.contains("certificate") || low.contains("unknownissuer") {
                            "TLS certificate rejected".to_string()
                        } else if low.contains("invalidcontenttype") || low.contains("corrupt") {
                            "the port does not speak TLS".to_string()
                        } else {
                            "TLS handshake failed".to_string()
                        }
                    })?,
            ),
        };
        Ok(h1::Conn::new(io))
    }

    /// One GET on the worker's connection (opened or re-opened as needed): the status, or
    /// the kind of failure. A connection that cannot carry the next request is dropped.
    async fn get(&self, conn: &mut Option<Conn>) -> Result<u16, String> {
        if conn.is_none() {
            *conn = Some(self.connect().await?);
        }
        let c = conn.as_mut().expect("connected");
        match c.exchange(&self.request, BODY_CAP).await {
            Ok(a) => {
                if !a.reusable {
                    *conn = None;
                }
                Ok(a.status)
            }
            Err(e) => {
                *conn = None;
                Err(e)
            }
        }
    }
}

/// One worker: requests one after another on its own connection until the budget or the
/// time is spent.
async fn worker(shared: Arc<Shared>) -> Report {
    let mut r = Report::empty();
    let mut conn = None;
    let mut claimed = 0u64;
    // One timer for all of this worker's requests (see the module's docs).
    let hard_end = shared.end + Duration::from_millis(1);
    let slack = shared.timeout / 20;
    let timer = tokio::time::sleep_until(tokio::time::Instant::now());
    tokio::pin!(timer);
    loop {
        let now = Instant::now();
        if now >= shared.end {
            break;
        }
        if claimed == 0 {
            claimed = shared.claim();
            if claimed == 0 {
                break;
            }
        }
        claimed -= 1;
        let limit = (now + shared.timeout).min(hard_end);
        if timer.deadline().into_std() < limit {
            timer.as_mut().reset(((limit + slack).min(hard_end)).into());
        }
        let t0 = Instant::now();
        let got = tokio::select! {
            biased;
            got = shared.get(&mut conn) => Some(got),
            () = &mut timer => None,
        };
        let took = t0.elapsed();
        let kind = match got {
            None => {
                // The connection has a request in flight: start afresh.
                conn = None;
                if Instant::now() >= shared.end && took < shared.timeout {
                    // Cut by the end of the run, not by the server: not counted.
                    break;
                }
                Some("timeout".to_string())
            }
            Some(Err(k)) => Some(k),
            Some(Ok(s)) if s >= 400 => Some(s.to_string()),
            Some(Ok(_)) => None,
        };
        r.requests += 1;
        let _ = r.histogram.record((took.as_micros() as u64).max(1));
        if let Some(k) = kind {
            r.errors += 1;
            *r.breakdown.entry(k).or_default() += 1;
        }
    }
    r
}

/// Run the load. Bounded in requests and in time, whatever the server does. `Err` when it
/// cannot start at all (the host does not resolve, a bad CA file).
pub async fn run(load: &Load) -> Result<Report, String> {
    let host = load.url.host_str().unwrap_or("").to_string();
    let port = load.url.port_or_known_default().unwrap_or(80);
    let addrs = resolve(&host, port, CONNECT_TIMEOUT).await?;
    let tls = if load.url.scheme() == "https" {
        let mut config = tls_config(load.ca_file.as_deref())?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let name = crate::tls::handshake::server_name(&host)?;
        Some((tokio_rustls::TlsConnector::from(Arc::new(config)), name))
    } else {
        None
    };
    let host_header = match load.url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.clone(),
    };
    // Origin-form request target: the path and query.
    let target = match load.url.query() {
        Some(q) => format!("{}?{q}", load.url.path()),
        None => load.url.path().to_string(),
    };
    let concurrency = load.concurrency.max(1);
    let max = load.max_requests;
    let start = Instant::now();
    let shared = Arc::new(Shared {
        addrs,
        tls,
        request: h1::request(&target, &host_header),
        budget: AtomicU64::new(max),
        // Small enough that the budget spreads over the workers to the end.
        chunk: (max / (concurrency as u64 * 16)).clamp(1, 64),
        timeout: load.request_timeout,
        end: start + load.duration,
    });
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(concurrency);
    let mut handles = Vec::new();
    for t in 0..threads {
        // Workers spread evenly: the first `concurrency % threads` threads take one more.
        let n = concurrency / threads + usize::from(t < concurrency % threads);
        let shared = shared.clone();
        handles.push(tokio::task::spawn_blocking(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start a load thread: {e}"))?;
            Ok::<_, String>(rt.block_on(async move {
                let mut set = tokio::task::JoinSet::new();
                for _ in 0..n {
                    set.spawn(worker(shared.clone()));
                }
                let mut r = Report::empty();
                while let Some(done) = set.join_next().await {
                    if let Ok(w) = done {
                        r.absorb(w);
                    }
                }
                r
            }))
        }));
    }
    let mut report = Report::empty();
    for h in handles {
        match h.await {
            Ok(Ok(r)) => report.absorb(r),
            Ok(Err(e)) => return Err(e),
            Err(_) => {}
        }
    }
    report.elapsed = start.elapsed();
    Ok(report)
}
