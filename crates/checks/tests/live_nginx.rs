//! Live checks against the real thing: nginx (Debian's package, installed by `.ci/run`) started
//! per test on free 127.0.0.1 ports with a configuration and certificates made at test time.
//! Each check passes against nginx configured as the checklist asks and fails, or errors with
//! a reason, against nginx configured wrong in exactly that way. Without nginx these tests fail.

mod support;

use std::time::{Duration, Instant};

use gonogo_checks::load::generator::{Load, run};
use gonogo_engine::catalogue::Outcome;
use serde_json::json;
use support::nginx::{Conf, Nginx};
use support::run_check;

const HEALTH_OK: &str =
    r#"location = /health { default_type application/json; return 200 '{"status":"ok"}'; }"#;

/// The headers `http.security-headers` asks for, as nginx sends them on every answer.
const SECURITY_HEADERS: &str = r#"
    add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
    add_header Content-Security-Policy "default-src 'self'; frame-ancestors 'none'" always;
    add_header X-Content-Type-Options nosniff always;
    add_header X-Frame-Options DENY always;
    location / { return 200 'ok'; }
"#;

fn status(o: &Outcome) -> &str {
    o.status.as_str()
}

fn evidence(o: &Outcome) -> String {
    o.evidence
        .iter()
        .map(|e| e.detail.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

async fn check_plain(n: &Nginx, id: &str, params: serde_json::Value) -> Outcome {
    run_check(id, params, &[format!("{}/", n.http_url())], None).await
}

async fn check_tls(n: &Nginx, id: &str, params: serde_json::Value) -> Outcome {
    run_check(
        id,
        params,
        &[format!("{}/", n.https_url())],
        Some(&n.ca_file),
    )
    .await
}

// ---- http.health-endpoint

#[tokio::test]
async fn health_endpoint_passes_on_nginx_returning_status_ok() {
    let n = Nginx::start(Conf {
        plain: HEALTH_OK,
        ..Conf::default()
    });
    let o = check_plain(
        &n,
        "http.health-endpoint",
        json!({"paths": ["/health"], "status": 200, "body": r#"{"status": "ok"}"#}),
    )
    .await;
    assert_eq!(status(&o), "pass", "{o:?}\n{}", n.logs());
    assert!(
        o.message.contains(r#"answered 200 with {"status":"ok"}"#),
        "{o:?}"
    );
    // Without a path the usual candidates are tried and /health is found.
    let o = check_plain(
        &n,
        "http.health-endpoint",
        json!({"body": r#"{"status": "ok"}"#}),
    )
    .await;
    assert_eq!(status(&o), "pass", "{o:?}");
    assert!(o.message.contains("GET /health answered 200"), "{o:?}");
}

#[tokio::test]
async fn health_endpoint_fails_on_nginx_returning_another_body() {
    let n = Nginx::start(Conf {
        plain: r#"location = /health { default_type application/json; return 200 '{"status":"degraded"}'; }
                  location = /ready { return 200 'up'; }
                  location = /live { return 503 '{"status":"ok"}'; }"#,
        ..Conf::default()
    });
    let want = json!({"status": 200, "body": r#"{"status": "ok"}"#});
    let with = |path: &str| {
        let mut p = want.clone();
        p["paths"] = json!([path]);
        p
    };
    let o = check_plain(&n, "http.health-endpoint", with("/health")).await;
    assert_eq!(status(&o), "fail", "{o:?}");
    assert!(
        o.message
            .contains(r#".status: expected "ok", got "degraded""#),
        "{o:?}"
    );
    let o = check_plain(&n, "http.health-endpoint", with("/ready")).await;
    assert_eq!(status(&o), "fail", "{o:?}");
    assert!(o.message.contains("the body is not JSON"), "{o:?}");
    let o = check_plain(&n, "http.health-endpoint", with("/live")).await;
    assert_eq!(status(&o), "fail", "{o:?}");
    assert!(o.message.contains("GET /live answered 503"), "{o:?}");
}

// ---- http.security-headers

#[tokio::test]
async fn security_headers_pass_when_nginx_adds_them_and_hides_its_version() {
    let n = Nginx::start(Conf {
        http: "server_tokens off;",
        tls: SECURITY_HEADERS,
        ..Conf::default()
    });
    let o = check_tls(
        &n,
        "http.security-headers",
        json!({"include_subdomains": true}),
    )
    .await;
    assert_eq!(status(&o), "pass", "{o:?}\n{}", n.logs());
    assert!(
        o.message
            .contains("sends hsts, csp, content-type-options, frame-options, server"),
        "{o:?}"
    );
    assert!(evidence(&o).contains("Server: nginx (no version)"), "{o:?}");
}

#[tokio::test]
async fn security_headers_fail_when_nginx_sends_none() {
    let n = Nginx::start(Conf {
        http: "server_tokens on;",
        tls: "location / { return 200 'ok'; }",
        ..Conf::default()
    });
    let o = check_tls(&n, "http.security-headers", json!({})).await;
    assert_eq!(status(&o), "fail", "{o:?}");
    for missing in [
        "no Strict-Transport-Security header",
        "no Content-Security-Policy header",
        "no X-Content-Type-Options: nosniff",
        "no frame protection",
    ] {
        assert!(o.message.contains(missing), "{missing}: {o:?}");
    }
    let version = regex::Regex::new(r#"Server "nginx/\d+\.\d+\.\d+" reveals a version"#).unwrap();
    assert!(version.is_match(&o.message), "{o:?}");
}

#[tokio::test]
async fn security_headers_fail_on_server_tokens_alone() {
    let n = Nginx::start(Conf {
        http: "server_tokens on;",
        tls: SECURITY_HEADERS,
        ..Conf::default()
    });
    let o = check_tls(&n, "http.security-headers", json!({})).await;
    assert_eq!(status(&o), "fail", "{o:?}");
    assert!(o.message.contains("reveals a version"), "{o:?}");
    assert!(!o.message.contains("Strict-Transport-Security"), "{o:?}");
    // The same server with a short HSTS max-age fails on that too.
    let n = Nginx::start(Conf {
        http: "server_tokens off;",
        tls: &SECURITY_HEADERS.replace("max-age=31536000", "max-age=86400"),
        ..Conf::default()
    });
    let o = check_tls(&n, "http.security-headers", json!({})).await;
    assert_eq!(status(&o), "fail", "{o:?}");
    assert!(o.message.contains("HSTS max-age is 86400 s"), "{o:?}");
}

// ---- http.https-redirect

#[tokio::test]
async fn https_redirect_passes_on_nginx_returning_301_to_https() {
    let n = Nginx::start(Conf {
        plain: "return 301 https://$host:@HTTPS_PORT@$request_uri;",
        tls: HEALTH_OK,
        ..Conf::default()
    });
    let o = check_plain(&n, "http.https-redirect", json!({})).await;
    assert_eq!(status(&o), "pass", "{o:?}\n{}", n.logs());
    assert!(
        o.message.contains(&format!(
            "redirects (301, permanent) to https://127.0.0.1:{}/",
            n.https_port
        )),
        "{o:?}"
    );
}

#[tokio::test]
async fn https_redirect_fails_when_nginx_serves_plain_http_or_sends_elsewhere() {
    let n = Nginx::start(Conf {
        plain: "location / { return 200 'ok'; }
                location /away { return 302 https://elsewhere.example/; }
                location /plain { return 301 http://$host:@HTTP_PORT@/; }",
        ..Conf::default()
    });
    let o = check_plain(&n, "http.https-redirect", json!({})).await;
    assert_eq!(status(&o), "fail", "{o:?}");
    assert!(
        o.message
            .contains("answered 200 over plain HTTP instead of redirecting"),
        "{o:?}"
    );
    let away = format!("{}/away", n.http_url());
    let o = check_plain(&n, "http.https-redirect", json!({ "http_url": away })).await;
    assert_eq!(status(&o), "fail", "{o:?}");
    assert!(
        o.message.contains("redirects to HTTPS on another host"),
        "{o:?}"
    );
    let plain = format!("{}/plain", n.http_url());
    let o = check_plain(&n, "http.https-redirect", json!({ "http_url": plain })).await;
    assert_eq!(status(&o), "fail", "{o:?}");
    assert!(o.message.contains("which is not HTTPS"), "{o:?}");
}

// ---- tls.protocol-versions

#[tokio::test]
async fn protocol_versions_pass_on_nginx_with_tls12_and_tls13() {
    let n = Nginx::start(Conf {
        tls: "ssl_protocols TLSv1.2 TLSv1.3; location / { return 200 'ok'; }",
        ..Conf::default()
    });
    let o = check_tls(&n, "tls.protocol-versions", json!({"require_tls13": true})).await;
    assert_eq!(status(&o), "pass", "{o:?}\n{}", n.logs());
    assert!(
        o.message
            .contains("TLS 1.0 refused, TLS 1.1 refused, TLS 1.2 accepted, TLS 1.3 accepted"),
        "{o:?}"
    );
}

#[tokio::test]
async fn protocol_versions_fail_on_nginx_without_tls13_when_the_item_asks_for_it() {
    let n = Nginx::start(Conf {
        tls: "ssl_protocols TLSv1.2; location / { return 200 'ok'; }",
        ..Conf::default()
    });
    let o = check_tls(&n, "tls.protocol-versions", json!({"require_tls13": true})).await;
    assert_eq!(status(&o), "fail", "{o:?}");
    assert!(o.message.contains("TLS 1.3 is refused"), "{o:?}");
    assert!(o.message.contains("ssl_protocols TLSv1.2 TLSv1.3"), "{o:?}");
    // Without the item asking for 1.3, 1.2 alone is enough.
    let o = check_tls(&n, "tls.protocol-versions", json!({})).await;
    assert_eq!(status(&o), "pass", "{o:?}");
}

#[tokio::test]
async fn protocol_versions_fail_on_nginx_that_really_accepts_tls10_and_tls11() {
    // Debian's OpenSSL 3 refuses TLS 1.0/1.1 at its default security level even when
    // ssl_protocols lists them; at level 0 nginx really accepts them, and our own ClientHello
    // sees it.
    let n = Nginx::start(Conf {
        tls: "ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
              ssl_ciphers DEFAULT:@SECLEVEL=0;
              location / { return 200 'ok'; }",
        ..Conf::default()
    });
    let o = check_tls(&n, "tls.protocol-versions", json!({})).await;
    assert_eq!(status(&o), "fail", "{o:?}\n{}", n.logs());
    assert!(
        o.message
            .contains("TLS 1.0 is accepted; TLS 1.1 is accepted"),
        "{o:?}"
    );
    assert!(
        o.message
            .contains("allow only TLS 1.2 and newer (nginx: ssl_protocols)"),
        "{o:?}"
    );
}

#[tokio::test]
async fn protocol_versions_report_what_openssl_really_offers_not_what_nginx_lists() {
    // ssl_protocols names TLS 1.0 and 1.1, but OpenSSL 3's default security level cannot offer
    // them: the server refuses them (an internal_error alert), and the check says so.
    let n = Nginx::start(Conf {
        tls: "ssl_protocols TLSv1 TLSv1.1 TLSv1.2; location / { return 200 'ok'; }",
        ..Conf::default()
    });
    let o = check_tls(&n, "tls.protocol-versions", json!({})).await;
    assert_eq!(status(&o), "pass", "{o:?}\n{}", n.logs());
    assert!(
        o.message
            .contains("TLS 1.0 refused, TLS 1.1 refused, TLS 1.2 accepted, TLS 1.3 refused"),
        "{o:?}"
    );
}

// ---- tls.certificate-valid

#[tokio::test]
async fn certificate_valid_passes_on_nginx_with_a_good_certificate() {
    let n = Nginx::start(Conf {
        tls: HEALTH_OK,
        ..Conf::default()
    });
    let o = check_tls(&n, "tls.certificate-valid", json!({"days": 30})).await;
    assert_eq!(status(&o), "pass", "{o:?}\n{}", n.logs());
    assert!(
        o.message
            .contains("has a trusted certificate for the host, valid 90 more days (≥ 30)"),
        "{o:?}"
    );
    assert!(evidence(&o).contains("chain of 2"), "{o:?}");
}

#[tokio::test]
async fn certificate_valid_fails_on_nginx_with_a_bad_certificate() {
    for (cert, why) in [
        (
            "expiring-10-days",
            "it expires in 10 days, under the 30 required",
        ),
        ("expired", "the certificate has expired"),
        ("wrong-host", "not valid for this host name"),
        ("untrusted", "does not lead to a trusted root"),
    ] {
        let n = Nginx::start(Conf {
            tls: HEALTH_OK,
            cert,
            ..Conf::default()
        });
        let o = check_tls(&n, "tls.certificate-valid", json!({"days": 30})).await;
        assert_eq!(status(&o), "fail", "{cert}: {o:?}");
        assert!(o.message.contains(why), "{cert}: {o:?}");
    }
}

// ---- Plain HTTP and TLS on the wrong ports

#[tokio::test]
async fn plain_http_to_nginx_tls_port_and_tls_to_its_plain_port_are_errors_explained() {
    let n = Nginx::start(Conf {
        plain: HEALTH_OK,
        tls: HEALTH_OK,
        ..Conf::default()
    });
    let wrong_plain = format!("http://127.0.0.1:{}/", n.https_port);
    let o = run_check(
        "http.health-endpoint",
        json!({"paths": ["/health"]}),
        &[wrong_plain],
        None,
    )
    .await;
    assert_eq!(status(&o), "error", "{o:?}");
    assert!(o.message.contains("the port speaks TLS"), "{o:?}");
    let wrong_tls = format!("https://127.0.0.1:{}/", n.http_port);
    let o = run_check(
        "http.health-endpoint",
        json!({"paths": ["/health"]}),
        std::slice::from_ref(&wrong_tls),
        Some(&n.ca_file),
    )
    .await;
    assert_eq!(status(&o), "error", "{o:?}");
    assert!(o.message.contains("does not speak TLS"), "{o:?}");
    let o = run_check(
        "tls.certificate-valid",
        json!({}),
        &[wrong_tls],
        Some(&n.ca_file),
    )
    .await;
    assert_eq!(status(&o), "error", "{o:?}");
    assert!(o.message.contains("does not speak TLS"), "{o:?}");
}

// ---- load.latency-under-load

#[tokio::test]
async fn latency_under_load_passes_on_nginx_and_stops_at_the_request_budget() {
    let n = Nginx::start(Conf {
        plain: HEALTH_OK,
        ..Conf::default()
    });
    let o = check_plain(
        &n,
        "load.latency-under-load",
        json!({"path": "/health", "concurrency": 8, "requests": 500, "duration": "10s",
               "max_ms": 200, "max_error_rate": 1}),
    )
    .await;
    assert_eq!(status(&o), "pass", "{o:?}\n{}", n.logs());
    assert!(
        o.message.contains("over 500 requests at 8 concurrent"),
        "{o:?}"
    );
    assert!(o.message.contains("error rate 0.00% < 1%"), "{o:?}");
}

#[tokio::test]
async fn latency_under_load_fails_when_nginx_queues_requests() {
    // limit_req without nodelay holds every request past the rate in a queue: at 8 concurrent
    // and 100 requests/s each waits about 80 ms.
    let n = Nginx::start(Conf {
        http: "limit_req_zone $binary_remote_addr zone=slow:1m rate=100r/s;",
        plain: "location / { limit_req zone=slow burst=1000; root html; }",
        ..Conf::default()
    });
    let o = check_plain(
        &n,
        "load.latency-under-load",
        json!({"concurrency": 8, "requests": 60, "duration": "10s", "percentile": 95,
               "max_ms": 20}),
    )
    .await;
    assert_eq!(status(&o), "fail", "{o:?}\n{}", n.logs());
    assert!(o.message.contains("p95 is"), "{o:?}");
    assert!(
        o.message.contains("not under 20 ms over 60 requests"),
        "{o:?}"
    );
}

#[tokio::test]
async fn latency_under_load_fails_when_nginx_answers_some_requests_503() {
    let n = Nginx::start(Conf {
        http: r#"split_clients "${request_id}" $broken { 20% 1; * 0; }"#,
        plain: "location / { if ($broken) { return 503; } return 200 'ok'; }",
        ..Conf::default()
    });
    let o = check_plain(
        &n,
        "load.latency-under-load",
        json!({"concurrency": 4, "requests": 500, "duration": "10s", "max_error_rate": 1}),
    )
    .await;
    assert_eq!(status(&o), "fail", "{o:?}\n{}", n.logs());
    assert!(o.message.contains("error rate is"), "{o:?}");
    assert!(evidence(&o).contains("errors: 503×"), "{o:?}");
}

#[tokio::test]
async fn latency_under_load_over_tls_passes_on_nginx() {
    let n = Nginx::start(Conf {
        tls: HEALTH_OK,
        ..Conf::default()
    });
    let o = check_tls(
        &n,
        "load.latency-under-load",
        json!({"path": "/health", "concurrency": 4, "requests": 400, "duration": "10s",
               "max_ms": 200, "max_error_rate": 1}),
    )
    .await;
    assert_eq!(status(&o), "pass", "{o:?}\n{}", n.logs());
    assert!(
        o.message.contains("over 400 requests at 4 concurrent"),
        "{o:?}"
    );
    // Without the CA every handshake is refused: an error that says why.
    let o = run_check(
        "load.latency-under-load",
        json!({"path": "/health", "concurrency": 2, "requests": 10, "max_ms": 200}),
        &[format!("{}/", n.https_url())],
        None,
    )
    .await;
    assert_eq!(status(&o), "error", "{o:?}");
    assert!(o.message.contains("(TLS certificate rejected)"), "{o:?}");
}

fn load(url: String, concurrency: usize, duration: Duration, max_requests: u64) -> Load {
    Load {
        url: url.parse().unwrap(),
        concurrency,
        duration,
        max_requests,
        request_timeout: Duration::from_secs(5),
        ca_file: None,
    }
}

/// The generator's two bounds against a server that could go on for ever: the budget of
/// requests, and the duration.
#[tokio::test]
async fn the_load_is_bounded_in_requests_and_in_time() {
    let n = Nginx::start(Conf {
        plain: HEALTH_OK,
        ..Conf::default()
    });
    let url = format!("{}/health", n.http_url());
    for (concurrency, budget) in [(16, 1000), (50, 7), (3, 1)] {
        let r = run(&load(
            url.clone(),
            concurrency,
            Duration::from_secs(30),
            budget,
        ))
        .await
        .unwrap();
        assert_eq!(r.requests, budget, "{}", r.summary());
        assert_eq!(r.errors, 0, "{}", r.summary());
        assert_eq!(r.histogram.len(), budget, "{}", r.summary());
        assert!(r.elapsed < Duration::from_secs(10), "{}", r.summary());
    }
    let start = Instant::now();
    let r = run(&load(url, 16, Duration::from_millis(800), 200_000_000))
        .await
        .unwrap();
    let took = start.elapsed();
    assert!(
        took < Duration::from_millis(1800),
        "took {took:?}: {}",
        r.summary()
    );
    assert!(r.elapsed >= Duration::from_millis(700), "{}", r.summary());
    assert!(r.requests > 0 && r.errors == 0, "{}", r.summary());
    assert_eq!(r.histogram.len(), r.requests, "{}", r.summary());
}
