//! `compose.restart-policy` — every Compose service says what happens when it stops.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::{Subject, bind_claim, no_compose, over_services, service_label};
use crate::wording::has_any;
use crate::yaml;

pub struct ComposeRestartPolicy;

static META: CheckMeta = CheckMeta {
    id: "compose.restart-policy",
    title: "Compose services have a restart policy",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "Every service of every Compose file sets `restart:` (`always`, \
               `unless-stopped`, `on-failure[:N]`, or a deliberate `\"no\"`, which is noted) \
               or `deploy.restart_policy.condition` (Swarm).",
        why: "Without a restart policy a container that crashes, or every container after a \
              host reboot, stays down until someone notices: the outage lasts as long as your \
              reaction time.",
        fix: "Add `restart: unless-stopped` (or `on-failure`) to each long-running service; \
              one-shot jobs can say `restart: \"no\"` explicitly.",
        example: "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    restart: unless-stopped",
        binds: &[
            "Restart policies defined for Docker containers",
            "docker-compose services have a restart policy",
            "Container restart policy set",
        ],
        not_binds: &[
            "Restart policies defined",
            "Pod restartPolicy set in Kubernetes manifests",
            "Restart the service after deploy",
        ],
    },
};

#[async_trait::async_trait]
impl Check for ComposeRestartPolicy {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// However an item wants Compose services restarted, they need a restart policy.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["restart"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let claim = has_any(
            view.lower,
            &[
                "restart policy",
                "restart policies",
                "restart-policy",
                "restart: always",
                "restart: unless-stopped",
            ],
        );
        // The claim is cheap to rule out; what the item is about costs more.
        if !claim {
            return BindVerdict::No;
        }
        let s = Subject::of(view);
        bind_claim(
            view,
            claim,
            s.compose_side(),
            &[
                "restart",
                "policy",
                "policies",
                "restart-policy",
                "always",
                "unless-stopped",
                "defined",
                "for",
                "has",
                "have",
                "a",
            ],
            "wording asks for restart policies of containers",
        )
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let Some(f) = over_services(&ctx, |rel, s, f| {
            let restart = yaml::get(s.node, "restart");
            let swarm = yaml::path(s.node, &["deploy", "restart_policy"]);
            match (restart, swarm) {
                (Some(r), _) => {
                    let v = yaml::as_str(r).unwrap_or_default();
                    let v = v.trim();
                    let detail = if v == "no" || v == "false" {
                        format!(
                            "service {}: restart: \"no\" (deliberately not restarted)",
                            s.name
                        )
                    } else {
                        format!("service {}: restart: {v}", s.name)
                    };
                    f.note(rel, Some(yaml::line(r)), detail);
                }
                (None, Some(p)) => {
                    let cond = yaml::get(p, "condition")
                        .and_then(yaml::as_str)
                        .unwrap_or_else(|| "any".into());
                    f.note(
                        rel,
                        Some(yaml::line(p)),
                        format!("service {}: deploy.restart_policy {cond}", s.name),
                    );
                }
                (None, None) => f.problem_at(
                    &service_label(rel, s),
                    rel,
                    Some(s.line),
                    format!("service {}: no restart policy", s.name),
                ),
            }
        }) else {
            return no_compose();
        };
        f.outcome(
            "Compose service",
            "every service has a restart policy",
            "a service has no restart policy; add `restart: unless-stopped`",
        )
    }
}
