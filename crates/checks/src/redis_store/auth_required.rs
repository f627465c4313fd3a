//! `redis.auth-required` — Redis refuses clients without a password.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    SAYS_MORE, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::about_redis;
use super::conn::{TIMEOUT, anonymous, connect, url};
use crate::wording::{has_any, human_act};

/// What is done with a password rather than whether one is required: the server cannot show
/// when it was last changed or where it is kept.
const PASSWORD_UPKEEP: &[&str] = &[
    "rotate", "rotated", "rotates", "rotating", "rotation", "change", "changed", "changes",
    "renewed", "expire", "expires", "manager", "vault", "stored", "kept", "shared", "entry",
];

/// How good the password is: the server shows that one is required, not its strength.
const STRENGTH: &[&str] = &[
    "strong",
    "stronger",
    "complex",
    "long",
    "random",
    "unique",
    "weak",
    "default",
    "guessable",
];

pub struct AuthRequired;

static META: CheckMeta = CheckMeta {
    id: "redis.auth-required",
    title: "Redis requires authentication",
    target: TargetKind::Redis,
    params: &[],
    docs: CheckDocs {
        what: "Connects to the --redis host without the URL's user and password and sends PING: the server must refuse it (NOAUTH).",
        why: "An open Redis lets anyone who reaches the port read the cache and sessions, flush them, or abuse CONFIG to write files on the host.",
        fix: "Set `requirepass` (or ACL users with `user default off`) and give the application the password through the secrets store.",
        example: "redis.conf: requirepass <from the secrets manager>",
        binds: &[
            "Redis password set",
            "Redis requires authentication",
            "Redis AUTH enabled",
        ],
        not_binds: &[
            "Redis deployed",
            "Redis persistence configured",
            "Strong password set",
            "Redis password rotated every quarter",
            "The Redis password lives in the team vault",
        ],
    },
};

#[async_trait::async_trait]
impl Check for AuthRequired {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// A strong password needs a required one: the check shows that part.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["redis-auth"]
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
                &["password", "auth", "authentication", "requirepass", "acl"],
            )
            && human_act(lower).is_none()
        {
            let candidates = || {
                vec![AutoBinding::new(
                    "Redis must refuse clients without credentials",
                )]
            };
            if has_any(lower, PASSWORD_UPKEEP) {
                return BindVerdict::Declined {
                    why: "the item is about looking after the password (changing or keeping it), \
                          which the server cannot show; it shows only whether one is required"
                        .into(),
                    candidates: candidates(),
                };
            }
            // "Strong password enabled": without a required password there is none, so the
            // check shows part of it; its strength is a person's (`shows_part`).
            let strength: Vec<&str> = STRENGTH
                .iter()
                .copied()
                .filter(|w| has_any(lower, &[w]))
                .collect();
            if !strength.is_empty() {
                return BindVerdict::Declined {
                    why: format!(
                        "{SAYS_MORE}a required password shows ({})",
                        strength.join(" ")
                    ),
                    candidates: candidates(),
                };
            }
            BindVerdict::Bind(candidates())
        } else {
            BindVerdict::No
        }
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let full = match url(&ctx) {
            Ok(u) => u,
            Err(e) => return Outcome::error(e),
        };
        let anon = anonymous(&full);
        let mut con = match connect(&anon).await {
            Ok(c) => c,
            // Some servers refuse at the handshake already.
            Err(e) if e.contains("needs a password") => {
                return Outcome::pass("Redis refuses clients without a password");
            }
            Err(e) => return Outcome::error(e),
        };
        let ping: Result<Result<String, redis::RedisError>, _> =
            tokio::time::timeout(TIMEOUT, redis::cmd("PING").query_async(&mut con)).await;
        match ping {
            Err(_) => Outcome::error("Redis did not answer PING in time"),
            Ok(Ok(reply)) => Outcome::fail("Redis answers clients without a password: set requirepass (or ACL users) and give the application the password")
                .with_evidence(Evidence::detail(format!("anonymous PING → {reply}"))),
            Ok(Err(e)) if matches!(e.code(), Some("NOAUTH") | Some("WRONGPASS")) || e.to_string().contains("NOAUTH") => {
                Outcome::pass("Redis refuses clients without a password").with_evidence(Evidence::detail(format!("anonymous PING → {}", e.code().unwrap_or("NOAUTH"))))
            }
            Ok(Err(e)) => Outcome::error(format!("unexpected answer to PING: {e}")),
        }
    }
}
