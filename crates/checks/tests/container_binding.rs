//! Container checks bind sub-items by their parent's context ("Health checks configured" under
//! "Docker configuration") and stay away from the same words elsewhere.

use gonogo_engine::bind::bind_all;
use gonogo_engine::config::Config;
use gonogo_engine::parse::parse_str;

/// The checks bound to each item of `md`, in file order.
fn bound(md: &str) -> Vec<(String, Vec<&'static str>)> {
    let cl = parse_str(md, "t.md").unwrap().checklist;
    let texts: Vec<String> = cl.items.iter().map(|i| i.text.clone()).collect();
    let b = bind_all(&[cl], &gonogo_checks::catalogue(), &Config::default()).unwrap();
    texts
        .into_iter()
        .zip(b[0].iter())
        .map(|(t, ib)| {
            let mut ids: Vec<&'static str> = ib.bindings.iter().map(|x| x.check.id).collect();
            ids.sort();
            (t, ids)
        })
        .collect()
}

#[test]
fn docker_configuration_sub_items_bind_by_their_parent() {
    let got = bound(
        "- [ ] Docker configuration\n  - [ ] Images built successfully\n  - [ ] Resource limits set\n  - [ ] Health checks configured\n  - [ ] Restart policies defined\n",
    );
    let ids = |t: &str| {
        got.iter()
            .find(|(x, _)| x == t)
            .unwrap_or_else(|| panic!("{t} in {got:?}"))
            .1
            .clone()
    };
    assert_eq!(ids("Docker configuration"), Vec::<&str>::new());
    assert_eq!(ids("Images built successfully"), Vec::<&str>::new());
    // Limits under Docker are the Compose file's, and the pods' when the containers run
    // under Kubernetes (k8s.resources is skipped without manifests).
    assert_eq!(
        ids("Resource limits set"),
        vec!["compose.resource-limits", "k8s.resources"]
    );
    assert_eq!(
        ids("Health checks configured"),
        vec!["compose.healthchecks", "docker.healthcheck"]
    );
    assert_eq!(
        ids("Restart policies defined"),
        vec!["compose.restart-policy"]
    );
}

#[test]
fn the_same_words_under_other_parents_do_not_bind() {
    let got = bound(
        "- [ ] Kubernetes deployment\n  - [ ] Resource limits set\n  - [ ] Health checks configured\n- [ ] Resource limits set\n- [ ] Health checks configured\n",
    );
    for (t, ids) in &got {
        assert!(
            ids.iter()
                .all(|id| !id.starts_with("docker.") && !id.starts_with("compose.")),
            "{t} bound {ids:?}"
        );
    }
}

#[test]
fn compose_parent_binds_compose_checks_only() {
    let got = bound(
        "- [ ] Docker Compose\n  - [ ] Health checks for all services\n  - [ ] Memory limits\n",
    );
    assert_eq!(got[1].1, vec!["compose.healthchecks"]);
    assert_eq!(got[2].1, vec!["compose.resource-limits"]);
}

#[test]
fn the_nearest_heading_names_which_containers_an_item_means() {
    use gonogo_engine::bind::bind_all;
    use gonogo_engine::config::Config;
    use gonogo_engine::parse::parse_str;
    let src = "# Ops\n## Docker\n- [ ] Add health checks.\n- [ ] Set memory limits\n## Kubernetes\n### Resource management\n- [ ] Every workload has limits for memory\n## TLS\n- [ ] TLS\n  - [ ] TLS 1.2 minimum\n";
    let cl = parse_str(src, "c.md").unwrap().checklist;
    let b = bind_all(
        std::slice::from_ref(&cl),
        &gonogo_checks::catalogue(),
        &Config::default(),
    )
    .unwrap()
    .remove(0);
    let ids = |i: usize| -> Vec<&str> { b[i].bindings.iter().map(|x| x.check.id).collect() };
    assert!(ids(0).contains(&"docker.healthcheck"), "{:?}", ids(0));
    assert!(!ids(0).contains(&"http.health-endpoint"), "{:?}", ids(0));
    assert_eq!(ids(1), ["compose.resource-limits", "k8s.resources"]);
    assert_eq!(ids(2), ["k8s.resources"]);
    // A bare heading-like parent binds nothing; its sub-item does.
    assert!(ids(3).is_empty(), "{:?}", ids(3));
    assert_eq!(ids(4), ["tls.protocol-versions"]);
}

#[test]
fn namespace_objects_are_read_from_the_item_not_its_canonical_words() {
    // The vocabulary writes ResourceQuota and LimitRange as one concept; the parameter still
    // names what the item asks for.
    let src = "- [ ] Every namespace has a ResourceQuota and a LimitRange\n- [ ] LimitRange per namespace\n- [ ] Namespace quotas set\n";
    let cl = parse_str(src, "q.md").unwrap().checklist;
    let b = bind_all(&[cl], &gonogo_checks::catalogue(), &Config::default())
        .unwrap()
        .remove(0);
    let objects = |i: usize| -> serde_json::Value {
        let x = b[i]
            .bindings
            .iter()
            .find(|x| x.check.id == "k8s.namespace-quotas")
            .unwrap_or_else(|| panic!("item {i} not bound to k8s.namespace-quotas"));
        x.params["objects"].clone()
    };
    assert_eq!(
        objects(0),
        serde_json::json!(["ResourceQuota", "LimitRange"])
    );
    assert_eq!(objects(1), serde_json::json!(["LimitRange"]));
    assert_eq!(objects(2), serde_json::json!(["ResourceQuota"]));
}

#[test]
fn checks_that_each_decline_for_the_others_words_cover_an_item_jointly() {
    let got = bound(
        "- [ ] A /healthz endpoint for the liveness probe\n- [ ] Health dashboard for the API\n- [ ] Identify KPIs and metrics\n- [ ] Is contract testing automated and part of the CI/CD process?\n",
    );
    // The endpoint is the health check's, the probe Kubernetes': together they cover it.
    assert_eq!(got[0].1, vec!["http.health-endpoint", "k8s.probes"]);
    // A dashboard of health is a dashboard: the health endpoint is not asked for.
    assert!(!got[1].1.contains(&"http.health-endpoint"), "{:?}", got[1]);
    // An act the item opens with governs the nouns listed after it.
    assert!(got[2].1.is_empty(), "{:?}", got[2]);
    // A kind of testing of its own is not shown by CI running the tests.
    assert!(
        !got[3].1.contains(&"ci.tests-on-pull-requests"),
        "{:?}",
        got[3]
    );
}

#[test]
fn kubernetes_checks_stay_away_from_other_platforms() {
    let got = bound(
        "- [ ] EC2 instances are spread across availability zones\n- [ ] ECS services run at least two tasks\n- [ ] EKS pods are spread across availability zones\n- [ ] We understand the implications to data persistence, backup and recovery\n",
    );
    assert!(got[0].1.is_empty(), "{:?}", got[0]);
    assert!(got[1].1.is_empty(), "{:?}", got[1]);
    // Kubernetes managed by a cloud is still Kubernetes.
    assert_eq!(got[2].1, vec!["k8s.anti-affinity"]);
    // "backup" listed after "understand …" is to be understood, not a backup check.
    assert!(got[3].1.is_empty(), "{:?}", got[3]);
}

#[test]
fn the_checklist_title_names_the_platform_for_every_item() {
    let aws = bound(
        "# Production Readiness Guide: AWS\n\n# Resilience\n\n- [ ] Does the team leverage Auto Scaling for automated instance recovery?\n",
    );
    assert!(aws[0].1.iter().all(|id| !id.starts_with("k8s.")), "{aws:?}");
    let eks = bound(
        "# Production Readiness Guide: AWS EKS\n\n# Resilience\n\n- [ ] Horizontal pod autoscaling configured\n",
    );
    assert_eq!(eks[0].1, vec!["k8s.hpa"]);
}
