//! SQLite backend (rusqlite, bundled SQLite): WAL mode, `synchronous=FULL`, appends under
//! `BEGIN IMMEDIATE` so concurrent writers queue instead of interleaving. The file is marked
//! with `PRAGMA application_id`; a database without the mark that already holds tables is
//! refused.

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior};

use crate::{Entry, GENESIS, Result, SCHEMA_VERSION, StoreError, entry_hash};

/// "gngo" — marks the file as gonogo's.
pub const APPLICATION_ID: i32 = 0x676e_676f;

/// Schema migrations; index `n` takes version `n` to `n + 1`.
pub const MIGRATIONS: &[&str] = &[
    "CREATE TABLE gonogo_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE gonogo_ledger (
         seq INTEGER PRIMARY KEY,
         kind TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         payload TEXT NOT NULL,
         prev_hash TEXT NOT NULL,
         hash TEXT NOT NULL
     );
     INSERT INTO gonogo_meta (key, value) VALUES ('application', 'gonogo');
     INSERT INTO gonogo_meta (key, value) VALUES ('head', '0 0000000000000000000000000000000000000000000000000000000000000000');",
    "CREATE INDEX gonogo_ledger_kind ON gonogo_ledger (kind, seq);",
];

pub struct Db {
    conn: Mutex<Connection>,
    place: String,
}

fn err(place: &str, e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        if f.code == ErrorCode::NotADatabase {
            return StoreError::Foreign {
                place: place.into(),
                why: "the file is not a SQLite database".into(),
            };
        }
        if f.code == ErrorCode::CannotOpen || f.code == ErrorCode::ReadOnly {
            return StoreError::Invalid {
                place: place.into(),
                why: format!("cannot open or write the store: {e}"),
            };
        }
    }
    StoreError::Backend {
        place: place.into(),
        why: e.to_string(),
    }
}

fn busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
}

/// Retries `f` while SQLite says another writer holds the database.
fn retry<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let mut tries = 0;
    loop {
        match f() {
            Err(e) if busy(&e) && tries < 50 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(20 + 10 * tries));
            }
            other => return other,
        }
    }
}

impl Db {
    pub fn open(path: &Path, create_dir: bool) -> Result<Db> {
        let place = path.display().to_string();
        let invalid = |why: String| StoreError::Invalid {
            place: place.clone(),
            why,
        };
        if path.is_dir() {
            return Err(invalid(
                "is a directory; give a file path for the store".into(),
            ));
        }
        if let Some(dir) = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
        {
            if !create_dir {
                return Err(invalid(format!(
                    "directory {} does not exist",
                    dir.display()
                )));
            }
            std::fs::create_dir_all(dir)
                .map_err(|e| invalid(format!("cannot create {}: {e}", dir.display())))?;
            // The store is local state, not source: keep it out of git.
            let _ = std::fs::write(dir.join(".gitignore"), "*\n");
        }
        let conn = Connection::open(path).map_err(|e| err(&place, e))?;
        conn.busy_timeout(Duration::from_secs(30))
            .map_err(|e| err(&place, e))?;
        let db = Db {
            conn: Mutex::new(conn),
            place,
        };
        db.check_foreign()?;
        db.init()?;
        Ok(db)
    }

    fn check_foreign(&self) -> Result<()> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let app: i32 = retry(|| conn.query_row("PRAGMA application_id", [], |r| r.get(0)))
            .map_err(|e| err(&self.place, e))?;
        if app != 0 && app != APPLICATION_ID {
            return Err(StoreError::Foreign {
                place: self.place.clone(),
                why: format!("its application_id is {app:#x}, another program's"),
            });
        }
        Ok(())
    }

    fn init(&self) -> Result<()> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        retry(|| conn.pragma_update(None, "journal_mode", "WAL"))
            .map_err(|e| err(&self.place, e))?;
        retry(|| conn.pragma_update(None, "synchronous", "FULL"))
            .map_err(|e| err(&self.place, e))?;
        let place = self.place.clone();
        let res = retry(|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let app: i32 = tx.query_row("PRAGMA application_id", [], |r| r.get(0))?;
            let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if app == 0 {
                let tables: i64 = tx.query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                    [],
                    |r| r.get(0),
                )?;
                if tables > 0 {
                    return Ok(Err(StoreError::Foreign {
                        place: place.clone(),
                        why: "it is a SQLite database holding another program's tables".into(),
                    }));
                }
                tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            }
            if version > SCHEMA_VERSION {
                return Ok(Err(StoreError::Newer {
                    place: place.clone(),
                    found: version,
                }));
            }
            for (v, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
                tx.execute_batch(sql)?;
                tx.pragma_update(None, "user_version", v as i64 + 1)?;
            }
            tx.commit()?;
            Ok(Ok(()))
        });
        res.map_err(|e| err(&self.place, e))?
    }

    pub fn append(&self, kind: &str, created_at: i64, payload: &str) -> Result<Entry> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        retry(|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let head: String = tx.query_row(
                "SELECT value FROM gonogo_meta WHERE key = 'head'",
                [],
                |r| r.get(0),
            )?;
            let (seq, prev) = parse_head(&head);
            let seq = seq + 1;
            let hash = entry_hash(&prev, seq, kind, created_at, payload);
            tx.execute(
                "INSERT INTO gonogo_ledger (seq, kind, created_at, payload, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![seq, kind, created_at, payload, prev, hash],
            )?;
            tx.execute(
                "UPDATE gonogo_meta SET value = ?1 WHERE key = 'head'",
                [format!("{seq} {hash}")],
            )?;
            tx.commit()?;
            Ok(Entry {
                seq,
                kind: kind.into(),
                created_at,
                payload: payload.into(),
                prev_hash: prev,
                hash,
            })
        })
        .map_err(|e| err(&self.place, e))
    }

    pub fn read(&self, filter: &str) -> Result<(Vec<Entry>, (i64, String))> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        retry(|| {
            // One read transaction: entries and head from the same snapshot.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let head: Option<String> = tx
                .query_row("SELECT value FROM gonogo_meta WHERE key = 'head'", [], |r| r.get(0))
                .optional()?;
            let mut stmt = tx.prepare(
                &format!(
                    "SELECT seq, kind, created_at, payload, prev_hash, hash FROM gonogo_ledger {filter} ORDER BY seq"
                ),
            )?;
            let entries = stmt
                .query_map([], |r| {
                    Ok(Entry {
                        seq: r.get(0)?,
                        kind: r.get(1)?,
                        created_at: r.get(2)?,
                        payload: r.get(3)?,
                        prev_hash: r.get(4)?,
                        hash: r.get(5)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            drop(stmt);
            tx.commit()?;
            Ok((entries, parse_head(head.as_deref().unwrap_or(""))))
        })
        .map_err(|e| err(&self.place, e))
    }
}

/// `"SEQ HASH"` → (seq, hash); anything else reads as the empty ledger's head.
pub(crate) fn parse_head(s: &str) -> (i64, String) {
    s.split_once(' ')
        .and_then(|(n, h)| Some((n.parse().ok()?, h.to_string())))
        .unwrap_or((0, GENESIS.to_string()))
}

/// Creates a store at schema `version` only (for tests of migration from older versions).
#[doc(hidden)]
pub fn create_at_version(path: &Path, version: usize) -> rusqlite::Result<()> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    for sql in &MIGRATIONS[..version] {
        conn.execute_batch(sql)?;
    }
    conn.pragma_update(None, "user_version", version as i64)?;
    Ok(())
}
