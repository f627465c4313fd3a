//! gonogo's store: one append-only ledger of runs, sign-offs and waivers, each entry carrying
//! the hash of the one before, in SQLite (default, `.gonogo/gonogo.db` under the repository)
//! or PostgreSQL (`postgres://…`).
//!
//! Backends only append and read entries; everything else (history, diff, attestations,
//! verification) is computed here from the entries, identically for both.

mod pg;
mod sqlite;
pub mod views;

use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The schema version this build writes; older stores are migrated up to it.
pub const SCHEMA_VERSION: i64 = 2;
/// The store's default place under the repository.
pub const DEFAULT_PATH: &str = ".gonogo/gonogo.db";

/// Entry kinds.
pub const RUN: &str = "run";
pub const SIGNOFF: &str = "signoff";
pub const WAIVER: &str = "waiver";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The path or URL cannot be a store (bad input).
    #[error("{place}: {why}")]
    Invalid { place: String, why: String },
    /// It is a database, but not gonogo's.
    #[error("{place}: not a gonogo store ({why}); refusing to touch it")]
    Foreign { place: String, why: String },
    /// Written by a newer gonogo.
    #[error(
        "{place}: store schema version {found} is newer than this gonogo understands ({SCHEMA_VERSION}); upgrade gonogo"
    )]
    Newer { place: String, found: i64 },
    #[error("{place}: {why}")]
    Backend { place: String, why: String },
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// One ledger entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub kind: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Canonical JSON (keys sorted, no spaces): exactly the bytes that were hashed.
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.payload).unwrap_or(Value::Null)
    }
}

/// sha256 over the previous hash and everything the entry says.
pub fn entry_hash(prev_hash: &str, seq: i64, kind: &str, created_at: i64, payload: &str) -> String {
    let mut h = Sha256::new();
    h.update(format!("{prev_hash}\n{seq}\n{kind}\n{created_at}\n").as_bytes());
    h.update(payload.as_bytes());
    gonogo_engine::hex::hex(&h.finalize())
}

/// JSON with object keys sorted at every level and no insignificant whitespace.
pub fn canonical(v: &Value) -> String {
    fn sort(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                Value::Object(keys.into_iter().map(|k| (k.clone(), sort(&m[k]))).collect())
            }
            Value::Array(a) => Value::Array(a.iter().map(sort).collect()),
            other => other.clone(),
        }
    }
    serde_json::to_string(&sort(v)).unwrap_or_default()
}

/// Where the store is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Location {
    /// `--store` as given, or the default under the repository.
    pub fn resolve(spec: Option<&str>, repo: &Path) -> Location {
        match spec {
            Some(s) if s.starts_with("postgres://") || s.starts_with("postgresql://") => {
                Location::Postgres(s.to_string())
            }
            Some(s) => Location::Sqlite(PathBuf::from(s.strip_prefix("sqlite://").unwrap_or(s))),
            None => Location::Sqlite(repo.join(DEFAULT_PATH)),
        }
    }

    /// For messages and records: credentials masked.
    pub fn display(&self) -> String {
        match self {
            Location::Sqlite(p) => p.display().to_string(),
            Location::Postgres(u) => gonogo_engine::redact::redact(u),
        }
    }
}

/// An open store.
pub enum Store {
    Sqlite(sqlite::Db),
    Postgres(pg::Db),
}

impl Store {
    /// Opens (creating and migrating as needed) the store at `loc`. `create_dir`: create the
    /// SQLite file's directory if missing (for the default location only).
    pub async fn open(loc: &Location, create_dir: bool) -> Result<Store> {
        match loc {
            Location::Sqlite(p) => Ok(Store::Sqlite(sqlite::Db::open(p, create_dir)?)),
            Location::Postgres(u) => Ok(Store::Postgres(pg::Db::open(u).await?)),
        }
    }

    /// Appends one entry, chained to the current head; concurrent appends are serialised.
    pub async fn append(&self, kind: &str, payload: &Value) -> Result<Entry> {
        let payload = canonical(payload);
        let now = now();
        match self {
            Store::Sqlite(d) => d.append(kind, now, &payload),
            Store::Postgres(d) => d.append(kind, now, &payload).await,
        }
    }

    /// Every entry in sequence order, and the head (seq, hash) the store records.
    pub async fn read(&self) -> Result<(Vec<Entry>, (i64, String))> {
        match self {
            Store::Sqlite(d) => d.read(""),
            Store::Postgres(d) => d.read("").await,
        }
    }

    /// What a decision needs, without the whole history: every sign-off and waiver, and the
    /// latest run (served by the `(kind, seq)` index).
    pub async fn read_for_decide(&self) -> Result<Vec<Entry>> {
        const FILTER: &str = "WHERE kind IN ('signoff', 'waiver') OR seq = (SELECT max(seq) FROM gonogo_ledger WHERE kind = 'run')";
        match self {
            Store::Sqlite(d) => d.read(FILTER).map(|r| r.0),
            Store::Postgres(d) => d.read(FILTER).await.map(|r| r.0),
        }
    }
}

/// Unix seconds now; `GONOGO_NOW` (unix seconds) overrides it, for tests of expiry.
pub fn now() -> i64 {
    if let Some(n) = std::env::var("GONOGO_NOW")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return n;
    }
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The first entry that does not hold, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tamper {
    /// The entry named (for a deletion: the sequence number that is missing).
    pub seq: i64,
    pub what: String,
}

/// Walks the chain: every sequence number present, every link pointing at the entry before,
/// every hash matching its content, the recorded head matching the last entry.
pub fn verify(entries: &[Entry], head: &(i64, String)) -> std::result::Result<usize, Tamper> {
    let mut prev = GENESIS.to_string();
    let mut expect = 1;
    for e in entries {
        if e.seq != expect {
            return Err(Tamper {
                seq: expect,
                what: if e.seq > expect {
                    format!(
                        "entry {expect} is missing (deleted); the ledger jumps to entry {}",
                        e.seq
                    )
                } else {
                    format!("entry {} appears out of order", e.seq)
                },
            });
        }
        if e.prev_hash != prev {
            return Err(Tamper {
                seq: e.seq,
                what: format!(
                    "entry {} ({}) does not link to entry {}: entries were reordered, or the one before it was altered",
                    e.seq,
                    e.kind,
                    e.seq - 1
                ),
            });
        }
        let h = entry_hash(&e.prev_hash, e.seq, &e.kind, e.created_at, &e.payload);
        if h != e.hash {
            return Err(Tamper {
                seq: e.seq,
                what: format!(
                    "entry {} ({}, {}) was edited: its content no longer matches its hash",
                    e.seq,
                    e.kind,
                    gonogo_engine::attest::date_time(e.created_at)
                ),
            });
        }
        prev = e.hash.clone();
        expect += 1;
    }
    let last = expect - 1;
    if head.0 > last {
        return Err(Tamper {
            seq: last + 1,
            what: if head.0 == last + 1 {
                format!(
                    "entry {} is missing (deleted): the ledger's head says it exists",
                    last + 1
                )
            } else {
                format!(
                    "entries {} to {} are missing (deleted): the ledger's head says they exist",
                    last + 1,
                    head.0
                )
            },
        });
    }
    if head.0 != last || head.1 != prev {
        return Err(Tamper {
            seq: last,
            what: format!(
                "the ledger's head does not match entry {last}: the last entry was altered or replaced"
            ),
        });
    }
    Ok(entries.len())
}

#[doc(hidden)]
pub use pg::MIGRATIONS as PG_MIGRATIONS;
#[doc(hidden)]
pub use sqlite::create_at_version as sqlite_create_at_version;

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> (Vec<Entry>, (i64, String)) {
        let mut prev = GENESIS.to_string();
        let mut out = Vec::new();
        for seq in 1..=n {
            let payload = canonical(&serde_json::json!({ "n": seq, "by": "ada" }));
            let hash = entry_hash(&prev, seq, RUN, 1_000 + seq, &payload);
            out.push(Entry {
                seq,
                kind: RUN.into(),
                created_at: 1_000 + seq,
                payload,
                prev_hash: prev,
                hash: hash.clone(),
            });
            prev = hash;
        }
        (out, (n, prev))
    }

    #[test]
    fn an_intact_chain_verifies() {
        let (e, head) = chain(4);
        assert_eq!(verify(&e, &head), Ok(4));
        assert_eq!(verify(&[], &(0, GENESIS.into())), Ok(0));
    }

    #[test]
    fn each_kind_of_tampering_names_its_entry() {
        let (mut e, head) = chain(4);
        e[1].payload = e[1].payload.replace("ada", "eve");
        let t = verify(&e, &head).unwrap_err();
        assert_eq!(t.seq, 2);
        assert!(t.what.contains("edited"), "{}", t.what);

        let (mut e, head) = chain(4);
        e.remove(2);
        let t = verify(&e, &head).unwrap_err();
        assert_eq!((t.seq, t.what.contains("missing")), (3, true), "{}", t.what);

        let (mut e, head) = chain(4);
        e.pop();
        let t = verify(&e, &head).unwrap_err();
        assert_eq!((t.seq, t.what.contains("missing")), (4, true), "{}", t.what);

        let (mut e, head) = chain(4);
        e.swap(1, 2);
        e[1].seq = 2;
        e[2].seq = 3;
        let t = verify(&e, &head).unwrap_err();
        assert_eq!(t.seq, 2, "{}", t.what);

        // Rewriting an entry and its hash breaks the next link.
        let (mut e, head) = chain(4);
        e[1].payload = e[1].payload.replace("ada", "eve");
        e[1].hash = entry_hash(&e[1].prev_hash, 2, RUN, e[1].created_at, &e[1].payload);
        let t = verify(&e, &head).unwrap_err();
        assert_eq!(t.seq, 3, "{}", t.what);
        assert!(t.what.contains("does not link to entry 2"), "{}", t.what);
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let v = serde_json::json!({ "b": 1, "a": { "d": [ { "z": 1, "y": 2 } ], "c": null } });
        assert_eq!(
            canonical(&v),
            r#"{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}"#
        );
    }

    #[test]
    fn store_locations_resolve_and_mask() {
        let repo = Path::new("/r");
        assert_eq!(
            Location::resolve(None, repo),
            Location::Sqlite(PathBuf::from("/r/.gonogo/gonogo.db"))
        );
        let url = "postgres://u:supersecretpw@h/db"; // gonogo:allow-secret (made up for the test)
        let pg = Location::resolve(Some(url), repo);
        assert!(matches!(pg, Location::Postgres(_)));
        assert!(!pg.display().contains("supersecretpw"));
    }
}
