//! PostgreSQL backend (tokio-postgres, no TLS). Tables `gonogo_meta` and `gonogo_ledger` in
//! the connection's schema; the meta table's `application = gonogo` row marks them as ours.
//! Migrations and appends run under a transaction-scoped advisory lock, so concurrent writers
//! (and concurrent first runs) queue.

use tokio_postgres::{Client, NoTls};

use crate::sqlite::parse_head;
use crate::{Entry, Result, SCHEMA_VERSION, StoreError, entry_hash};

/// Advisory lock key: "gonogo" in ASCII.
const LOCK: i64 = 0x676f_6e6f_676f;

pub const MIGRATIONS: &[&str] = &[
    "CREATE TABLE gonogo_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE gonogo_ledger (
         seq BIGINT PRIMARY KEY,
         kind TEXT NOT NULL,
         created_at BIGINT NOT NULL,
         payload TEXT NOT NULL,
         prev_hash TEXT NOT NULL,
         hash TEXT NOT NULL
     );
     INSERT INTO gonogo_meta (key, value) VALUES ('application', 'gonogo');
     INSERT INTO gonogo_meta (key, value) VALUES ('head', '0 0000000000000000000000000000000000000000000000000000000000000000');
     INSERT INTO gonogo_meta (key, value) VALUES ('schema_version', '0');",
    "CREATE INDEX gonogo_ledger_kind ON gonogo_ledger (kind, seq);",
];

/// The server's own message when there is one ("db error" alone says nothing).
fn message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => {
            let mut s = e.to_string();
            if let Some(src) = std::error::Error::source(e) {
                s = format!("{s}: {src}");
            }
            s
        }
    }
}

pub struct Db {
    client: tokio::sync::Mutex<Client>,
    place: String,
}

impl Db {
    pub async fn open(url: &str) -> Result<Db> {
        let place = gonogo_engine::redact::redact(url);
        let config: tokio_postgres::Config = url.parse().map_err(|e| StoreError::Invalid {
            place: place.clone(),
            why: format!("not a usable PostgreSQL URL: {e}"),
        })?;
        let (client, conn) = config
            .connect(NoTls)
            .await
            .map_err(|e| StoreError::Invalid {
                place: place.clone(),
                why: format!("cannot connect to the store: {}", message(&e)),
            })?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        let db = Db {
            client: tokio::sync::Mutex::new(client),
            place,
        };
        db.init().await?;
        Ok(db)
    }

    fn err(&self, e: tokio_postgres::Error) -> StoreError {
        StoreError::Backend {
            place: self.place.clone(),
            why: message(&e),
        }
    }

    async fn init(&self) -> Result<()> {
        let mut client = self.client.lock().await;
        let tx = client.transaction().await.map_err(|e| self.err(e))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
            .await
            .map_err(|e| self.err(e))?;
        let row = tx
            .query_one(
                "SELECT to_regclass('gonogo_meta') IS NOT NULL, to_regclass('gonogo_ledger') IS NOT NULL",
                &[],
            )
            .await
            .map_err(|e| self.err(e))?;
        let (meta, ledger): (bool, bool) = (row.get(0), row.get(1));
        let version = if meta {
            let rows = tx
                .query("SELECT key, value FROM gonogo_meta", &[])
                .await
                .map_err(|e| self.foreign(format!("its gonogo_meta table is not gonogo's: {e}")))?;
            let get = |k: &str| {
                rows.iter()
                    .find(|r| r.try_get::<_, String>(0).ok().as_deref() == Some(k))
                    .and_then(|r| r.try_get::<_, String>(1).ok())
            };
            if get("application").as_deref() != Some("gonogo") {
                return Err(self.foreign("its gonogo_meta table is not marked as gonogo's".into()));
            }
            get("schema_version")
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(1)
        } else if ledger {
            return Err(self.foreign("it has a gonogo_ledger table but no gonogo_meta".into()));
        } else {
            0
        };
        if version > SCHEMA_VERSION {
            return Err(StoreError::Newer {
                place: self.place.clone(),
                found: version,
            });
        }
        for (v, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.batch_execute(sql).await.map_err(|e| self.err(e))?;
            tx.execute(
                "UPDATE gonogo_meta SET value = $1 WHERE key = 'schema_version'",
                &[&(v as i64 + 1).to_string()],
            )
            .await
            .map_err(|e| self.err(e))?;
        }
        tx.commit().await.map_err(|e| self.err(e))
    }

    fn foreign(&self, why: String) -> StoreError {
        StoreError::Foreign {
            place: self.place.clone(),
            why,
        }
    }

    pub async fn append(&self, kind: &str, created_at: i64, payload: &str) -> Result<Entry> {
        let mut client = self.client.lock().await;
        let tx = client.transaction().await.map_err(|e| self.err(e))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
            .await
            .map_err(|e| self.err(e))?;
        let head: String = tx
            .query_one("SELECT value FROM gonogo_meta WHERE key = 'head'", &[])
            .await
            .map_err(|e| self.err(e))?
            .get(0);
        let (seq, prev) = parse_head(&head);
        let seq = seq + 1;
        let hash = entry_hash(&prev, seq, kind, created_at, payload);
        tx.execute(
            "INSERT INTO gonogo_ledger (seq, kind, created_at, payload, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[&seq, &kind, &created_at, &payload, &prev, &hash],
        )
        .await
        .map_err(|e| self.err(e))?;
        tx.execute(
            "UPDATE gonogo_meta SET value = $1 WHERE key = 'head'",
            &[&format!("{seq} {hash}")],
        )
        .await
        .map_err(|e| self.err(e))?;
        tx.commit().await.map_err(|e| self.err(e))?;
        Ok(Entry {
            seq,
            kind: kind.into(),
            created_at,
            payload: payload.into(),
            prev_hash: prev,
            hash,
        })
    }

    pub async fn read(&self, filter: &str) -> Result<(Vec<Entry>, (i64, String))> {
        let mut client = self.client.lock().await;
        let tx = client
            .build_transaction()
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await
            .map_err(|e| self.err(e))?;
        let head: Option<String> = tx
            .query_opt("SELECT value FROM gonogo_meta WHERE key = 'head'", &[])
            .await
            .map_err(|e| self.err(e))?
            .map(|r| r.get(0));
        let rows = tx
            .query(
                &format!(
                    "SELECT seq, kind, created_at, payload, prev_hash, hash FROM gonogo_ledger {filter} ORDER BY seq"
                ),
                &[],
            )
            .await
            .map_err(|e| self.err(e))?;
        tx.commit().await.map_err(|e| self.err(e))?;
        let entries = rows
            .iter()
            .map(|r| Entry {
                seq: r.get(0),
                kind: r.get(1),
                created_at: r.get(2),
                payload: r.get(3),
                prev_hash: r.get(4),
                hash: r.get(5),
            })
            .collect();
        Ok((entries, parse_head(head.as_deref().unwrap_or(""))))
    }
}
