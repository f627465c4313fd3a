//! `compose.healthchecks` — every Compose service has a health check.

use std::collections::HashMap;
use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::docker_healthcheck::{HEALTH_WORDS, final_healthcheck};
use super::{
    LIVE_WORDS, Subject, bind_claim, built_dockerfile, dockerfiles, no_compose, over_services,
    service_label,
};
use crate::wording::has_any;
use crate::yaml::{self, Node};

pub struct ComposeHealthchecks;

static META: CheckMeta = CheckMeta {
    id: "compose.healthchecks",
    title: "Compose services have health checks",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "Every service of every Compose file has a `healthcheck:` with a `test` (not \
               `disable: true` or `test: [\"NONE\"]`), or builds a Dockerfile whose final \
               stage declares a HEALTHCHECK.",
        why: "Compose only knows a container is ready when it has a health check: without one, \
              `depends_on: condition: service_healthy` cannot work, dependants start against a \
              service that is still booting, and a hung process shows as `Up`.",
        fix: "Add to each service `healthcheck: {test: [\"CMD\", \"curl\", \"-fsS\", \"http://localhost:8080/health\"], interval: 30s, timeout: 5s, retries: 3}` \
              (for databases, `pg_isready`, `redis-cli ping`…).",
        example: "services:\n  db:\n    image: postgres:16.4\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\", \"-U\", \"app\"]\n      interval: 10s",
        binds: &[
            "Docker Compose services have healthchecks",
            "Health checks defined for every service in docker-compose.yml",
            "Docker health checks configured",
        ],
        not_binds: &[
            "Health checks passing",
            "Dockerfile has HEALTHCHECK",
            "Deployment with health/readiness probes",
            "All services healthy after docker-compose up",
        ],
    },
};

/// Whether a `healthcheck:` mapping switches the check off.
pub(crate) fn disabled(hc: &Node) -> bool {
    if yaml::get(hc, "disable").and_then(yaml::as_bool) == Some(true) {
        return true;
    }
    match yaml::get(hc, "test") {
        Some(t) => {
            let first = yaml::items(t)
                .first()
                .and_then(yaml::as_str)
                .or_else(|| yaml::as_str(t));
            first.is_some_and(|s| s.eq_ignore_ascii_case("none"))
        }
        // Only timing options: inherits the image's test.
        None => false,
    }
}

#[async_trait::async_trait]
impl Check for ComposeHealthchecks {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        crate::wording::triggers_of(&[HEALTH_WORDS])
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let claim = has_any(view.lower, HEALTH_WORDS);
        // The claim is cheap to rule out; what the item is about costs more.
        if !claim {
            return BindVerdict::No;
        }
        // HEALTHCHECK in capitals is the Dockerfile instruction (docker.healthcheck).
        if view
            .item
            .text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| w == "HEALTHCHECK")
            && !has_any(view.lower, &["compose", "docker-compose"])
        {
            return BindVerdict::No;
        }
        let s = Subject::of(view);
        if claim && s.compose_side() && has_any(view.lower, LIVE_WORDS) {
            return BindVerdict::Declined {
                why: "the item is about health checks passing on running containers; this \
                      check reads the Compose files"
                    .into(),
                candidates: Vec::new(),
            };
        }
        bind_claim(
            view,
            claim,
            s.compose_side() && (s.compose || !s.dockerfile),
            &[
                "healthcheck",
                "healthchecks",
                "health",
                "check",
                "checks",
                "health-check",
                "health-checks",
                "define",
                "defines",
                "defined",
                "has",
                "have",
                "for",
                "in",
            ],
            "wording asks for health checks on Compose services",
        )
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let images: HashMap<String, (Option<bool>, Option<usize>)> = dockerfiles(&ctx)
            .iter()
            .filter_map(|e| {
                let df = e.parsed.as_ref().ok()?;
                (!df.stages.is_empty()).then(|| (e.rel.clone(), final_healthcheck(df)))
            })
            .collect();
        let Some(f) = over_services(&ctx, |rel, s, f| {
            let label = service_label(rel, s);
            match yaml::get(s.node, "healthcheck") {
                Some(hc) if disabled(hc) => f.problem_at(
                    &label,
                    rel,
                    Some(yaml::line(hc)),
                    format!("service {}: healthcheck is disabled", s.name),
                ),
                Some(hc) => f.note(
                    rel,
                    Some(yaml::line(hc)),
                    format!("service {}: healthcheck defined", s.name),
                ),
                None => {
                    let built = built_dockerfile(rel, s.node);
                    match built.as_ref().and_then(|d| images.get(d).map(|h| (d, h))) {
                        Some((d, (Some(true), line))) => f.note(
                            d,
                            *line,
                            format!(
                                "service {} ({rel}): HEALTHCHECK in the Dockerfile it builds",
                                s.name
                            ),
                        ),
                        _ => f.problem_at(
                            &label,
                            rel,
                            Some(s.line),
                            format!("service {}: no healthcheck", s.name),
                        ),
                    }
                }
            }
        }) else {
            return no_compose();
        };
        f.outcome(
            "Compose service",
            "every service has a health check",
            "a service has no health check; add `healthcheck: {test: [...]}`",
        )
    }
}
