//! An in-process HTTP server on 127.0.0.1:0 for live checks' tests, configured per behaviour:
//! routes with status, headers and body, a delay before the head, a body trickled byte by byte.

#![allow(dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::body::{Bytes, Frame};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

#[derive(Debug, Clone, Default)]
pub struct Route {
    pub path: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Wait this long before sending the head.
    pub delay_ms: u64,
    /// Send the body one byte at a time, this far apart.
    pub trickle_ms: u64,
    /// Answer 429 after this many requests to the path (0: never).
    pub limit: usize,
    /// Requests served so far (for `limit`).
    pub hits: Arc<std::sync::atomic::AtomicUsize>,
    /// Echo the request's Origin in Access-Control-Allow-Origin (a misconfigured CORS).
    pub reflect_origin: bool,
}

/// A running server; it stops when dropped.
pub struct Server {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Routes from a case's `[[server.routes]]` tables.
pub fn routes_from_toml(t: &toml::Table) -> Vec<Route> {
    let Some(toml::Value::Array(routes)) = t.get("routes") else {
        return Vec::new();
    };
    routes
        .iter()
        .filter_map(toml::Value::as_table)
        .map(|r| Route {
            path: r.get("path").and_then(|v| v.as_str()).unwrap_or("/").into(),
            status: r.get("status").and_then(|v| v.as_integer()).unwrap_or(200) as u16,
            headers: r
                .get("headers")
                .and_then(|v| v.as_table())
                .map(|h| {
                    h.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            body: r.get("body").and_then(|v| v.as_str()).unwrap_or("").into(),
            delay_ms: r.get("delay_ms").and_then(|v| v.as_integer()).unwrap_or(0) as u64,
            trickle_ms: r
                .get("trickle_ms")
                .and_then(|v| v.as_integer())
                .unwrap_or(0) as u64,
            limit: r.get("limit").and_then(|v| v.as_integer()).unwrap_or(0) as usize,
            hits: Arc::default(),
            reflect_origin: r
                .get("reflect_origin")
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
        })
        .collect()
}

type Body = BoxBody<Bytes, Infallible>;

async fn answer(routes: Arc<Vec<Route>>, req: Request<hyper::body::Incoming>) -> Response<Body> {
    let path = req.uri().path().to_string();
    let Some(r) = routes.iter().find(|r| r.path == path) else {
        return Response::builder()
            .status(404)
            .body(Full::new(Bytes::from_static(b"not found")).boxed())
            .unwrap();
    };
    if r.limit > 0 && r.hits.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= r.limit {
        let mut b = Response::builder().status(429);
        for (k, v) in &r.headers {
            if k.eq_ignore_ascii_case("retry-after") {
                b = b.header(k.as_str(), v.as_str());
            }
        }
        return b
            .body(Full::new(Bytes::from_static(b"slow down")).boxed())
            .unwrap();
    }
    if r.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(r.delay_ms)).await;
    }
    let mut b = Response::builder().status(r.status);
    for (k, v) in &r.headers {
        if r.limit > 0 && k.eq_ignore_ascii_case("retry-after") {
            continue;
        }
        b = b.header(k.as_str(), v.as_str());
    }
    if r.reflect_origin
        && let Some(o) = req.headers().get("origin")
    {
        b = b.header("access-control-allow-origin", o.clone());
    }
    let body: Body = if r.trickle_ms > 0 {
        let bytes: Vec<u8> = r.body.clone().into_bytes();
        let every = Duration::from_millis(r.trickle_ms);
        futures_stream(bytes, every).boxed()
    } else {
        Full::new(Bytes::from(r.body.clone())).boxed()
    };
    b.body(body).unwrap()
}

fn futures_stream(
    bytes: Vec<u8>,
    every: Duration,
) -> impl hyper::body::Body<Data = Bytes, Error = Infallible> + Send + Sync + 'static {
    // A channel-backed body: one byte per tick.
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(1);
    tokio::spawn(async move {
        for b in bytes {
            tokio::time::sleep(every).await;
            if tx.send(Bytes::from(vec![b])).await.is_err() {
                return;
            }
        }
    });
    ChannelBody(rx)
}

struct ChannelBody(tokio::sync::mpsc::Receiver<Bytes>);

impl hyper::body::Body for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|o| o.map(|b| Ok(Frame::data(b))))
    }
}

/// Serve these routes on 127.0.0.1 until the server is dropped.
pub async fn start(routes: Vec<Route>) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let routes = Arc::new(routes);
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let routes = routes.clone();
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(move |req| {
                    let routes = routes.clone();
                    async move { Ok::<_, Infallible>(answer(routes, req).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    Server { addr, task }
}

/// A loopback port with nothing listening on it.
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}
