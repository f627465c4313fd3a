//! Talking to Redis with bounded connect and response times; errors say what to fix and never
//! show the password.

use std::collections::BTreeMap;
use std::time::Duration;

use gonogo_engine::context::RunContext;
use gonogo_engine::redact::redact;
use redis::AsyncConnectionConfig;
use redis::aio::MultiplexedConnection;

pub(crate) const TIMEOUT: Duration = Duration::from_secs(5);

/// A connection to `url` (the run's `--redis` unless given).
pub(crate) async fn connect(url: &str) -> Result<MultiplexedConnection, String> {
    let shown = redact(url);
    let client =
        redis::Client::open(url).map_err(|e| format!("the Redis URL {shown} is not valid: {e}"))?;
    let cfg = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(TIMEOUT))
        .set_response_timeout(Some(TIMEOUT));
    match tokio::time::timeout(
        TIMEOUT * 2,
        client.get_multiplexed_async_connection_with_config(&cfg),
    )
    .await
    {
        Err(_) => Err(format!(
            "Redis at {shown} did not answer within {}s",
            TIMEOUT.as_secs()
        )),
        Ok(Err(e)) => Err(explain(&e, &shown)),
        Ok(Ok(c)) => Ok(c),
    }
}

pub(crate) fn url(ctx: &RunContext) -> Result<String, String> {
    ctx.redis
        .clone()
        .ok_or_else(|| "no Redis given (use --redis URL)".to_string())
}

pub(crate) fn explain(e: &redis::RedisError, shown: &str) -> String {
    if e.is_connection_refusal() {
        return format!(
            "cannot reach Redis at {shown}: connection refused (is it running, and is the port right?)"
        );
    }
    if e.is_timeout() {
        return format!(
            "Redis at {shown} did not answer within {}s",
            TIMEOUT.as_secs()
        );
    }
    match e.code() {
        Some("NOAUTH") => format!(
            "Redis at {shown} needs a password: put it in the URL (redis://:PASSWORD@host:6379)"
        ),
        Some("WRONGPASS") => format!(
            "Redis at {shown} refused the credentials: check the user and password in the URL"
        ),
        _ => format!("Redis at {shown}: {e}"),
    }
}

/// `CONFIG GET` of the given parameters, as a map. A server that renamed or disabled CONFIG
/// answers with an error naming that.
pub(crate) async fn config(
    con: &mut MultiplexedConnection,
    names: &[&str],
) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for name in names {
        let got: Result<Vec<String>, _> = tokio::time::timeout(
            TIMEOUT,
            redis::cmd("CONFIG").arg("GET").arg(*name).query_async(con),
        )
        .await
        .map_err(|_| {
            format!(
                "CONFIG GET {name} did not answer within {}s",
                TIMEOUT.as_secs()
            )
        })?;
        let pairs = got.map_err(|e| {
            if e.to_string().to_lowercase().contains("unknown command") {
                "the CONFIG command is disabled or renamed on this Redis; the check cannot read its settings".to_string()
            } else {
                format!("CONFIG GET {name} failed: {e}")
            }
        })?;
        for pair in pairs.chunks(2) {
            if let [k, v] = pair {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(out)
}

/// The URL without its user and password, to probe what an anonymous client may do.
pub(crate) fn anonymous(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}{}", &url[..s + 3], &url[at + 1..]),
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn anonymous_urls_drop_credentials() {
        assert_eq!(
            super::anonymous("redis://:secret@127.0.0.1:6379/0"),
            "redis://127.0.0.1:6379/0"
        );
        assert_eq!(
            super::anonymous("rediss://user:pw@h:6380"),
            "rediss://h:6380"
        );
        assert_eq!(
            super::anonymous("redis://127.0.0.1:6379"),
            "redis://127.0.0.1:6379"
        );
    }
}
