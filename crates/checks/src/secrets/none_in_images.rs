//! `secrets.none-in-images` — no secrets baked into images or deployment files: Dockerfiles,
//! compose files, Kubernetes manifests and committed `.env` files.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::images::{is_compose, is_env_file, is_manifest_text, is_yaml, secret_file_copied};
use super::rules::is_dockerfile;
use super::{coverage, describe, tree_scan};
use crate::wording::{has_any, human_act};

/// Files that carry a deployment besides the image. This check is the one that reads them
/// all; an item naming only the image is `docker.no-secrets-in-image`'s, and one naming only
/// manifests is `k8s.no-committed-secret-data`'s.
pub(crate) const DEPLOYMENT_FILES: &[&str] = &[
    "manifest",
    "manifests",
    "compose",
    "docker-compose",
    "compose files",
    "deploy file",
    "deploy files",
    "deployment file",
    "deployment files",
    "deployment descriptors",
    "descriptors",
    "deployment artefacts",
    "deployment artifacts",
    "artefacts",
    "artifacts",
    "k8s yaml",
    "kubernetes yaml",
    "helm charts",
];

/// Words that name a container image or how it is built.
pub(crate) const IMAGE_WORDS: &[&str] = &[
    "image",
    "images",
    "imgs",
    "docker image",
    "docker images",
    "container image",
    "container images",
    "dockerfile",
    "dockerfiles",
    "containers",
];

pub struct NoneInImages;

static META: CheckMeta = CheckMeta {
    id: "secrets.none-in-images",
    title: "No secrets baked into images or deployment files",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "max_evidence",
        kind: ParamKind::Integer,
        default: Some("50"),
        required: false,
        doc: "findings listed as evidence; the message counts them all",
    }],
    docs: CheckDocs {
        what: "Looks for credentials in Dockerfiles (`ENV`/`ARG` values, and `COPY`/`ADD` of key, \
               dotenv or credential files into the image), compose files, Kubernetes manifests \
               (including literal values of `kind: Secret` manifests) and `.env` files committed \
               by mistake, with the same rules as secrets.none-in-repository.",
        why: "Anything in an image layer can be read by everyone who can pull the image, even if a \
              later layer deletes it; manifests and compose files are copied to clusters, CI logs \
              and laptops.",
        fix: "Pass secrets at run time (`docker run --env-file`, compose `secrets:`, a Kubernetes \
              Secret created from a secrets store or an external-secrets operator, BuildKit \
              `RUN --mount=type=secret` at build time) and remove the value from the file; rotate \
              it.",
        example: "Dockerfile:\n  RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n\
                  deployment.yaml:\n  env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: {name: db, key: password}",
        binds: &[
            "No secrets in images or manifests",
            "Container images and compose files contain no credentials",
            "Deployment artefacts (images, compose, manifests) are free of secrets",
            "Dockerfiles and Kubernetes YAML have no hardcoded secrets",
        ],
        not_binds: &[
            "Image pull secrets configured",
            "Kubernetes secrets created",
            "Images are signed",
            "No secrets in code",
            "Container registry credentials rotated",
            "No secrets baked into the Docker image",
            "No secret data in the Kubernetes manifests",
        ],
    },
};

#[async_trait::async_trait]
impl Check for NoneInImages {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["secret", "credential", "password", "key", "token"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let l = view.lower;
        let secretish = has_any(
            l,
            &[
                "secret",
                "secrets",
                "credential",
                "credentials",
                "password",
                "passwords",
                "api key",
                "api keys",
                "token",
                "tokens",
            ],
        );
        let images = has_any(l, IMAGE_WORDS) && has_any(l, DEPLOYMENT_FILES);
        let absent = has_any(
            l,
            &[
                "no",
                "not",
                "without",
                "free of",
                "never",
                "none",
                "hardcoded",
                "hard-coded",
                "baked",
            ],
        ) || super::searched_for(l);
        if !(secretish && images && absent) || has_any(l, &["pull secret", "pull secrets"]) {
            return BindVerdict::No;
        }
        let candidates = vec![AutoBinding::new("wording says images hold no secrets")];
        if let Some(act) = human_act(l) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement; a secret scan does not prove it"),
                candidates,
            };
        }
        BindVerdict::Bind(candidates)
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let c = ctx.clone();
        let work = tokio::task::spawn_blocking(move || -> Result<_, String> {
            let tree = tree_scan(&c)?;
            let accept = super::scan::Accept::load(&c.repo, &c.secrets)?;
            let index = c.repo_index();
            let mut container_files = Vec::new();
            let mut copies = Vec::new();
            for f in &index.files {
                let rel = f.rel.as_str();
                if accept.path_allowed(rel) {
                    continue;
                }
                if is_dockerfile(rel) {
                    container_files.push(rel.to_string());
                    if let Ok(t) = &*c.text(rel) {
                        for (i, line) in t.text.lines().enumerate() {
                            if let Some(src) = secret_file_copied(line)
                                && !line.contains(super::scan::ALLOW_MARK)
                            {
                                copies.push((rel.to_string(), i + 1, src));
                            }
                        }
                    }
                } else if is_compose(rel) || is_env_file(rel) {
                    container_files.push(rel.to_string());
                } else if is_yaml(rel)
                    && f.size <= gonogo_engine::repo::MAX_READ_BYTES
                    && let Ok(t) = &*c.text(rel)
                    && is_manifest_text(t.text.as_bytes())
                {
                    container_files.push(rel.to_string());
                }
            }
            Ok((tree, container_files, copies))
        })
        .await;
        let (tree, files, copies) = match work {
            Ok(Ok(x)) => x,
            Ok(Err(e)) => return Outcome::error(format!("secret scan not run: {e}")),
            Err(e) => return Outcome::error(format!("secret scan failed: {e}")),
        };
        if files.is_empty() {
            return Outcome::skipped(
                "no Dockerfile, compose file, Kubernetes manifest or .env file in the repository",
            );
        }
        let max_evidence = params
            .get("max_evidence")
            .and_then(|v| v.as_u64())
            .unwrap_or(50) as usize;
        let in_scope: Vec<_> = tree
            .findings
            .iter()
            .filter(|f| files.binary_search(&f.file).is_ok() || tree.manifests.contains(&f.file))
            .collect();
        let mut evidence: Vec<Evidence> = in_scope
            .iter()
            .map(|f| Evidence::at(f.file.clone(), Some(f.line), describe(f)))
            .chain(copies.iter().map(|(file, line, src)| {
                Evidence::at(
                    file.clone(),
                    Some(*line),
                    format!("copies {src} into the image"),
                )
            }))
            .collect();
        let total = evidence.len();
        evidence.truncate(max_evidence);
        if total > evidence.len() {
            evidence.push(Evidence::detail(format!(
                "{} more not listed (raise max_evidence)",
                total - evidence.len()
            )));
        }
        evidence.push(Evidence::detail(format!(
            "{} container and deployment files: {}",
            files.len(),
            files.iter().take(8).cloned().collect::<Vec<_>>().join(", ")
        )));
        evidence.push(Evidence::detail(coverage(&tree)));
        let mut outcome = if total == 0 {
            Outcome::pass(format!(
                "no secrets in {} Dockerfile, compose, manifest or .env file{}",
                files.len(),
                if files.len() == 1 { "" } else { "s" }
            ))
        } else {
            let mut parts = Vec::new();
            if !in_scope.is_empty() {
                parts.push(format!(
                    "{} secret{} in container or deployment files",
                    in_scope.len(),
                    if in_scope.len() == 1 { "" } else { "s" }
                ));
            }
            if !copies.is_empty() {
                parts.push(format!(
                    "{} secret file{} copied into images",
                    copies.len(),
                    if copies.len() == 1 { "" } else { "s" }
                ));
            }
            Outcome::fail(format!(
                "{}: pass secrets at run time (env files, compose/Kubernetes secrets, BuildKit secret mounts) and rotate them",
                parts.join(" and ")
            ))
        };
        outcome.evidence = evidence;
        outcome
    }
}
