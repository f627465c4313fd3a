//! One PostgreSQL pool per run, shared by every check of the family, with bounded connect and
//! query times. Errors say what to fix; the password never appears (the URL is shown masked).

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use gonogo_engine::context::RunContext;
use gonogo_engine::redact::redact;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};

/// Connect and per-query limit.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(10);

type Cell = tokio::sync::OnceCell<Result<PgPool, String>>;

/// The run's pool, connected on first use.
pub(crate) async fn pool(ctx: &RunContext) -> Result<PgPool, String> {
    let Some(url) = ctx.postgres.clone() else {
        return Err("no PostgreSQL given (use --postgres URL)".into());
    };
    let cell: Arc<Cell> = ctx.cached("postgres-pool", Cell::new);
    cell.get_or_init(|| connect(url)).await.clone()
}

async fn connect(url: String) -> Result<PgPool, String> {
    let shown = redact(&url);
    let opts = PgConnectOptions::from_str(&url)
        .map_err(|e| format!("the PostgreSQL URL {shown} is not valid: {e}"))?
        .statement_cache_capacity(0);
    // One plain connection first: a pool retries quietly until its timeout, which would turn
    // "connection refused" or a wrong password into a vague timeout.
    use sqlx::ConnectOptions;
    match tokio::time::timeout(TIMEOUT, opts.connect()).await {
        Err(_) => {
            return Err(format!(
                "PostgreSQL at {shown} did not answer within {}s",
                TIMEOUT.as_secs()
            ));
        }
        Ok(Err(e)) => return Err(explain(&e, &shown)),
        Ok(Ok(c)) => drop(c),
    }
    let connecting = PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(TIMEOUT)
        .connect_with(opts);
    match tokio::time::timeout(TIMEOUT, connecting).await {
        Err(_) => Err(format!(
            "PostgreSQL at {shown} did not answer within {}s",
            TIMEOUT.as_secs()
        )),
        Ok(Err(e)) => Err(explain(&e, &shown)),
        Ok(Ok(pool)) => Ok(pool),
    }
}

/// A person-readable reason for a database error.
pub(crate) fn explain(e: &sqlx::Error, shown: &str) -> String {
    match e {
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            format!(
                "cannot reach PostgreSQL at {shown}: connection refused (is it running, and is the port right?)"
            )
        }
        sqlx::Error::Io(io) => format!("cannot reach PostgreSQL at {shown}: {io}"),
        sqlx::Error::Tls(t) => format!("TLS with PostgreSQL at {shown} failed: {t}"),
        sqlx::Error::PoolTimedOut => format!(
            "PostgreSQL at {shown} did not answer within {}s",
            TIMEOUT.as_secs()
        ),
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("28P01") => format!(
                "PostgreSQL at {shown} refused the password: check the credentials in the URL or PGPASSWORD"
            ),
            Some("28000") => format!(
                "PostgreSQL at {shown} refused the connection: {} (check pg_hba.conf and the user)",
                db.message()
            ),
            Some("3D000") => format!("PostgreSQL at {shown}: {}", db.message()),
            Some("42501") => format!(
                "insufficient privilege: {} (grant pg_read_all_settings / pg_monitor to the checking role)",
                db.message()
            ),
            _ => format!("PostgreSQL error: {}", db.message()),
        },
        other => format!("PostgreSQL at {shown}: {other}"),
    }
}

/// Run a query that returns rows, within the time limit.
pub(crate) async fn rows(pool: &PgPool, sql: &str) -> Result<Vec<PgRow>, String> {
    match tokio::time::timeout(
        TIMEOUT,
        sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).fetch_all(pool),
    )
    .await
    {
        Err(_) => Err(format!(
            "the query did not finish within {}s: {sql}",
            TIMEOUT.as_secs()
        )),
        Ok(Err(e)) => Err(explain(&e, "the server")),
        Ok(Ok(r)) => Ok(r),
    }
}

/// `SHOW name` (or `current_setting`) as text.
pub(crate) async fn setting(pool: &PgPool, name: &str) -> Result<String, String> {
    let sql = format!(
        "SELECT current_setting('{}')::text",
        name.replace('\'', "''")
    );
    let r = rows(pool, &sql).await?;
    use sqlx::Row;
    r.first()
        .and_then(|row| row.try_get::<String, _>(0).ok())
        .ok_or_else(|| format!("the server has no setting {name}"))
}
