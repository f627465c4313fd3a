//! `docker.base-image-pinned` — every FROM names its base image by a tag other than `latest`
//! (or by digest, when asked).

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::{Subject, bind_claim, no_dockerfile, over_dockerfiles, pin_problem};
use crate::wording::has_any;

pub struct BaseImagePinned;

static META: CheckMeta = CheckMeta {
    id: "docker.base-image-pinned",
    title: "Base images are pinned",
    target: TargetKind::Repository,
    params: &[super::REQUIRE_DIGEST],
    docs: CheckDocs {
        what: "Every `FROM` of every Dockerfile names an image with an explicit tag other than \
               `latest` (with `require_digest`, an `@sha256:` digest). Global ARG defaults are \
               expanded; `scratch` and earlier stages are not images; a base chosen only at \
               build time is noted, not failed.",
        why: "`latest` and untagged images change under you: the same commit builds a different \
              image tomorrow, a rollback does not roll back, and a compromised upstream tag \
              flows straight into production.",
        fix: "Name the version: `FROM python:3.12.7-slim`; to make builds reproducible, pin \
              the digest too: `FROM python:3.12.7-slim@sha256:<digest>`.",
        example: "FROM python:3.12.7-slim@sha256:2ec5a4a5c3e9199a5ca4b6cbbd8bf9e8a2b0c8d1e4f5a6b7c8d9e0f1a2b3c4d5",
        binds: &[
            "Base images pinned",
            "Base images pinned to a digest",
            "No `latest` tag in Dockerfiles",
            "Dockerfile base images use pinned versions",
        ],
        not_binds: &[
            "Image tags: `latest`, `YYYY.MM.DD`, `commit-sha`",
            "Dependencies pinned in requirements.txt",
            "Docker image publishing to GHCR",
            "Pin dependencies and base images",
        ],
    },
};

pub(crate) const PIN_WORDS: &[&str] = &[
    "pinned",
    "pin",
    "pins",
    "pinning",
    "digest",
    "digests",
    "sha256",
    "no latest",
    "not latest",
    "avoid latest",
    "without latest",
    "no `latest`",
    "specific version",
    "specific versions",
    "fixed version",
    "fixed versions",
    "explicit tag",
    "explicit tags",
    "immutable tag",
    "immutable tags",
];

/// Things other than images that an item may also say are pinned.
pub(crate) const OTHER_PINNED: &[&str] = &[
    "dependencies",
    "dependency",
    "packages",
    "package",
    "libraries",
    "requirements",
    "modules",
    "actions",
];

pub(crate) const PIN_ALLOWED: &[&str] = &[
    "base",
    "pinned",
    "pin",
    "pins",
    "pinning",
    "to",
    "a",
    "by",
    "digest",
    "digests",
    "sha256",
    "latest",
    "tag",
    "tags",
    "specific",
    "fixed",
    "explicit",
    "immutable",
    "version",
    "versions",
    "avoid",
    "without",
    "from",
    "in",
];

/// Whether the wording asks for pinned images: a pinning word, or "no latest".
pub(crate) fn claims_pinned(lower: &str) -> bool {
    has_any(lower, PIN_WORDS)
        || (has_any(lower, &["latest"])
            && has_any(lower, &["no", "not", "avoid", "without", "never"]))
}

/// What both pinned-image checks do once each has decided whether the item is about its own
/// files (`side`): decline an item that also claims dependencies are pinned, and ask for
/// digests when the item names them.
pub(crate) fn bind_pinned(view: &ItemView<'_>, side: bool, reason: &str) -> BindVerdict {
    let lower = view.lower;
    if side && has_any(lower, PIN_WORDS) && has_any(lower, OTHER_PINNED) {
        return BindVerdict::Declined {
            why: "the item also claims dependencies are pinned; this check reads only images"
                .into(),
            candidates: vec![gonogo_engine::catalogue::AutoBinding::new(
                "wording asks for pinned images",
            )],
        };
    }
    match bind_claim(view, claims_pinned(lower), side, PIN_ALLOWED, reason) {
        BindVerdict::Bind(mut b) if has_any(lower, &["digest", "digests", "sha256"]) => {
            b[0] = b[0].clone().with("require_digest", Value::Bool(true));
            BindVerdict::Bind(b)
        }
        v => v,
    }
}

#[async_trait::async_trait]
impl Check for BaseImagePinned {
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
        let side = Subject::of(view).dockerfile_side()
            && has_any(
                lower,
                &["image", "images", "dockerfile", "dockerfiles", "from"],
            );
        bind_pinned(view, side, "wording asks for pinned base images")
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let digest = super::requires_digest(&params);
        let Some(f) = over_dockerfiles(&ctx, |rel, df, f| {
            for (i, stage) in df.stages.iter().enumerate() {
                let e = df.expand_from(i);
                let image = e.text.trim();
                if image.eq_ignore_ascii_case("scratch") || df.stage_named(image, i).is_some() {
                    continue;
                }
                if !e.unresolved.is_empty() {
                    f.note(
                        rel,
                        Some(stage.line),
                        format!(
                            "FROM {} is chosen at build time ({}); not judged",
                            stage.image,
                            e.unresolved.join(", ")
                        ),
                    );
                    continue;
                }
                match pin_problem(image, digest) {
                    Some(p) => f.problem(rel, Some(stage.line), p),
                    None => f.note(rel, Some(stage.line), format!("FROM {image}")),
                }
            }
        }) else {
            return no_dockerfile();
        };
        let (pass, fail) = if digest {
            (
                "every base image is pinned to a digest",
                "a base image is not pinned to a digest; add `@sha256:<digest>` to its FROM",
            )
        } else {
            (
                "every base image has a tag other than latest",
                "a base image is untagged or `latest`; name a version in its FROM",
            )
        };
        f.outcome("Dockerfile", pass, fail)
    }
}
