//! `redis.persistence` — Redis keeps its data across restarts (AOF or RDB snapshots).

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use super::about_redis;
use super::conn::{config, connect, url};
use crate::wording::has_any;

pub struct Persistence;

static META: CheckMeta = CheckMeta {
    id: "redis.persistence",
    title: "Redis persistence is on",
    target: TargetKind::Redis,
    params: &[],
    docs: CheckDocs {
        what: "Reads `appendonly` and `save` with CONFIG GET: the append-only file must be on or an RDB snapshot schedule set.",
        why: "Without persistence a restart or crash empties Redis; queues, sessions and anything not purely a cache are lost.",
        fix: "Set `appendonly yes` (with `appendfsync everysec`) or a `save` schedule such as `save 3600 1 300 100`.",
        example: "redis.conf: appendonly yes",
        binds: &[
            "Redis persistence configured",
            "Redis persistence enabled (if needed)",
            "Redis AOF enabled",
        ],
        not_binds: &[
            "Redis password set",
            "Persistent storage (Postgres/etcd) with cross-region replication configured",
            "PVCs for persistent storage",
        ],
    },
};

pub(crate) fn judge(appendonly: &str, save: &str) -> Result<String, String> {
    if appendonly == "yes" {
        Ok("Redis writes an append-only file (appendonly yes)".into())
    } else if !save.trim().is_empty() {
        Ok(format!(
            "Redis snapshots to RDB on the schedule \"{}\"",
            save.trim()
        ))
    } else {
        Err("Redis keeps nothing on disk (appendonly no, no save schedule): set appendonly yes or a save schedule".into())
    }
}

#[async_trait::async_trait]
impl Check for Persistence {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["redis"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let section = view.item.section.join(" ").to_lowercase();
        if about_redis(lower, view.parent_lower, &section)
            && has_any(
                lower,
                &[
                    "persistence",
                    "persistent",
                    "aof",
                    "appendonly",
                    "rdb",
                    "snapshots",
                ],
            )
            && !has_any(lower, &["storage", "pvc", "pvcs"])
        {
            BindVerdict::Bind(vec![AutoBinding::new("Redis must persist its data")])
        } else {
            BindVerdict::No
        }
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let u = match url(&ctx) {
            Ok(u) => u,
            Err(e) => return Outcome::error(e),
        };
        let mut con = match connect(&u).await {
            Ok(c) => c,
            Err(e) => return Outcome::error(e),
        };
        let cfg = match config(&mut con, &["appendonly", "save"]).await {
            Ok(c) => c,
            Err(e) => return Outcome::error(e),
        };
        let (aof, save) = (
            cfg.get("appendonly").cloned().unwrap_or_default(),
            cfg.get("save").cloned().unwrap_or_default(),
        );
        let ev = Evidence::detail(format!("appendonly = {aof}, save = \"{save}\""));
        match judge(&aof, &save) {
            Ok(m) => Outcome::pass(m).with_evidence(ev),
            Err(m) => Outcome::fail(m).with_evidence(ev),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn persistence_verdicts() {
        assert!(super::judge("yes", "").is_ok());
        assert!(super::judge("no", "3600 1").is_ok());
        assert!(super::judge("no", "").is_err());
    }
}
