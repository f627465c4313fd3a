//! `compose.images-pinned` — every Compose service that pulls an image names a tag other than
//! `latest` (or a digest, when asked).

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::docker_base_image_pinned::{PIN_WORDS, bind_pinned, claims_pinned};
use super::{Subject, expand_compose, no_compose, over_services, pin_problem, service_label};
use crate::wording::has_any;
use crate::yaml;

pub struct ComposeImagesPinned;

static META: CheckMeta = CheckMeta {
    id: "compose.images-pinned",
    title: "Compose images are pinned",
    target: TargetKind::Repository,
    params: &[super::REQUIRE_DIGEST],
    docs: CheckDocs {
        what: "Every service's `image:` has an explicit tag other than `latest` (with \
               `require_digest`, an `@sha256:` digest). Services that `build:` their image are \
               judged by `docker.base-image-pinned` instead; `${TAG:-1.2}` gives its default; \
               a tag chosen only by the environment is noted, not failed.",
        why: "A service on `latest` runs whatever was pushed last: two hosts started a day apart \
              run different code, and `docker compose pull` can upgrade a database major \
              version by surprise.",
        fix: "Name the version in each `image:` (`postgres:16.4`), or `postgres:16.4@sha256:…` \
              for reproducible deploys.",
        example: "services:\n  cache:\n    image: redis:7.4.1-alpine",
        binds: &[
            "Docker Compose images pinned",
            "docker-compose services use pinned image versions",
            "Docker images use pinned versions",
        ],
        not_binds: &[
            "Image tags: `latest`, `YYYY.MM.DD`, `commit-sha`",
            "Base images pinned to a digest",
            "Docker Compose tested",
        ],
    },
};

#[async_trait::async_trait]
impl Check for ComposeImagesPinned {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        crate::wording::triggers_of(&[PIN_WORDS, &["latest"]])
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        // The claim is cheap to rule out; what the item is about costs more.
        if !claims_pinned(lower) {
            return BindVerdict::No;
        }
        let side = Subject::of(view).compose_side()
            && has_any(lower, &["image", "images"])
            && !has_any(lower, &["base", "dockerfile", "dockerfiles", "from"]);
        bind_pinned(view, side, "wording asks for pinned Compose images")
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let digest = super::requires_digest(&params);
        let Some(f) = over_services(&ctx, |rel, s, f| {
            if yaml::get(s.node, "build").is_some() {
                return;
            }
            let Some(node) = yaml::get(s.node, "image") else {
                f.problem_at(
                    &service_label(rel, s),
                    rel,
                    Some(s.line),
                    format!("service {}: neither image nor build", s.name),
                );
                return;
            };
            let raw = yaml::as_str(node).unwrap_or_default();
            let e = expand_compose(&raw);
            if !e.unresolved.is_empty() {
                f.note(
                    rel,
                    Some(yaml::line(node)),
                    format!(
                        "service {}: image {raw} is chosen by the environment ({}); not judged",
                        s.name,
                        e.unresolved.join(", ")
                    ),
                );
                return;
            }
            match pin_problem(e.text.trim(), digest) {
                Some(p) => f.problem_at(
                    &service_label(rel, s),
                    rel,
                    Some(yaml::line(node)),
                    format!("service {}: {p}", s.name),
                ),
                None => f.note(
                    rel,
                    Some(yaml::line(node)),
                    format!("service {}: {}", s.name, e.text.trim()),
                ),
            }
        }) else {
            return no_compose();
        };
        let (pass, fail) = if digest {
            (
                "every pulled image is pinned to a digest",
                "an image is not pinned to a digest; add `@sha256:<digest>`",
            )
        } else {
            (
                "every pulled image has a tag other than latest",
                "an image is untagged or `latest`; name a version in `image:`",
            )
        };
        f.outcome("Compose service", pass, fail)
    }
}
