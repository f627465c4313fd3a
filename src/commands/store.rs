//! Opening the store for a command, with the error messages and exit codes of CONTRACT.md.

use std::path::Path;

use gonogo_store::{Location, Store, StoreError};

use crate::cli_store::StoreArgs;

/// Where the store is for these arguments.
pub fn location(args: &StoreArgs, repo: &Path) -> Location {
    Location::resolve(args.store.as_deref(), repo)
}

/// Opens (creating if needed) the store. Errors are returned for the caller to print.
pub async fn open(args: &StoreArgs, repo: &Path) -> Result<Store, StoreError> {
    let loc = location(args, repo);
    Store::open(&loc, args.store.is_none()).await
}

/// Opens an existing store for reading; prints why not.
pub async fn open_existing(args: &StoreArgs, repo: &Path) -> Result<Store, ()> {
    let loc = location(args, repo);
    if let Location::Sqlite(p) = &loc {
        if !p.exists() {
            eprintln!(
                "gonogo: error: {}: no store here yet; `gonogo check` creates it (or give --store)",
                p.display()
            );
            return Err(());
        }
    }
    Store::open(&loc, false).await.map_err(|e| report(&e))
}

pub fn report(e: &StoreError) {
    eprintln!("gonogo: error: store {e}");
}

/// Who is running gonogo: `$USER` (or `$USERNAME`), else "unknown".
pub fn who() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}
