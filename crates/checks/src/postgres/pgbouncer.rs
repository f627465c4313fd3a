//! PgBouncer's pool settings, read from its admin console (`--pgbouncer URL`) or from a
//! `pgbouncer.ini` in the repository, into one shape that `postgres.pooler-pool-size` judges.
//!
//! The admin console is the virtual database `pgbouncer`. It speaks only the simple query
//! protocol and refuses startup parameters it does not know (sqlx sends `extra_float_digits`),
//! so it is read with tokio-postgres' `simple_query`, which sends only `client_encoding`. Every
//! value arrives as text. Connect and each query are bounded; errors name what to fix and the
//! password never appears.

use std::str::FromStr;
use std::time::Duration;

use gonogo_engine::catalogue::Evidence;
use gonogo_engine::redact::redact;
use regex::Regex;
use tokio_postgres::{NoTls, SimpleQueryMessage};

/// Connect and per-query limit.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(10);

/// PgBouncer's defaults for the settings judged (its documentation, unchanged since 1.x).
const DEFAULTS: &[(&str, i64)] = &[
    ("default_pool_size", 20),
    ("max_client_conn", 100),
    ("max_db_connections", 0),
    ("max_user_connections", 0),
    ("reserve_pool_size", 0),
];

/// A numeric setting as found: its value, or the text that is not a number (a template such
/// as `${POOL_SIZE}` filled in at deploy time), and where it was read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Num {
    pub value: Result<i64, String>,
    /// 1-based line in the ini file; `None` for the admin console or PgBouncer's default.
    pub line: Option<usize>,
    /// Not set anywhere: PgBouncer's default applies.
    pub defaulted: bool,
}

impl Num {
    fn parsed(raw: &str, line: Option<usize>) -> Num {
        let t = raw.trim();
        Num {
            value: t.parse::<i64>().map_err(|_| t.to_string()),
            line,
            defaulted: false,
        }
    }

    fn default_of(key: &str) -> Num {
        let v = DEFAULTS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
            .unwrap_or(0);
        Num {
            value: Ok(v),
            line: None,
            defaulted: true,
        }
    }

    /// `20`, `20 (default)` or `` `${POOL}` (not a number) ``.
    pub fn show(&self) -> String {
        match &self.value {
            Ok(v) if self.defaulted => format!("{v} (default)"),
            Ok(v) => v.to_string(),
            Err(raw) => format!("`{raw}` (not a number)"),
        }
    }
}

/// One entry of `[databases]` (the fallback `*` included) with its pool as PgBouncer resolves
/// it: the entry's own `pool_size` / `max_db_connections`, else the global setting.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Database {
    pub name: String,
    pub line: Option<usize>,
    pub pool_size: Num,
    /// Whether `pool_size` is the entry's own (else `default_pool_size`).
    pub own_pool_size: bool,
    /// `max_db_connections` in force for the database (0: no cap).
    pub cap: Num,
    pub pool_mode: Option<String>,
}

/// Where the settings came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Source {
    /// The admin console; the URL with its password masked.
    Live(String),
    /// A file in the repository.
    Ini(String),
}

impl Source {
    pub fn describe(&self) -> String {
        match self {
            Source::Live(url) => format!("admin console at {url}"),
            Source::Ini(file) => file.clone(),
        }
    }
}

/// The settings `postgres.pooler-pool-size` judges, from either source.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Settings {
    pub source: Source,
    pub default_pool_size: Num,
    pub max_client_conn: Num,
    pub max_db_connections: Num,
    pub max_user_connections: Num,
    pub reserve_pool_size: Num,
    pub pool_mode: Option<String>,
    /// Database entries, the admin console's own `pgbouncer` left out.
    pub databases: Vec<Database>,
    /// What else a person should see: pools in use (live), includes not followed (ini).
    pub notes: Vec<Evidence>,
}

// ---------------------------------------------------------------------------------------------
// pgbouncer.ini

/// Parse a `pgbouncer.ini`. Never fails: what cannot be read stays unread and, where it
/// matters, becomes a note.
pub(crate) fn parse_ini(file: &str, text: &str) -> Settings {
    let pair = Regex::new(r#"(\w+)\s*=\s*('(?:[^'\\]|\\.|'')*'|\S+)"#).expect("regex");
    let mut section = String::new();
    let mut global: Vec<(String, String, usize)> = Vec::new();
    let mut databases = Vec::new();
    let mut notes = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let t = raw.trim();
        if t.is_empty() || t.starts_with(';') || t.starts_with('#') {
            continue;
        }
        if let Some(inc) = t.strip_prefix("%include") {
            notes.push(Evidence::at(
                file,
                Some(line),
                format!(
                    "%include {} is not followed: settings there are not judged",
                    inc.trim()
                ),
            ));
            continue;
        }
        if t.starts_with('[') && t.ends_with(']') {
            section = t[1..t.len() - 1].trim().to_ascii_lowercase();
            continue;
        }
        let Some((key, value)) = t.split_once('=') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        match section.as_str() {
            "pgbouncer" => {
                // A value ends at an inline comment.
                let value = value
                    .split([';', '#'])
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                global.push((key.to_ascii_lowercase(), value, line));
            }
            "databases" => {
                let name = key.trim_matches('"').to_string();
                let mut db = Database {
                    name,
                    line: Some(line),
                    pool_size: Num::default_of("default_pool_size"),
                    own_pool_size: false,
                    cap: Num::default_of("max_db_connections"),
                    pool_mode: None,
                };
                for c in pair.captures_iter(value) {
                    let v = c[2].trim_matches('\'');
                    match c[1].to_ascii_lowercase().as_str() {
                        "pool_size" => {
                            db.pool_size = Num::parsed(v, Some(line));
                            db.own_pool_size = true;
                        }
                        "max_db_connections" => db.cap = Num::parsed(v, Some(line)),
                        "pool_mode" => db.pool_mode = Some(v.to_string()),
                        _ => {}
                    }
                }
                databases.push(db);
            }
            _ => {}
        }
    }
    // The last occurrence of a key wins, as in PgBouncer.
    let get = |key: &str| -> Num {
        global
            .iter()
            .rev()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, l)| Num::parsed(v, Some(*l)))
            .unwrap_or_else(|| Num::default_of(key))
    };
    let default_pool_size = get("default_pool_size");
    let max_db_connections = get("max_db_connections");
    for db in &mut databases {
        if !db.own_pool_size {
            db.pool_size = default_pool_size.clone();
        }
        if db.cap.defaulted {
            db.cap = max_db_connections.clone();
        }
    }
    Settings {
        source: Source::Ini(file.to_string()),
        max_client_conn: get("max_client_conn"),
        max_user_connections: get("max_user_connections"),
        reserve_pool_size: get("reserve_pool_size"),
        pool_mode: global
            .iter()
            .rev()
            .find(|(k, _, _)| k == "pool_mode")
            .map(|(_, v, _)| v.clone()),
        default_pool_size,
        max_db_connections,
        databases,
        notes,
    }
}

// ---------------------------------------------------------------------------------------------
// The admin console

/// Read the settings from PgBouncer's admin console at `url` (whatever database the URL names,
/// the console `pgbouncer` is used), each step within `timeout`.
pub(crate) async fn read_live(url: &str, timeout: Duration) -> Result<Settings, String> {
    let shown = redact(url);
    let mut cfg = tokio_postgres::Config::from_str(url)
        .map_err(|e| format!("the PgBouncer URL {shown} is not valid: {e}"))?;
    cfg.dbname("pgbouncer").connect_timeout(timeout);
    if cfg.get_password().is_none()
        && let Ok(p) = std::env::var("PGPASSWORD")
        && !p.is_empty()
    {
        cfg.password(p);
    }
    let Some(user) = cfg.get_user().map(String::from) else {
        return Err(format!(
            "the PgBouncer URL {shown} names no user: give one of admin_users or stats_users (postgres://USER@host:6432/pgbouncer)"
        ));
    };
    let (client, connection) = match tokio::time::timeout(timeout, cfg.connect(NoTls)).await {
        Err(_) => {
            return Err(format!(
                "PgBouncer at {shown} did not answer within {}s",
                timeout.as_secs_f64()
            ));
        }
        Ok(Err(e)) => return Err(explain(&e, &shown, &user)),
        Ok(Ok(pair)) => pair,
    };
    // The connection task ends when the client is dropped.
    tokio::spawn(connection);
    let query = |sql: &'static str| {
        let client = &client;
        let shown = &shown;
        let user = &user;
        async move {
            match tokio::time::timeout(timeout, client.simple_query(sql)).await {
                Err(_) => Err(format!(
                    "PgBouncer at {shown} did not answer `{sql}` within {}s",
                    timeout.as_secs_f64()
                )),
                Ok(Err(e)) => Err(format!("`{sql}`: {}", explain(&e, shown, user))),
                Ok(Ok(m)) => Ok(rows(m)),
            }
        }
    };
    let config = query("SHOW CONFIG").await?;
    let dbs = query("SHOW DATABASES").await?;
    // Pools in use are evidence only; a console that refuses them still gives a verdict.
    let pools = query("SHOW POOLS").await.unwrap_or_default();
    Ok(from_console(shown, &config, &dbs, &pools))
}

/// One result row as column name → text value.
type Row = Vec<(String, Option<String>)>;

fn rows(messages: Vec<SimpleQueryMessage>) -> Vec<Row> {
    messages
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(r) => Some(
                r.columns()
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (c.name().to_string(), r.get(i).map(String::from)))
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

fn col<'a>(row: &'a Row, name: &str) -> Option<&'a str> {
    row.iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.as_deref())
}

/// Settings from the console's `SHOW CONFIG`, `SHOW DATABASES` and `SHOW POOLS` rows.
fn from_console(shown: String, config: &[Row], dbs: &[Row], pools: &[Row]) -> Settings {
    let get = |key: &str| -> Num {
        config
            .iter()
            .find(|r| col(r, "key") == Some(key))
            .and_then(|r| col(r, "value"))
            .map(|v| Num::parsed(v, None))
            .unwrap_or_else(|| Num::default_of(key))
    };
    let default_pool_size = get("default_pool_size");
    let databases = dbs
        .iter()
        .filter(|r| col(r, "name").is_some_and(|n| n != "pgbouncer"))
        .map(|r| {
            // The console shows each database's pool size and cap already resolved against the
            // global settings.
            let pool_size = col(r, "pool_size")
                .map(|v| Num::parsed(v, None))
                .unwrap_or_else(|| default_pool_size.clone());
            let own = pool_size.value != default_pool_size.value;
            Database {
                name: col(r, "name").unwrap_or_default().to_string(),
                line: None,
                pool_size,
                own_pool_size: own,
                cap: col(r, "max_connections")
                    .map(|v| Num::parsed(v, None))
                    .unwrap_or_else(|| get("max_db_connections")),
                pool_mode: col(r, "pool_mode")
                    .filter(|m| !m.is_empty())
                    .map(String::from),
            }
        })
        .collect();
    let notes = pools
        .iter()
        .filter(|r| col(r, "database").is_some_and(|d| d != "pgbouncer"))
        .map(|r| {
            let n = |k: &str| col(r, k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
            let servers: i64 = ["sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login"]
                .iter()
                .map(|k| n(k))
                .sum();
            Evidence::detail(format!(
                "pool {}/{} in use: clients {} (waiting {}), server connections open {servers} (active {})",
                col(r, "database").unwrap_or("?"),
                col(r, "user").unwrap_or("?"),
                n("cl_active") + n("cl_waiting"),
                n("cl_waiting"),
                n("sv_active"),
            ))
        })
        .collect();
    Settings {
        source: Source::Live(shown),
        max_client_conn: get("max_client_conn"),
        max_db_connections: get("max_db_connections"),
        max_user_connections: get("max_user_connections"),
        reserve_pool_size: get("reserve_pool_size"),
        pool_mode: config
            .iter()
            .find(|r| col(r, "key") == Some("pool_mode"))
            .and_then(|r| col(r, "value"))
            .map(String::from),
        default_pool_size,
        databases,
        notes,
    }
}

/// A person-readable reason for a failed connection or query.
fn explain(e: &tokio_postgres::Error, shown: &str, user: &str) -> String {
    if let Some(db) = e.as_db_error() {
        let msg = db.message();
        if msg.contains("not allowed") {
            return format!(
                "PgBouncer at {shown} does not let `{user}` into its admin console (\"{msg}\"): add {user} to admin_users (or stats_users, enough to read settings) in pgbouncer.ini and reload PgBouncer"
            );
        }
        if db.code().code() == "28P01" || msg.contains("password authentication failed") {
            return format!(
                "PgBouncer at {shown} refused the password of `{user}`: check the URL or PGPASSWORD and the user's entry in PgBouncer's auth_file"
            );
        }
        return format!("PgBouncer at {shown}: {msg}");
    }
    let text = e.to_string();
    if text.contains("password missing") {
        return format!(
            "PgBouncer at {shown} asks `{user}` for a password: give it in the URL or PGPASSWORD"
        );
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return match io.kind() {
                std::io::ErrorKind::ConnectionRefused => format!(
                    "cannot reach PgBouncer at {shown}: connection refused (is it running, and is the port right?)"
                ),
                std::io::ErrorKind::TimedOut => format!(
                    "PgBouncer at {shown} did not answer within {}s",
                    TIMEOUT.as_secs()
                ),
                _ => format!("cannot reach PgBouncer at {shown}: {io}"),
            };
        }
        source = s.source();
    }
    format!("PgBouncer at {shown}: {text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const INI: &str = "\
[databases]
; the application's database, with its own pool
app = host=10.0.0.5 port=5432 dbname=app pool_size=40 pool_mode=transaction
reports = host=10.0.0.5 dbname=reports max_db_connections=5
* = host=10.0.0.5

[pgbouncer]
listen_port = 6432
default_pool_size = 25   ; per user and database
max_client_conn = 500
%include /etc/pgbouncer/extra.ini
";

    #[test]
    fn ini_resolves_each_database_against_the_global_settings() {
        let s = parse_ini("deploy/pgbouncer.ini", INI);
        assert_eq!(s.default_pool_size.value, Ok(25));
        assert_eq!(s.default_pool_size.line, Some(9));
        assert_eq!(s.max_client_conn.value, Ok(500));
        assert!(s.max_db_connections.defaulted);
        let names: Vec<&str> = s.databases.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["app", "reports", "*"]);
        let app = &s.databases[0];
        assert_eq!(
            (app.pool_size.value.clone(), app.own_pool_size),
            (Ok(40), true)
        );
        assert_eq!(app.pool_mode.as_deref(), Some("transaction"));
        let reports = &s.databases[1];
        assert_eq!(reports.pool_size.value, Ok(25));
        assert_eq!(reports.cap.value, Ok(5));
        assert_eq!(s.databases[2].pool_size.value, Ok(25));
        assert!(s.notes[0].detail.contains("%include"), "{:?}", s.notes);
    }

    #[test]
    fn templated_values_are_kept_as_text() {
        let s = parse_ini(
            "pgbouncer.ini",
            "[pgbouncer]\ndefault_pool_size = ${POOL_SIZE}\n[databases]\na = host=x pool_size='{{ .Values.pool }}'\n",
        );
        assert_eq!(s.default_pool_size.value, Err("${POOL_SIZE}".into()));
        assert!(s.databases[0].pool_size.value.is_err());
        assert!(s.max_client_conn.defaulted);
        assert_eq!(s.max_client_conn.value, Ok(100));
    }

    #[tokio::test]
    async fn a_refused_port_is_an_error_that_says_so() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let e = read_live(
            &format!("postgres://admin:s3cret@127.0.0.1:{port}/pgbouncer"), // gonogo:allow-secret (a test password)
            Duration::from_secs(5),
        )
        .await
        .unwrap_err();
        assert!(e.contains("connection refused"), "{e}");
        assert!(!e.contains("s3cret"), "{e}");
    }

    #[tokio::test]
    async fn a_silent_server_is_a_timeout_not_a_hang() {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = l.local_addr().unwrap().port();
        // Accepts and never answers.
        let _keep = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((s, _)) = l.accept().await {
                held.push(s);
            }
        });
        let started = std::time::Instant::now();
        let e = read_live(
            &format!("postgres://admin@127.0.0.1:{port}/pgbouncer"),
            Duration::from_millis(500),
        )
        .await
        .unwrap_err();
        assert!(e.contains("did not answer"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn the_console_rows_become_settings() {
        let row = |pairs: &[(&str, &str)]| -> Row {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Some(v.to_string())))
                .collect()
        };
        let config = vec![
            row(&[("key", "default_pool_size"), ("value", "20")]),
            row(&[("key", "max_client_conn"), ("value", "200")]),
            row(&[("key", "max_db_connections"), ("value", "0")]),
        ];
        let dbs = vec![
            row(&[("name", "pgbouncer"), ("pool_size", "2")]),
            row(&[
                ("name", "app"),
                ("pool_size", "30"),
                ("max_connections", "0"),
                ("pool_mode", ""),
            ]),
        ];
        let s = from_console("url".into(), &config, &dbs, &[]);
        assert_eq!(s.databases.len(), 1);
        assert_eq!(s.databases[0].pool_size.value, Ok(30));
        assert!(s.databases[0].own_pool_size);
        assert_eq!(s.databases[0].pool_mode, None);
        assert_eq!(s.max_client_conn.value, Ok(200));
        assert!(s.max_user_connections.defaulted);
    }
}
