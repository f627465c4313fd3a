//! Datastore items bind with the numbers they state: the pooler's pool size and the SQLite
//! cache size (issue 6), and the wordings around them do not.

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

#[test]
fn the_seed_cache_size_item_binds_its_expected_value_and_file() {
    // Seed 003 §3 and §7: the first item *sets* the pragma under a broader claim; the second
    // reads it with an expected value.
    let src = "# C\n### Database Configuration\n- [ ] **Database optimized**\n  ```bash\n  sqlite3 .moai/memory/swarm.db \"PRAGMA journal_mode=WAL;\"\n  sqlite3 .moai/memory/swarm.db \"PRAGMA cache_size=10000;\"\n  ```\n\n### Database Optimization\n- [ ] **Cache size optimized**\n  ```bash\n  sqlite3 .moai/memory/swarm.db \"PRAGMA cache_size;\"\n  # Expected: 10000\n  ```\n";
    let b = bind(src);
    assert_eq!(params_of(&b[0], "sqlite.cache-size"), None);
    assert_eq!(
        params_of(&b[1], "sqlite.cache-size"),
        Some(json!({"cache_size": 10000, "path": ".moai/memory/swarm.db"}))
    );
}

#[test]
fn cache_sizes_are_read_in_pragma_terms() {
    let b = bind(
        "- [ ] SQLite cache size 64 MB for `data/app.db`\n- [ ] `PRAGMA cache_size = -32000` on every connection\n- [ ] SQLite page cache of 10000 pages\n- [ ] Redis cache size 2GB\n- [ ] PostgreSQL effective_cache_size = 12GB\n",
    );
    assert_eq!(
        params_of(&b[0], "sqlite.cache-size"),
        Some(json!({"cache_size": -62500, "path": "data/app.db"}))
    );
    assert_eq!(
        params_of(&b[1], "sqlite.cache-size"),
        Some(json!({"cache_size": -32000}))
    );
    assert_eq!(
        params_of(&b[2], "sqlite.cache-size"),
        Some(json!({"cache_size": 10000}))
    );
    assert_eq!(params_of(&b[3], "sqlite.cache-size"), None);
    assert_eq!(params_of(&b[4], "sqlite.cache-size"), None);
}
