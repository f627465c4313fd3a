//! The shared HTTP client and the load generator against hostile and broken servers on
//! 127.0.0.1 (and a host name that does not resolve): every case ends in an error a person
//! understands, within the limits, never a hang. The same against a real nginx (a TLS port
//! spoken to in plain HTTP and the reverse) is in `live_nginx.rs`.

mod support;

use std::io::Write;
use std::time::{Duration, Instant};

use gonogo_checks::http::client::{Http, Limits};
use gonogo_checks::load::generator::{Load, run};
use reqwest::Url;
use serde_json::json;
use support::server::{Route, closed_port, start};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn tight() -> Limits {
    Limits {
        connect: Duration::from_secs(2),
        read: Duration::from_millis(400),
        total: Duration::from_secs(2),
        body_cap: 64 * 1024,
        max_redirects: 3,
    }
}

fn client() -> Http {
    Http::new(None, tight()).unwrap()
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

async fn error_of(u: &str) -> (String, Duration) {
    let start = Instant::now();
    let e = client().get(&url(u)).await.expect_err("an error");
    (e.0, start.elapsed())
}

#[tokio::test]
async fn refused_connection_is_explained() {
    let (e, _) = error_of(&format!("http://127.0.0.1:{}/health", closed_port())).await;
    assert!(e.contains("connection was refused"), "{e}");
}

#[tokio::test]
async fn a_server_that_trickles_bytes_hits_the_time_limit() {
    let s = start(vec![Route {
        path: "/slow".into(),
        status: 200,
        body: "x".repeat(200),
        trickle_ms: 300,
        ..Route::default()
    }])
    .await;
    let (e, took) = error_of(&format!("{}/slow", s.url())).await;
    assert!(took < Duration::from_secs(4), "took {took:?}");
    assert!(
        e.contains("time limit") || e.contains("did not arrive"),
        "{e}"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_hits_the_first_byte_limit() {
    let s = start(vec![Route {
        path: "/stuck".into(),
        status: 200,
        delay_ms: 30_000,
        ..Route::default()
    }])
    .await;
    let (e, took) = error_of(&format!("{}/stuck", s.url())).await;
    assert!(took < Duration::from_secs(4), "took {took:?}");
    assert!(e.contains("time limit"), "{e}");
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused() {
    let s = start(vec![Route {
        path: "/big".into(),
        status: 200,
        body: "y".repeat(200 * 1024),
        ..Route::default()
    }])
    .await;
    let (e, _) = error_of(&format!("{}/big", s.url())).await;
    assert!(e.contains("byte cap"), "{e}");
}

#[tokio::test]
async fn a_gzip_bomb_stops_at_the_decompressed_cap() {
    // 20 MiB of zeros compress to about 20 KiB: under the cap on the wire, far over it inflated.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![0u8; 20 * 1024 * 1024]).unwrap();
    let packed = gz.finish().unwrap();
    assert!(packed.len() < 64 * 1024);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 2048];
        let _ = sock.read(&mut buf).await;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\n\r\n",
            packed.len()
        );
        let _ = sock.write_all(head.as_bytes()).await;
        let _ = sock.write_all(&packed).await;
    });
    let (e, _) = error_of(&format!("http://{addr}/bomb")).await;
    assert!(e.contains("decompressed") && e.contains("cap"), "{e}");
}

#[tokio::test]
async fn redirect_loops_stop_at_the_limit() {
    let s = start(vec![Route {
        path: "/loop".into(),
        status: 302,
        headers: vec![("location".into(), "/loop".into())],
        ..Route::default()
    }])
    .await;
    let (e, _) = error_of(&format!("{}/loop", s.url())).await;
    assert!(e.contains("more than 3 redirects"), "{e}");
}

#[tokio::test]
async fn redirects_to_another_host_are_not_followed() {
    let s = start(vec![Route {
        path: "/away".into(),
        status: 301,
        headers: vec![("location".into(), "http://elsewhere.invalid/".into())],
        ..Route::default()
    }])
    .await;
    let got = client()
        .get(&url(&format!("{}/away", s.url())))
        .await
        .unwrap();
    assert_eq!(got.status.as_u16(), 301);
    assert_eq!(got.url.host_str(), Some("127.0.0.1"));
}

#[tokio::test]
async fn https_spoken_to_a_plain_http_port_is_explained() {
    let s = start(vec![Route {
        path: "/".into(),
        status: 200,
        ..Route::default()
    }])
    .await;
    let (e, _) = error_of(&format!("https://{}/", s.addr)).await;
    assert!(e.contains("does not speak TLS"), "{e}");
}

#[tokio::test]
async fn plain_http_spoken_to_a_tls_port_is_explained() {
    // A TLS server answers a plain request with a TLS alert record.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 2048];
        let _ = sock.read(&mut buf).await;
        let _ = sock
            .write_all(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])
            .await;
    });
    let (e, _) = error_of(&format!("http://{addr}/")).await;
    assert!(e.contains("not HTTP"), "{e}");
}

/// A name under `.invalid` never resolves (RFC 6761).
const NOWHERE: &str = "gonogo-test.invalid";

#[tokio::test]
async fn a_host_that_does_not_resolve_is_explained() {
    let (e, took) = error_of(&format!("http://{NOWHERE}/health")).await;
    assert!(took < Duration::from_secs(4), "took {took:?}");
    assert!(
        e.contains(&format!("could not resolve host {NOWHERE}")),
        "{e}"
    );
}

#[tokio::test]
async fn every_live_check_says_when_the_host_does_not_resolve() {
    let start = Instant::now();
    for (id, params, url) in [
        (
            "http.health-endpoint",
            json!({}),
            format!("http://{NOWHERE}/"),
        ),
        (
            "http.security-headers",
            json!({}),
            format!("https://{NOWHERE}/"),
        ),
        (
            "http.https-redirect",
            json!({}),
            format!("https://{NOWHERE}/"),
        ),
        (
            "metrics.prometheus-endpoint",
            json!({}),
            format!("http://{NOWHERE}/"),
        ),
        (
            "tls.protocol-versions",
            json!({}),
            format!("https://{NOWHERE}/"),
        ),
        (
            "tls.certificate-valid",
            json!({}),
            format!("https://{NOWHERE}/"),
        ),
        (
            "load.latency-under-load",
            json!({"max_ms": 200, "requests": 10}),
            format!("http://{NOWHERE}/"),
        ),
    ] {
        let o = support::run_check(id, params, &[url], None).await;
        assert_eq!(o.status.as_str(), "error", "{id}: {o:?}");
        assert!(
            o.message
                .contains(&format!("could not resolve host {NOWHERE}")),
            "{id}: {o:?}"
        );
    }
    // The limits are seconds, not minutes, even when the resolver is slow.
    assert!(start.elapsed() < Duration::from_secs(60));
}

#[tokio::test]
async fn an_endless_body_stops_at_the_cap() {
    let addr = endless_server().await;
    let start = Instant::now();
    let (e, _) = error_of(&format!("http://{addr}/stream")).await;
    assert!(e.contains("over the 65536 byte cap"), "{e}");
    assert!(start.elapsed() < Duration::from_secs(4));
}

/// A server that answers every request with a chunked body that never ends.
async fn endless_server() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = [0u8; 2048];
                let _ = sock.read(&mut buf).await;
                let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
                if sock.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("4000\r\n{}\r\n", "z".repeat(0x4000));
                while sock.write_all(chunk.as_bytes()).await.is_ok() {}
            });
        }
    });
    addr
}

fn load(url: String, timeout: Duration, duration: Duration) -> Load {
    Load {
        url: url.parse().unwrap(),
        concurrency: 4,
        duration,
        max_requests: 8,
        request_timeout: timeout,
        ca_file: None,
    }
}

#[tokio::test]
async fn the_load_generator_stops_an_endless_body_at_its_cap() {
    let addr = endless_server().await;
    let r = run(&load(
        format!("http://{addr}/"),
        Duration::from_secs(5),
        Duration::from_secs(20),
    ))
    .await
    .unwrap();
    assert_eq!(r.requests, 8, "{}", r.summary());
    assert_eq!(
        r.breakdown.get("body over 4 MiB"),
        Some(&8),
        "{:?}",
        r.breakdown
    );
}

#[tokio::test]
async fn the_load_generator_cuts_slow_and_trickling_answers_at_the_request_timeout() {
    let s = start(vec![
        Route {
            path: "/stuck".into(),
            status: 200,
            delay_ms: 30_000,
            ..Route::default()
        },
        Route {
            path: "/slow".into(),
            status: 200,
            body: "x".repeat(200),
            trickle_ms: 100,
            ..Route::default()
        },
    ])
    .await;
    for path in ["/stuck", "/slow"] {
        let started = Instant::now();
        let r = run(&load(
            format!("{}{path}", s.url()),
            Duration::from_millis(300),
            Duration::from_secs(1),
        ))
        .await
        .unwrap();
        let took = started.elapsed();
        // A request is cut between its timeout and the timeout plus a twentieth.
        assert!(took < Duration::from_millis(1500), "{path}: took {took:?}");
        assert!(
            r.requests >= 4 && r.requests <= 8,
            "{path}: {}",
            r.summary()
        );
        assert_eq!(r.errors, r.requests, "{path}: {}", r.summary());
        assert_eq!(r.breakdown.get("timeout"), Some(&r.requests), "{path}");
        let slowest = r.histogram.max() as f64 / 1000.0;
        assert!(
            (295.0..=450.0).contains(&slowest),
            "{path}: max {slowest} ms: {}",
            r.summary()
        );
    }
}

#[tokio::test]
async fn the_load_generator_does_not_start_when_the_host_does_not_resolve() {
    let e = run(&load(
        format!("http://{NOWHERE}/"),
        Duration::from_secs(1),
        Duration::from_secs(1),
    ))
    .await
    .unwrap_err();
    assert!(
        e.contains(&format!("could not resolve host {NOWHERE}")),
        "{e}"
    );
}

/// Names that do resolve go through the same resolver (the other tests use IP literals, which
/// skip it): the client, the load generator and the TLS probes all reach `localhost`.
#[tokio::test]
async fn names_that_resolve_are_reached() {
    let s = start(vec![Route {
        path: "/ok".into(),
        status: 200,
        body: "ok".into(),
        ..Route::default()
    }])
    .await;
    let named = format!("http://localhost:{}/ok", s.addr.port());
    let got = client().get(&url(&named)).await.unwrap();
    assert_eq!(got.status.as_u16(), 200);
    let r = run(&load(named, Duration::from_secs(2), Duration::from_secs(5)))
        .await
        .unwrap();
    assert_eq!((r.requests, r.errors), (8, 0), "{}", r.summary());
    let tls = support::tls::start("good", &["1.2".into(), "1.3".into()], false).await;
    let o = support::run_check(
        "tls.protocol-versions",
        json!({}),
        &[format!("https://localhost:{}/", tls.addr.port())],
        Some(&tls.ca_file),
    )
    .await;
    assert_eq!(o.status.as_str(), "pass", "{o:?}");
}
