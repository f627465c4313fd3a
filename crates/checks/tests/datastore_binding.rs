//! Datastore items bind with the numbers they state: the pooler's pool size (issue 6), and the
//! wordings around them do not.

use gonogo_engine::bind::{ItemBindings, bind_all};
use gonogo_engine::config::Config;
use gonogo_engine::parse::parse_str;
use serde_json::{Value, json};

fn bind(src: &str) -> Vec<ItemBindings> {
    let cl = parse_str(src, "c.md").unwrap().checklist;
    bind_all(
        std::slice::from_ref(&cl),
        &gonogo_checks::catalogue(),
        &Config::default(),
    )
    .unwrap()
    .remove(0)
}

fn params_of(b: &ItemBindings, check: &str) -> Option<Value> {
    b.bindings
        .iter()
        .find(|x| x.check.id == check)
        .map(|x| serde_json::to_value(&x.params).unwrap())
}

#[test]
fn a_named_pooler_with_a_number_binds_its_pool_size() {
    let b = bind(
        "# C\n## Database\n- [ ] Connection pooling configured (PgBouncer, 50 connections)\n- [ ] PgBouncer pool size 20\n- [ ] PgBouncer max_client_conn = 2000\n- [ ] Connection pooling configured (PgBouncer)\n",
    );
    assert_eq!(
        params_of(&b[0], "postgres.pooler-pool-size"),
        Some(json!({"pool_size": 50, "max_client_conn": 50}))
    );
    // The server must still accept what the pooler opens: max_connections binds beside it.
    assert!(params_of(&b[0], "postgres.max-connections").is_some());
    assert_eq!(
        params_of(&b[1], "postgres.pooler-pool-size"),
        Some(json!({"pool_size": 20}))
    );
    assert_eq!(
        params_of(&b[2], "postgres.pooler-pool-size"),
        Some(json!({"max_client_conn": 2000}))
    );
    assert_eq!(params_of(&b[3], "postgres.pooler-pool-size"), None);
}

#[test]
fn other_poolers_are_declined_with_the_reason() {
    let b = bind("- [ ] Pgpool-II configured with 50 connections\n- [ ] Odyssey pool size 40\n");
    for (i, name) in [(0, "Pgpool-II"), (1, "Odyssey")] {
        assert!(b[i].bindings.is_empty(), "{:?}", b[i].bindings);
        let why = b[i].manual_reason.as_deref().unwrap_or_default();
        assert!(
            why.contains(name) && why.contains("PgBouncer only"),
            "{why}"
        );
    }
}
