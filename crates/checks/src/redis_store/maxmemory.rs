//! `redis.maxmemory` — a memory limit and a deliberate eviction policy.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::about_redis;
use super::conn::{config, connect, url};
use crate::wording::has_any;

pub struct MaxMemory;

static META: CheckMeta = CheckMeta {
    id: "redis.maxmemory",
    title: "Redis has a memory limit and an eviction policy",
    target: TargetKind::Redis,
    params: &[ParamSpec {
        name: "policy",
        kind: ParamKind::Text,
        default: None,
        required: false,
        doc: "the eviction policy required (e.g. allkeys-lru); without it any policy but the default noeviction passes",
    }],
    docs: CheckDocs {
        what: "Reads `maxmemory` and `maxmemory-policy`: the limit must be set (not 0) and the policy chosen (not the default `noeviction`, unless the item asks for it).",
        why: "Without a limit Redis grows until the kernel kills it; with `noeviction` a full cache rejects writes and the application errors instead of degrading.",
        fix: "Set `maxmemory` below the container's memory limit and `maxmemory-policy allkeys-lru` for a cache (or `volatile-lru` when only expiring keys may go).",
        example: "redis.conf: maxmemory 1gb\nmaxmemory-policy allkeys-lru",
        binds: &[
            "Redis memory limits set",
            "Redis eviction policy configured",
            "Redis maxmemory configured",
            "Cache: maxmemory 512mb with allkeys-lru",
            "Redis has a memory ceiling and evicts keys when it reaches it",
        ],
        not_binds: &[
            "Memory limits set (Kubernetes)",
            "Resource limits and requests set",
            "Memory usage stable",
        ],
    },
};

pub(crate) fn judge(maxmemory: u64, policy: &str, want: Option<&str>) -> Result<String, String> {
    if maxmemory == 0 {
        return Err("Redis has no memory limit (maxmemory 0): set maxmemory below the host's or container's memory".into());
    }
    match want {
        Some(w) if w != policy => Err(format!("maxmemory-policy is {policy}, the checklist asks for {w}")),
        None if policy == "noeviction" => Err("maxmemory-policy is the default noeviction: a full Redis rejects writes; choose allkeys-lru or volatile-lru (or ask for noeviction explicitly)".into()),
        _ => Ok(format!("Redis is limited to {maxmemory} bytes and evicts with {policy}")),
    }
}

#[async_trait::async_trait]
impl Check for MaxMemory {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["redis", "maxmem"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let section = view.item.section.join(" ").to_lowercase();
        // maxmemory is Redis's own word, whatever the item calls the store ("Cache: maxmemory 1gb").
        let redis = (about_redis(lower, view.parent_lower, &section)
            || has_any(lower, &["maxmemory", "maxmemory-policy"]))
            && !lower.contains("kubernetes")
            && !lower.contains("docker");
        if redis
            && has_any(
                lower,
                &[
                    "memory limit",
                    "memory limits",
                    "memory-limited",
                    "memory limited",
                    "memory ceiling",
                    "memory cap",
                    "maxmemory",
                    "maxmem",
                    "eviction",
                    "eviction policy",
                    "evict",
                    "evicts",
                ],
            )
        {
            let mut b = AutoBinding::new("Redis memory limit and eviction");
            for p in [
                "allkeys-lru",
                "allkeys-lfu",
                "volatile-lru",
                "volatile-lfu",
                "allkeys-random",
                "volatile-ttl",
                "noeviction",
            ] {
                if lower.contains(p) {
                    b = b.with("policy", Value::from(p));
                }
            }
            BindVerdict::Bind(vec![b])
        } else {
            BindVerdict::No
        }
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let want = params
            .get("policy")
            .and_then(Value::as_str)
            .map(str::to_string);
        let u = match url(&ctx) {
            Ok(u) => u,
            Err(e) => return Outcome::error(e),
        };
        let mut con = match connect(&u).await {
            Ok(c) => c,
            Err(e) => return Outcome::error(e),
        };
        let cfg = match config(&mut con, &["maxmemory", "maxmemory-policy"]).await {
            Ok(c) => c,
            Err(e) => return Outcome::error(e),
        };
        let max: u64 = cfg
            .get("maxmemory")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let policy = cfg.get("maxmemory-policy").cloned().unwrap_or_default();
        let ev = Evidence::detail(format!("maxmemory = {max}, maxmemory-policy = {policy}"));
        match judge(max, &policy, want.as_deref()) {
            Ok(m) => Outcome::pass(m).with_evidence(ev),
            Err(m) => Outcome::fail(m).with_evidence(ev),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn memory_verdicts() {
        assert!(super::judge(0, "allkeys-lru", None).is_err());
        assert!(super::judge(1 << 30, "noeviction", None).is_err());
        assert!(super::judge(1 << 30, "noeviction", Some("noeviction")).is_ok());
        assert!(super::judge(1 << 30, "allkeys-lru", None).is_ok());
        assert!(super::judge(1 << 30, "volatile-lru", Some("allkeys-lru")).is_err());
    }
}
