//! Binding of live HTTP checks where the context decides: parents, sub-items, code blocks,
//! a table elsewhere in the checklist.

use gonogo_engine::bind::bind_all;
use gonogo_engine::config::Config;
use gonogo_engine::parse::parse_str;

/// (item text, [(check id, params as JSON)]) for every item of the document.
fn bound(doc: &str) -> Vec<(String, Vec<(String, String)>)> {
    let cl = parse_str(doc, "doc.md").unwrap().checklist;
    let b = bind_all(
        std::slice::from_ref(&cl),
        &gonogo_checks::catalogue(),
        &Config::default(),
    )
    .unwrap();
    cl.items
        .iter()
        .zip(&b[0])
        .map(|(item, ib)| {
            (
                item.text.clone(),
                ib.bindings
                    .iter()
                    .filter(|x| !x.check.id.starts_with("exec."))
                    .map(|x| {
                        (
                            x.check.id.to_string(),
                            serde_json::to_string(&x.params).unwrap(),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn health_checks_under_docker_configuration_are_config_not_live() {
    let got = bound("- [ ] Docker configuration\n  - [ ] Health checks configured\n");
    // Bound to the container checks (configuration), never to a live HTTP check.
    assert!(
        got[1].1.iter().all(|(id, _)| !id.starts_with("http.")),
        "{got:?}"
    );
    assert!(!got[1].1.is_empty(), "{got:?}");
    let got = bound("- [ ] API deployment\n  - [ ] Health checks working\n");
    assert_eq!(got[1].1[0].0, "http.health-endpoint");
}

#[test]
fn a_load_test_command_on_health_is_not_a_health_item() {
    let doc = "- [ ] Load testing completed\n  ```bash\n  ab -n 100 -c 10 http://localhost:8000/health\n  ```\n";
    let got = bound(doc);
    assert!(got[0].1.is_empty(), "{got:?}");
}

#[test]
fn the_expected_body_comes_from_the_items_code_block() {
    let doc = "- [ ] **Health check endpoint**\n  ```bash\n  curl http://localhost:8000/health\n  # Expected: {\"status\": \"healthy\", \"database\": \"connected\"}\n  ```\n";
    let got = bound(doc);
    let (id, params) = &got[0].1[0];
    assert_eq!(id, "http.health-endpoint");
    assert!(params.contains(r#"\"database\":\"connected\""#), "{params}");
    assert!(params.contains("/health"), "{params}");
}

#[test]
fn a_table_in_another_section_states_each_endpoints_response() {
    let doc = "# Ops\n\n| Endpoint | Purpose | Expected Response |\n|---|---|---|\n| `GET /health` | Basic | `{\"status\": \"healthy\"}` |\n| `GET /readyz` | Readiness | `200 OK` |\n| `GET /metrics` | Metrics | Prometheus format |\n\n# Go-live\n\n- [ ] Health checks passing\n";
    let got = bound(doc);
    let params: Vec<&String> = got[0].1.iter().map(|(_, p)| p).collect();
    assert_eq!(params.len(), 2, "{params:?}");
    assert!(params[0].contains("healthy") && params[0].contains("/health"));
    assert!(params[1].contains("/readyz") && params[1].contains("\"status\":200"));
}

#[test]
fn security_headers_with_one_sub_item_per_header_are_judged_by_those() {
    let got = bound(
        "- [ ] Security headers configured\n  - [ ] X-Frame-Options\n  - [ ] Content-Security-Policy\n",
    );
    assert!(got[0].1.is_empty(), "{got:?}");
    assert!(got[1].1[0].1.contains("frame-options"));
    assert!(got[2].1[0].1.contains("csp"));
}

#[test]
fn a_stated_rate_limit_sizes_the_burst() {
    let got = bound("- [ ] API rate limiting (100 requests per minute)\n");
    let (id, params) = &got[0].1[0];
    assert_eq!(id, "http.rate-limited");
    assert!(params.contains("\"requests\":111"), "{params}");
    assert!(params.contains("\"within\":60000"), "{params}");
    let got = bound("- [ ] Rate limit of 50000 requests per hour\n");
    assert!(got[0].1.is_empty(), "{got:?}");
}

#[test]
fn tls_thresholds_come_from_the_wording() {
    let got =
        bound("- [ ] TLS certificates valid and not expiring within 14 days\n- [ ] TLS 1.3 only\n");
    assert!(got[0].1[0].1.contains("\"days\":14"), "{got:?}");
    assert!(got[1].1[0].1.contains("\"min_version\":\"1.3\""), "{got:?}");
}
