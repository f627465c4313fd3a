//! The shared vocabulary and the checks cannot drift apart: every concept's canonical wording
//! is one that some check's binder listens for (its trigger words), so a synonym rewritten
//! into it reaches a check. Concepts that only tidy wording every check shares are named here.

use gonogo_engine::understand::vocabulary;

/// Concepts whose canonical words are shared vocabulary, not any one check's, or context
/// binders read beside their own trigger words ("hardcoded", "kubernetes", "concurrent
/// users", "not expiring within", "ignored by git").
const SHARED: &[&str] = &[
    "hardcoded",
    "concurrent-users",
    "expiry",
    "kubernetes",
    "git-ignored",
    "every",
    "enabled",
    "disabled",
    "documentation",
    "architecture",
    "production",
    "repository",
    "configuration",
    "credentials",
    "passwords",
    "connections",
    "dependencies",
    "returns",
    "containers",
];

#[test]
fn every_canonical_wording_reaches_a_check() {
    let catalogue = gonogo_checks::catalogue();
    let triggers: Vec<String> = catalogue
        .iter()
        .flat_map(|c| c.triggers())
        .map(|t| t.to_ascii_lowercase())
        .collect();
    let mut orphans = Vec::new();
    for concept in &vocabulary().concepts {
        if SHARED.contains(&concept.id.as_str()) {
            continue;
        }
        let canonical = concept.canonical.to_ascii_lowercase();
        if !triggers.iter().any(|t| canonical.contains(t.as_str())) {
            orphans.push(format!("{} (\"{}\")", concept.id, concept.canonical));
        }
    }
    assert!(
        orphans.is_empty(),
        "no check listens for these canonical wordings: {}",
        orphans.join(", ")
    );
    for id in SHARED {
        assert!(
            vocabulary().concepts.iter().any(|c| c.id == *id),
            "SHARED names `{id}`, which the vocabulary no longer has"
        );
    }
}

#[test]
fn rewritten_items_bind_the_checks_their_canonical_words_name() {
    // A few synonyms end to end: the rewrite and the binders agree.
    use gonogo_engine::bind::bind_all;
    use gonogo_engine::config::Config;
    use gonogo_engine::parse::parse_str;
    let cases = [
        (
            "Workloads must run with a non-privileged account",
            "docker.non-root-user",
        ),
        (
            "Anonymous requests to /admin are refused",
            "http.auth-required",
        ),
        (
            "Requests over the quota get HTTP 429 responses",
            "http.rate-limited",
        ),
        ("Health probe at /livez answers 200", "http.health-endpoint"),
        ("Pod disruption budgets for every deployment", "k8s.pdb"),
        (
            "Automatic dependency upgrades are on",
            "repo.dependency-updates",
        ),
    ];
    let mut wrong = Vec::new();
    for (wording, check) in cases {
        let cl = parse_str(&format!("- [ ] {wording}\n"), "v.md")
            .unwrap()
            .checklist;
        let b = bind_all(&[cl], &gonogo_checks::catalogue(), &Config::default()).unwrap();
        let ids: Vec<&str> = b[0][0].bindings.iter().map(|x| x.check.id).collect();
        if !ids.contains(&check) {
            wrong.push(format!("{wording:?} → {ids:?}, expected {check}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_declared_concept_is_in_the_vocabulary() {
    let v = vocabulary();
    let mut unknown = Vec::new();
    for check in gonogo_checks::catalogue().iter() {
        for id in check.concepts() {
            if !v.concepts.iter().any(|c| c.id == *id) {
                unknown.push(format!("{}: {id}", check.meta().id));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "concepts no vocabulary entry has: {unknown:?}"
    );
}

/// The checks bound to each item of `md`, in file order.
fn bound(md: &str) -> Vec<Vec<&'static str>> {
    use gonogo_engine::bind::bind_all;
    use gonogo_engine::config::Config;
    let cl = gonogo_engine::parse::parse_str(md, "t.md")
        .unwrap()
        .checklist;
    let b = bind_all(&[cl], &gonogo_checks::catalogue(), &Config::default()).unwrap();
    b[0].iter()
        .map(|ib| {
            let mut ids: Vec<&'static str> = ib.bindings.iter().map(|x| x.check.id).collect();
            ids.sort();
            ids
        })
        .collect()
}

#[test]
fn an_item_naming_only_a_declared_concept_binds_its_check() {
    let got = bound(
        "- [ ] Networking policies\n- [ ] Alerting strategy in place\n- [ ] Alerting strategy written for the auditors\n- [ ] Network policies disabled in staging\n",
    );
    assert_eq!(got[0], ["k8s.network-policy"]);
    assert_eq!(got[1], ["obs.alert-rules"]);
    assert!(got[2].is_empty(), "{:?}", got[2]);
    assert!(got[3].is_empty(), "{:?}", got[3]);
}

#[test]
fn a_heading_keeps_the_check_its_sub_items_bind_and_drops_others() {
    let got = bound(
        "- [ ] SAST implementation\n  - [ ] SAST runs on every pull request\n- [ ] TLS\n  - [ ] TLS 1.2 minimum\n",
    );
    assert_eq!(got[0], ["ci.security-scan-step"]);
    assert_eq!(got[1], ["ci.security-scan-step"]);
    assert!(got[2].is_empty(), "{:?}", got[2]);
    assert_eq!(got[3], ["tls.protocol-versions"]);
}

#[test]
fn kept_in_version_control_is_shown_only_by_checks_that_read_the_repository() {
    let got = bound(
        "- [ ] Alert rules version controlled\n- [ ] Alert rules checked into git\n- [ ] Rate limiting version controlled\n",
    );
    assert_eq!(got[0], ["obs.alert-rules"]);
    assert_eq!(got[1], ["obs.alert-rules"]);
    assert!(got[2].is_empty(), "{:?}", got[2]);
}
