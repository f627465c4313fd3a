//! `docker.no-secrets-in-image` — no credential is baked into an image: no secret-looking
//! literal in ENV or ARG, and no `.env`, private key or credentials file copied in.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::dockerfile::Form;
use super::{Subject, bind_claim, masked, no_dockerfile, over_dockerfiles, secret_literal};
use crate::wording::has_any;

pub struct NoSecretsInImage;

static META: CheckMeta = CheckMeta {
    id: "docker.no-secrets-in-image",
    title: "No secrets baked into images",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "No Dockerfile sets a credential-named ENV or ARG (password, token, secret, API \
               key…) to a literal value, or any value shaped like a known token or a URL with \
               a password; and no COPY or ADD brings in `.env`, private keys (`*.pem`, \
               `*.key`, `id_rsa`…), keystores or cloud credentials files. References such as \
               `$DB_PASSWORD` and placeholders such as `<from-vault>` are not secrets.",
        why: "Everything in ENV, ARG defaults and copied files is stored in the image layers \
              and its history: anyone who can pull the image can read the secret, long after \
              it was \"removed\" in a later layer.",
        fix: "Pass secrets at run time (environment from a secrets manager, Docker/Compose \
              secrets, Kubernetes Secrets) or use BuildKit build secrets \
              (`RUN --mount=type=secret,id=npm_token …`); add `.env` and key files to \
              .dockerignore.",
        example: "# syntax=docker/dockerfile:1\nFROM node:22-slim\nRUN --mount=type=secret,id=npm_token \\\n    NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\nENV DATABASE_PASSWORD_FILE=/run/secrets/db_password",
        binds: &[
            "No secrets in images",
            "No secrets in Docker images",
            "Dockerfile contains no hardcoded credentials",
            "Secrets are not baked into container images",
            "Scan container images for leaked credentials",
            "Check the image for secrets",
            "Sensitive data should not be used in ARG or ENV instructions",
        ],
        not_binds: &[
            "No secrets in code",
            "All secrets stored in secrets manager (not in code/config)",
            "Kubernetes secrets created (or external secrets operator configured)",
            "No plaintext secrets in docker-compose environment",
            "No secrets in images or manifests",
            "The code is scanned for secrets",
        ],
    },
};

pub(crate) const SECRET_WORDS: &[&str] = &[
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
    "private key",
    "private keys",
    "sensitive data",
    "sensitive information",
    "sensitive values",
];

pub(crate) const ABSENCE_WORDS: &[&str] =
    &["no", "not", "without", "never", "free", "none", "zero"];

pub(crate) const SECRET_ALLOWED: &[&str] = &[
    "secret",
    "secrets",
    "credential",
    "credentials",
    "password",
    "passwords",
    "api",
    "key",
    "keys",
    "token",
    "tokens",
    "private",
    "hardcoded",
    "hard-coded",
    "plaintext",
    "plain",
    "text",
    "baked",
    "into",
    "in",
    "contains",
    "contain",
    "free",
    "without",
    "zero",
    "embedded",
    "stored",
    "layers",
    "leaked",
    "scan",
    "scans",
    "scanned",
    "scanning",
    "check",
    "checks",
    "checked",
    "checking",
    "for",
];

/// Whether a copied source names a file that holds secrets.
fn secret_file(src: &str) -> Option<&'static str> {
    let name = src
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(src)
        .to_ascii_lowercase();
    const ENV_EXAMPLES: &[&str] = &["example", "sample", "template", "dist", "defaults", "tpl"];
    if name == ".env"
        || (name.starts_with(".env.") && !ENV_EXAMPLES.iter().any(|e| name.ends_with(e)))
    {
        return Some("an environment file");
    }
    if matches!(
        name.as_str(),
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" | ".netrc" | ".pgpass" | ".git-credentials"
    ) {
        return Some("a credentials file");
    }
    if name == "credentials" && src.contains(".aws") {
        return Some("AWS credentials");
    }
    if [".pem", ".key", ".p12", ".pfx", ".jks", ".keystore"]
        .iter()
        .any(|ext| name.ends_with(ext))
        && !name.ends_with(".pub.pem")
        && !name.contains("public")
        && !name.contains("cert")
        && !name.contains("chain")
        && !name.starts_with("ca.")
        && !name.starts_with("ca-")
    {
        return Some("a private key or keystore");
    }
    None
}

#[async_trait::async_trait]
impl Check for NoSecretsInImage {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        crate::wording::triggers_of(&[SECRET_WORDS])
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        // "Images scanned for secrets" asks, as "no secrets in images" does, that none are there.
        let claim = has_any(lower, SECRET_WORDS)
            && (has_any(lower, ABSENCE_WORDS) || crate::secrets::searched_for(lower));
        // The claim is cheap to rule out; what the item is about costs more.
        // Images together with compose files or manifests: secrets.none-in-images reads them all.
        if !claim || has_any(lower, crate::secrets::none_in_images::DEPLOYMENT_FILES) {
            return BindVerdict::No;
        }
        let s = Subject::of(view);
        // The Dockerfile's own instructions, as Dockerfiles write them ("in the ARG or ENV
        // commands"), name it too.
        let instructions = crate::wording::names_as_written(view, &["ARG", "ENV"]);
        let side = instructions
            || s.dockerfile_side()
                && (has_any(
                    lower,
                    &[
                        "image",
                        "images",
                        "dockerfile",
                        "dockerfiles",
                        "containerfile",
                    ],
                ));
        // Sensitive data "used in the ARG or ENV commands": the instructions' own words.
        let allowed: Vec<&str> = SECRET_ALLOWED
            .iter()
            .chain(&[
                "sensitive",
                "data",
                "information",
                "potentially",
                "arg",
                "env",
                "instructions",
                "instruction",
                "commands",
                "used",
            ])
            .copied()
            .collect();
        bind_claim(
            view,
            claim,
            side,
            &allowed,
            "wording says images hold no secrets",
        )
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let Some(f) = over_dockerfiles(&ctx, |rel, df, f| {
            for ins in &df.instructions {
                match ins.keyword.as_str() {
                    "ENV" | "ARG" => {
                        for (k, v) in ins.pairs() {
                            let Some(v) = v else { continue };
                            if let Some(why) = secret_literal(&k, &v) {
                                f.problem(
                                    rel,
                                    Some(ins.line),
                                    format!("{} {k}={}: {why}", ins.keyword, masked(&v)),
                                );
                            }
                        }
                    }
                    "COPY" | "ADD" => {
                        let words = ins.words();
                        let sources = match (&ins.form, words.len()) {
                            (_, 0 | 1) => &[][..],
                            (Form::Exec(_) | Form::Shell(_), n) => &words[..n - 1],
                        };
                        for src in sources {
                            if let Some(kind) = secret_file(src) {
                                f.problem(
                                    rel,
                                    Some(ins.line),
                                    format!("{} {src}: copies {kind} into the image", ins.keyword),
                                );
                            }
                        }
                    }
                    _ => {}
                }
            }
        }) else {
            return no_dockerfile();
        };
        f.outcome(
            "Dockerfile",
            "no secret-looking ENV/ARG value and no key or .env file copied in",
            "a secret is baked into the image; pass it at run time or as a BuildKit secret",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::secret_file;

    #[test]
    fn secret_files() {
        for s in [
            ".env",
            "config/.env.production",
            "id_rsa",
            "certs/server.key",
            "tls/key.pem",
            "/root/.aws/credentials",
        ] {
            assert!(secret_file(s).is_some(), "{s}");
        }
        for s in [
            ".env.example",
            "app.py",
            "certs/ca.pem",
            "fullchain.pem",
            "cert.pem",
            "public.pem",
            "keys/",
        ] {
            assert!(secret_file(s).is_none(), "{s}");
        }
    }
}
