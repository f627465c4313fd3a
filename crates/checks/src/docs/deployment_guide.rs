//! `docs.deployment-guide` — the deployment guide is written down.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::presence::Presence;

pub struct DeploymentGuide;

static META: CheckMeta = CheckMeta {
    id: "docs.deployment-guide",
    title: "Deployment guide present",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A non-empty deployment guide at the root, in docs/ or in .github/: DEPLOYMENT.md, DEPLOY.md, docs/deployment*.md, docs/deploying.md, or a docs/deployment/ folder holding documents (a folder of manifests or keys is not a guide). Otherwise a section of any of the product's Markdown, reStructuredText or AsciiDoc files: a deployment heading over a deploy command (kubectl apply, helm install, skaffold run, terraform apply, gcloud run deploy, docker compose up -d…) or at least four lines of instructions, or a quickstart or install section whose commands deploy.",
        why: "The person deploying at a bad moment needs the steps, the prerequisites and the order written down; a deploy that lives in one head fails when that person is away.",
        fix: "Write DEPLOYMENT.md: prerequisites, configuration, the deploy command, how to verify and how to roll back.",
        example: "DEPLOYMENT.md:\n  ## Prerequisites\n  ## Deploy\n  ## Verify\n  ## Roll back",
        binds: &[
            "Deployment guide",
            "**DEPLOYMENT.md complete**",
            "Deployment documentation written",
            "Deploy guide",
            "Deployment guide reviewed by the SRE team",
            "Deployment guide describes installation",
        ],
        not_binds: &[
            "Deployment guide reviewed and the release window agreed with the business",
            "Deployment guide followed by a new joiner without help",
            "Deploy to production",
            "Automated deployment tested",
        ],
    },
};

static DOC: Presence = Presence {
    phrases: &[
        "deployment guide",
        "deployment.md",
        "deploy.md",
        "deployment documentation",
        "deployment docs",
        "deployment instructions",
        "deploy guide",
        "deploy docs",
        "deploy documentation",
        "deploy instructions",
        "deploying guide",
    ],
    // Saying what a guide is for (installing, describing) names it.
    allowed: &[
        "guide",
        "instructions",
        "describe",
        "describes",
        "installation",
        "install",
        "down",
    ],
    stem: |s| {
        matches!(
            s,
            "deployment"
                | "deploy"
                | "deploying"
                | "deployment-guide"
                | "deployment_guide"
                | "deploy-guide"
        )
    },
    what: "a deployment guide",
    name: "deployment guide",
};

#[async_trait::async_trait]
impl Check for DeploymentGuide {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["deployment-guide"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        DOC.triggers()
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        DOC.bind_with_acts(view)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        DOC.run_or_by_content(&ctx, super::content::deployment_guide)
    }
}
