//! `k8s.no-committed-secret-data` — no `kind: Secret` manifest carries its values.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use super::objects::{Inventory, Spec};
use super::{no_manifests, verdict};
use crate::wording::{has_any, leftover};

/// A Secret object's own words, and the operators that make Secrets from a store.
const SECRET_OBJECT_WORDS: &[&str] = &[
    "secret data",
    "secret values",
    "secret objects",
    "externalsecret",
    "externalsecrets",
    "external-secrets",
    "sealed-secrets",
    "sealedsecret",
    "sealedsecrets",
];

pub struct NoCommittedSecretData;

static META: CheckMeta = CheckMeta {
    id: "k8s.no-committed-secret-data",
    title: "No Kubernetes Secret manifest commits its data",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "No `kind: Secret` manifest in the repository has a non-empty value under data or \
               stringData. Empty values and deploy-time substitutions (`${VAR}`, `$(VAR)`) do \
               not count. Values are never shown, only the key names and lines.",
        why: "base64 is an encoding, not encryption: a Secret manifest in git publishes its \
              values to everyone with read access, forever (history keeps them after deletion).",
        fix: "Remove the values from git and rotate them; create Secrets at deploy time from a \
              secrets manager (External Secrets Operator, Sealed Secrets, SOPS, Vault).",
        example: "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: db}\n\
                  spec:\n  secretStoreRef: {name: vault, kind: ClusterSecretStore}",
        binds: &[
            "No plaintext Kubernetes Secrets committed",
            "Kubernetes Secret manifests contain no secret values",
            "No secrets in Kubernetes manifests",
            "No Secret data committed",
            "Remove Secret data from the manifests (use sealed-secrets)",
        ],
        not_binds: &[
            "Kubernetes secrets created (or external secrets operator configured)",
            "Secrets encrypted at rest in etcd",
            "No secrets in code",
            "No secrets in container images or manifests",
            "No secret data in application logs",
            "No secrets in logs",
        ],
    },
};

#[async_trait::async_trait]
impl Check for NoCommittedSecretData {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["secret"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        // A Secret object's own words ("Secret data", "Secret values", an ExternalSecret) name
        // Kubernetes as much as "manifests" does. A Kubernetes heading alone does not: "No
        // secrets in logs" under it is not about Secret objects.
        let k8s_own = has_any(
            lower,
            &["kubernetes", "k8s", "manifest", "manifests", "helm"],
        ) || has_any(lower, SECRET_OBJECT_WORDS);
        // A question asks whether there are any ("Are any Secret values committed?").
        let denied = has_any(
            lower,
            &["no", "not", "never", "without", "none", "remove", "removed"],
        ) || crate::wording::is_question(view);
        // Manifests together with images: secrets.none-in-images reads both.
        if !k8s_own
            || has_any(lower, crate::secrets::none_in_images::IMAGE_WORDS)
            // Secret data said of what a running service writes is not the manifests'.
            || has_any(
                lower,
                &["log", "logs", "logging", "logged", "output", "stdout", "response", "responses", "telemetry", "traces"],
            )
            || !has_any(lower, &["secret", "secrets"])
            || !denied
        {
            return BindVerdict::No;
        }
        let b = AutoBinding::new("wording forbids secret values in Kubernetes manifests");
        let extra = leftover(
            lower,
            &[
                "no",
                "not",
                "never",
                "without",
                "plaintext",
                "plain",
                "text",
                "kubernetes",
                "k8s",
                "secret",
                "secrets",
                "manifest",
                "manifests",
                "committed",
                "in",
                "git",
                "contain",
                "values",
                "data",
                "helm",
                "charts",
                "stored",
                // How the values get there instead, and where they are not.
                "none",
                "remove",
                "removed",
                "from",
                "any",
                "keep",
                "kept",
                "inline",
                "objects",
                "object",
                "via",
                "instead",
                "use",
                "using",
                "gitops",
            ]
            .iter()
            .chain(SECRET_OBJECT_WORDS)
            .copied()
            .collect::<Vec<_>>(),
        );
        super::bind_unless_more(&extra, "Secret manifests show", b)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let inv = Inventory::of(&ctx);
        if let Some(o) = no_manifests(&inv) {
            return o;
        }
        let mut violations = Vec::new();
        let mut secrets = 0;
        for o in inv.of_kind("Secret") {
            let Spec::Secret { keys } = &o.spec else {
                continue;
            };
            secrets += 1;
            for (key, line) in keys {
                violations.push(Evidence::at(
                    o.file.clone(),
                    Some(*line),
                    format!(
                        "{} commits a value for `{key}` (value not shown)",
                        o.display()
                    ),
                ));
            }
        }
        verdict(
            &inv,
            violations,
            format!(
                "no Secret manifest holds values ({secrets} Secret(s) among {} objects)",
                inv.total_objects()
            ),
            |n, first| {
                format!(
                    "{n} secret value(s) committed in Secret manifests: {first}; remove and rotate them, and create the Secret from a secrets manager"
                )
            },
        )
    }
}
