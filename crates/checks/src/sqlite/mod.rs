//! SQLite database files in the repository or on disk: journal mode, cache size, integrity,
//! indexes, permissions. The file comes from the item's wording (a `*.db` path in its code) or a
//! `path` parameter; files are opened read-only.

mod cache_size;
mod file_permissions;
mod index_count;
mod integrity;
mod journal_mode;

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use gonogo_engine::catalogue::{AutoBinding, Check, ItemView};
use gonogo_engine::context::RunContext;
use regex::Regex;
use serde_json::Value;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![
        Arc::new(cache_size::CacheSize),
        Arc::new(file_permissions::FilePermissions),
        Arc::new(index_count::IndexCount),
        Arc::new(integrity::Integrity),
        Arc::new(journal_mode::JournalMode),
    ]
}

static DB_PATH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|[\s"'`])((?:[\w.~-]+/)*[\w.-]+\.(?:db|sqlite|sqlite3))\b"#).expect("regex")
});

/// The SQLite file the item names (in its code spans, code blocks or text).
pub(crate) fn named_db(view: &ItemView<'_>) -> Option<String> {
    let item = view.item;
    let mut texts: Vec<&str> = item.code_spans.iter().map(String::as_str).collect();
    for b in &item.code_blocks {
        texts.push(&b.content);
    }
    texts.push(&item.text);
    texts
        .iter()
        .find_map(|t| DB_PATH.captures(t).map(|c| c[1].to_string()))
}

/// A binding with the file as `path`.
pub(crate) fn with_path(reason: &str, path: &str) -> AutoBinding {
    AutoBinding::new(format!("{reason} ({path})")).with("path", Value::from(path))
}

/// Whether the wording is about SQLite.
pub(crate) fn about_sqlite(view: &ItemView<'_>) -> bool {
    view.lower.contains("sqlite") || view.lower.contains("pragma") || named_db(view).is_some()
}

pub(crate) fn resolve(ctx: &RunContext, path: &str) -> PathBuf {
    let p = PathBuf::from(path);
    if p.is_absolute() { p } else { ctx.repo.join(p) }
}

/// Open read-only, without creating, with a busy timeout; errors name the file.
pub(crate) async fn open(ctx: &RunContext, path: &str) -> Result<SqliteConnection, String> {
    let full = resolve(ctx, path);
    if !full.exists() {
        return Err(format!("{path} does not exist"));
    }
    let opts = SqliteConnectOptions::new()
        .filename(&full)
        .read_only(true)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(5));
    // sqlx sets no journal_mode unless asked, so opening does not change what we read.
    match tokio::time::timeout(Duration::from_secs(10), opts.connect()).await {
        Err(_) => Err(format!("{path} could not be opened within 10s (locked?)")),
        Ok(Err(e)) => Err(format!("{path} is not a readable SQLite database: {e}")),
        Ok(Ok(c)) => Ok(c),
    }
}
