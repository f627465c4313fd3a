//! `redis.not-exposed` — Redis is not open to the world (protected mode or a private bind).

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use super::about_redis;
use super::conn::{config, connect, url};
use crate::wording::{has_any, human_act};

pub struct NotExposed;

static META: CheckMeta = CheckMeta {
    id: "redis.not-exposed",
    title: "Redis is not exposed to every network",
    target: TargetKind::Redis,
    params: &[],
    docs: CheckDocs {
        what: "Reads `protected-mode`, `bind` and `requirepass`: it fails when protected mode is off, no password is set, and `bind` includes every interface (`0.0.0.0`, `*`, `::`) or is empty.",
        why: "Internet scanners find open Redis ports within minutes; an exposed, password-less Redis is a classic entry point for ransomware and crypto miners.",
        fix: "Bind to the private interface the application uses (or 127.0.0.1), keep `protected-mode yes`, set a password, and firewall the port.",
        example: "redis.conf: bind 10.0.1.5 127.0.0.1\nprotected-mode yes",
        binds: &[
            "Redis not exposed publicly",
            "Redis bound to the private network only",
            "Redis protected mode enabled",
            "Redis is not reachable from the internet",
            "The Redis instance does not listen on public interfaces",
        ],
        not_binds: &[
            "Only necessary ports open",
            "Redis deployed",
            "Internal metrics port restricted",
            "Redis exposure reviewed by security",
            "Redis dashboards shared publicly",
        ],
    },
};

pub(crate) fn judge(protected: &str, bind: &str, has_password: bool) -> Result<String, String> {
    let open = bind.trim().is_empty()
        || bind
            .split_whitespace()
            .map(|b| b.trim_start_matches('-'))
            .any(|b| matches!(b, "0.0.0.0" | "*" | "::" | "::*"));
    if !open {
        return Ok(format!("Redis listens only on {}", bind.trim()));
    }
    if has_password {
        return Ok("Redis listens on every interface but requires a password".into());
    }
    if protected == "yes" {
        return Ok("Redis listens on every interface but protected mode refuses remote clients without a password".into());
    }
    Err(format!(
        "Redis listens on every interface ({}) with protected mode off and no password: bind it to a private address and set a password",
        if bind.trim().is_empty() {
            "no bind"
        } else {
            bind.trim()
        }
    ))
}

#[async_trait::async_trait]
impl Check for NotExposed {
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
            && human_act(lower).is_none()
            && !has_any(lower, &["dashboard", "dashboards", "docs", "documentation"])
            && has_any(
                lower,
                &[
                    "not exposed",
                    "exposed",
                    "expose",
                    "bound",
                    "bind",
                    "protected mode",
                    "private network",
                    "public",
                    "publicly",
                    "internet",
                    "public interfaces",
                    "public interface",
                    "open to",
                    "reachable from",
                    // "Not accessible from outside", "no external access".
                    "accessible from",
                    "from outside",
                    "from the outside",
                    "externally",
                    "external access",
                    "private address",
                    "private ip",
                    "internal network",
                    "firewalled",
                ],
            )
        {
            BindVerdict::Bind(vec![AutoBinding::new(
                "Redis must not be open to every network",
            )])
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
        let cfg = match config(&mut con, &["protected-mode", "bind", "requirepass"]).await {
            Ok(c) => c,
            Err(e) => return Outcome::error(e),
        };
        let protected = cfg.get("protected-mode").cloned().unwrap_or_default();
        let bind = cfg.get("bind").cloned().unwrap_or_default();
        let has_password = cfg.get("requirepass").is_some_and(|p| !p.is_empty());
        // The password itself is never shown.
        let ev = Evidence::detail(format!(
            "protected-mode = {protected}, bind = \"{bind}\", requirepass {}",
            if has_password { "set" } else { "empty" }
        ));
        match judge(&protected, &bind, has_password) {
            Ok(m) => Outcome::pass(m).with_evidence(ev),
            Err(m) => Outcome::fail(m).with_evidence(ev),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn exposure_verdicts() {
        assert!(super::judge("no", "127.0.0.1 -::1", false).is_ok());
        assert!(super::judge("yes", "* -::*", false).is_ok());
        assert!(super::judge("no", "0.0.0.0", true).is_ok());
        assert!(super::judge("no", "0.0.0.0", false).is_err());
        assert!(super::judge("no", "", false).is_err());
    }
}
