//! `docs.troubleshooting` — known problems and their fixes are written down.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::presence::Presence;

pub struct Troubleshooting;

static META: CheckMeta = CheckMeta {
    id: "docs.troubleshooting",
    title: "Troubleshooting guide present",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A non-empty troubleshooting guide at the root, in docs/ or in .github/: TROUBLESHOOTING.md, docs/troubleshooting*.md, or a non-empty docs/troubleshooting/ folder.",
        why: "Known failure modes with their symptoms and fixes turn a page at night into a lookup; without them each responder rediscovers the same causes.",
        fix: "Write TROUBLESHOOTING.md: for each known problem, the symptom, how to confirm it and how to fix it.",
        example: "TROUBLESHOOTING.md:\n  ## Service returns 503 after deploy\n  Symptom … Cause … Fix …",
        binds: &[
            "Troubleshooting guide",
            "Troubleshooting guide written",
            "TROUBLESHOOTING.md present",
        ],
        not_binds: &[
            "Troubleshooting guide reviewed",
            "Network troubleshooting tools installed on hosts",
        ],
    },
};

static DOC: Presence = Presence {
    phrases: &[
        "troubleshooting guide",
        "troubleshooting.md",
        "troubleshooting docs",
        "troubleshooting documentation",
    ],
    allowed: &["guide"],
    stem: |s| {
        matches!(
            s,
            "troubleshooting" | "troubleshoot" | "troubleshooting-guide"
        )
    },
    what: "a troubleshooting guide",
    name: "troubleshooting guide",
};

#[async_trait::async_trait]
impl Check for Troubleshooting {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["troubleshooting-guide"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        DOC.triggers()
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        DOC.bind(view)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        DOC.run(&ctx)
    }
}
