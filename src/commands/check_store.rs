//! The store's part in `gonogo check`: sign-offs and waivers in, regressions out, the run kept.
//! Store problems never lose the report: they are returned and printed after it.

use std::collections::BTreeMap;
use std::path::Path;

use gonogo_engine::attest::{Attestations, Regression};
use gonogo_engine::decide::Decision;
use gonogo_engine::model::Checklist;
use gonogo_store::views::{self, Run};
use gonogo_store::{Store, StoreError};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::cli_store::StoreArgs;

pub struct Kept {
    /// `Ok(None)`: `--no-store` and no store exists yet.
    pub store: Result<Option<Store>, StoreError>,
    pub attest: Attestations,
    pub previous: Option<Run>,
}

/// Opens the store and reads what the decision needs.
/// With `no_store`, a SQLite store that does not exist yet is not created.
pub async fn prepare(args: &StoreArgs, repo: &Path, no_store: bool) -> Kept {
    let now = gonogo_store::now();
    if no_store {
        if let gonogo_store::Location::Sqlite(p) = crate::commands::store::location(args, repo) {
            if !p.exists() {
                return Kept {
                    store: Ok(None),
                    attest: Attestations {
                        now,
                        ..Default::default()
                    },
                    previous: None,
                };
            }
        }
    }
    let store = crate::commands::store::open(args, repo).await;
    let read = match &store {
        Ok(s) => s.read_for_decide().await,
        Err(_) => Ok(Vec::new()),
    };
    let (store, entries) = match (store, read) {
        (Ok(s), Ok(e)) => (Ok(Some(s)), e),
        (Err(e), _) | (_, Err(e)) => (Err(e), Vec::new()),
    };
    Kept {
        attest: views::attestations(&entries, now),
        previous: views::runs(&entries).pop(),
        store,
    }
}

/// Items failing or erroring now that were neither in `prev`.
pub fn regressions(prev: &Run, checklists: &[Checklist], d: &Decision) -> Vec<Regression> {
    let before = prev.statuses();
    let mut out = Vec::new();
    let mut seen = BTreeMap::new();
    for (cl, results) in checklists.iter().zip(&d.items) {
        for (item, r) in cl.items.iter().zip(results) {
            let to = r.status.as_str();
            if !matches!(to, "fail" | "error") || seen.insert(item.id.clone(), ()).is_some() {
                continue;
            }
            if let Some((_, from)) = before.get(&item.id) {
                if !matches!(from.as_str(), "fail" | "error") {
                    out.push(Regression {
                        item: item.id.clone(),
                        text: item.text.clone(),
                        from: from.clone(),
                        to: to.into(),
                    });
                }
            }
        }
    }
    out
}

/// Appends the run: the JSON report, the checklists' hash, the commit and branch, who, how long.
pub async fn keep(
    store: &Store,
    report: Value,
    checklists: &[Checklist],
    repo: &Path,
    targets: &[String],
    duration_ms: u64,
) -> Result<i64, StoreError> {
    let mut h = Sha256::new();
    for c in checklists {
        h.update(c.path.as_bytes());
        h.update([0]);
        h.update(c.source.as_bytes());
        h.update([0]);
    }
    let hash = gonogo_engine::hex::hex(&h.finalize());
    let (commit, branch) = views::git_head(repo);
    let payload = json!({
        "report": report,
        "checklists_hash": hash,
        "commit": commit,
        "branch": branch,
        "by": crate::commands::store::who(),
        "duration_ms": duration_ms,
        "targets": targets.iter().map(|t| gonogo_engine::redact::redact(t)).collect::<Vec<_>>(),
    });
    store
        .append(gonogo_store::RUN, &payload)
        .await
        .map(|e| e.seq)
}
