//! `k8s.image-pinned` — every container image names a version tag or digest, not `latest`.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::objects::Inventory;
use super::{count, k8s_context, no_manifests, verdict};
use crate::wording::{has_any, leftover};

pub struct ImagePinned;

static META: CheckMeta = CheckMeta {
    id: "k8s.image-pinned",
    title: "Container images are pinned to a tag or digest other than latest",
    target: TargetKind::Repository,
    params: &[crate::container::REQUIRE_DIGEST],
    docs: CheckDocs {
        what: "Every container and init container image in the Kubernetes manifests has a tag \
               other than `latest`, or a digest (`@sha256:…`); with `require_digest`, a digest. Items \
               about image tags that name no platform bind here as well as to the Dockerfiles' \
               check (skipped without manifests). A bare name that is one of the \
               product's Skaffold artifacts, or a `ko://` reference, is pinned when it is \
               deployed (the builder substitutes the tag and digest it built).",
        why: "An untagged or `latest` image changes under the same manifest: a reschedule pulls \
              a different build, rollbacks roll back nothing, and two pods of one Deployment \
              can run different code.",
        fix: "Reference images by an immutable version tag (`api:1.4.2`) or by digest \
              (`api@sha256:…`), and bump it on each release.",
        example: "containers:\n- name: api\n  image: ghcr.io/acme/api:1.4.2",
        binds: &[
            "Kubernetes images pinned to versions (no latest tag)",
            "No latest tags in Kubernetes manifests",
            "Pod images use immutable tags",
            "Deployed images are pinned to a digest",
            "Image tags are stable and :latest is avoided",
        ],
        not_binds: &[
            "Docker base image pinned",
            "Dependencies pinned",
            "Latest security patches applied",
            "Base images use fixed tags",
        ],
    },
};

/// Why an image reference is not pinned to a digest, if it is not.
fn no_digest(image: &str) -> Option<&'static str> {
    (!image.contains("@sha256:") && !image.contains("@sha512:")).then_some("has no digest")
}

/// Why an image reference is not pinned, if it is not.
pub(crate) fn unpinned(image: &str) -> Option<&'static str> {
    if image.contains("@sha256:") || image.contains("@sha512:") {
        return None;
    }
    // The tag is after the last `:` that follows the last `/` (a registry port is not a tag).
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        None => Some("has no tag (means latest)"),
        Some((_, "latest")) => Some("uses the latest tag"),
        Some((_, "")) => Some("has an empty tag"),
        Some(_) => None,
    }
}

#[async_trait::async_trait]
impl Check for ImagePinned {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["pin", "latest", "immutable", "version", "digest"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let about_images = has_any(lower, &["image", "images", "tag", "tags"])
            && has_any(
                lower,
                &[
                    "pinned",
                    "pin",
                    "latest",
                    "immutable",
                    "versioned",
                    "digest",
                    "digests",
                ],
            );
        // Image tags said of no platform are the images the team deploys wherever it runs
        // them: the manifests' (this check; skipped without any) as well as the Dockerfiles'.
        // A base image, a Dockerfile or Compose, named or as the heading, is another check's.
        const ELSEWHERE: &[&str] = &[
            "docker",
            "dockerfile",
            "dockerfiles",
            "compose",
            "docker-compose",
            "base image",
            "base images",
            "from",
        ];
        let no_platform = !crate::wording::in_context(view, ELSEWHERE)
            // A pin asked for, not tags a pipeline publishes ("Image tags: latest + git SHA").
            && (has_any(lower, &["pinned", "pin", "immutable", "digest", "digests", "fixed", "stable"])
                || has_any(lower, &["latest"])
                    && has_any(lower, &["no", "not", "never", "avoid", "avoided", "without"]))
            && !has_any(
                lower,
                &["ci", "pipeline", "tagged", "push", "pushed", "publish", "published", "release"],
            );
        if !about_images
            || !(k8s_context(view) || no_platform)
            // "Its Docker image tag" under a Kubernetes heading is the image the pods run; a
            // base image or a Compose file is another check's.
            || has_any(
                lower,
                &["base image", "dockerfile", "compose", "docker-compose"],
            )
            || has_any(lower, &["docker"]) && !has_any(lower, &["docker image", "docker images"])
        {
            return BindVerdict::No;
        }
        let mut b = AutoBinding::new("wording asks for pinned images in Kubernetes manifests");
        if has_any(lower, &["digest", "digests", "sha256"]) {
            b = b.with("require_digest", Value::Bool(true));
        }
        let extra = leftover(
            lower,
            &[
                "kubernetes",
                "k8s",
                "pod",
                "pods",
                "image",
                "images",
                "tag",
                "tags",
                "pinned",
                "pin",
                "to",
                "versions",
                "version",
                "no",
                "latest",
                "immutable",
                "versioned",
                "digest",
                "digests",
                "use",
                "uses",
                "manifests",
                "container",
                "containers",
                "not",
                "or",
                "by",
                "specific",
                "docker",
                "master",
            ],
        );
        super::bind_unless_more(&extra, "image references show", b)
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let digest = crate::container::requires_digest(&params);
        let inv = Inventory::of(&ctx);
        if let Some(o) = no_manifests(&inv) {
            return o;
        }
        let built = built_at_deploy(&ctx);
        let mut violations = Vec::new();
        let mut by_builder = 0;
        let mut checked = 0;
        let mut tally = super::Tally::default();
        for (o, w) in inv.workloads(&[]) {
            for c in &w.containers {
                checked += usize::from(tally.add(o, &c.name));
                let why = match &c.image {
                    None => "has no image".to_string(),
                    // Skaffold replaces its artifacts' names with the built tag and digest at
                    // deploy; ko resolves `ko://` references the same way.
                    Some(i) if i.starts_with("ko://") || built.iter().any(|b| b == i) => {
                        by_builder += 1;
                        continue;
                    }
                    Some(i) => match unpinned(i).or_else(|| digest.then(|| no_digest(i)).flatten())
                    {
                        Some(why) => format!("image `{i}` {why}"),
                        None => continue,
                    },
                };
                violations.push(Evidence::at(
                    o.file.clone(),
                    Some(c.image_line),
                    format!("container `{}` of {}: {why}", c.name, o.display()),
                ));
            }
        }
        if checked == 0 {
            return Outcome::skipped("no workloads with containers among the Kubernetes manifests");
        }
        let builder_note = if by_builder > 0 {
            format!(" ({by_builder} set to the built image's tag by Skaffold or ko at deploy)")
        } else {
            String::new()
        };
        verdict(
            &inv,
            violations,
            format!(
                "{} use pinned images{builder_note}",
                count(checked, "container", "containers")
            ),
            |n, first| {
                format!(
                    "{n} of {checked} container images are not pinned: {first}; use {}",
                    if digest {
                        "a digest (`@sha256:…`)"
                    } else {
                        "a version tag or digest"
                    }
                )
            },
        )
    }
}

/// The image names of the product's Skaffold artifacts (`build.artifacts[].image`, in
/// profiles too): Skaffold tags them with what it built when it deploys the manifests.
fn built_at_deploy(ctx: &RunContext) -> Vec<String> {
    let index = ctx.repo_index();
    let mut out = Vec::new();
    for f in index.find(|name, _| matches!(name, "skaffold.yaml" | "skaffold.yml")) {
        if !gonogo_engine::scope::of(&f.rel).is_product() {
            continue;
        }
        let loaded = crate::yaml::load(ctx, &f.rel);
        let Ok(file) = loaded.as_ref() else { continue };
        for doc in &file.docs {
            let mut builds: Vec<&crate::yaml::Node> = Vec::new();
            if let Some(b) = crate::yaml::get(doc, "build") {
                builds.push(b);
            }
            for p in crate::yaml::get(doc, "profiles")
                .map(crate::yaml::items)
                .unwrap_or_default()
            {
                if let Some(b) = crate::yaml::get(p, "build") {
                    builds.push(b);
                }
            }
            for b in builds {
                for a in crate::yaml::get(b, "artifacts")
                    .map(crate::yaml::items)
                    .unwrap_or_default()
                {
                    if let Some(i) = crate::yaml::get(a, "image").and_then(crate::yaml::as_str) {
                        out.push(i.to_string());
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unpinned;

    #[test]
    fn tags_digests_and_registry_ports() {
        assert!(unpinned("nginx").is_some());
        assert!(unpinned("nginx:latest").is_some());
        assert!(unpinned("localhost:5000/app").is_some());
        assert!(unpinned("localhost:5000/app:1.2").is_none());
        assert!(unpinned("app@sha256:abc").is_none());
        assert!(unpinned("ghcr.io/a/b:v1").is_none());
    }
}
