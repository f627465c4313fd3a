//! `docs.architecture` — the architecture is documented.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::presence::Presence;

pub struct Architecture;

static META: CheckMeta = CheckMeta {
    id: "docs.architecture",
    title: "Architecture documentation present",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A non-empty architecture document at the root, in docs/ or in .github/: ARCHITECTURE.md, docs/architecture*.md, docs/design.md, or a non-empty docs/architecture/ folder.",
        why: "Incidents are solved faster by people who know which component talks to which; an architecture document is the map new engineers and responders start from.",
        fix: "Write ARCHITECTURE.md: the components, how requests and data flow between them, where state lives and the main decisions.",
        example: "ARCHITECTURE.md:\n  ## Components\n  ## Data flow\n  ## Decisions",
        binds: &[
            "Architecture documentation",
            "ARCHITECTURE.md present",
            "Architecture docs written",
        ],
        not_binds: &[
            "Architecture reviewed",
            "Architecture decision approved by the board",
            "Multi-region architecture deployed",
        ],
    },
};

static DOC: Presence = Presence {
    phrases: &[
        "architecture documentation",
        "architecture docs",
        "architecture doc",
        "architecture.md",
        "architecture document",
        "architecture overview",
        "system design document",
    ],
    allowed: &["overview", "system", "design"],
    stem: |s| {
        matches!(
            s,
            "architecture" | "design" | "system-design" | "architecture-overview"
        )
    },
    what: "an architecture document",
    name: "architecture document",
};

#[async_trait::async_trait]
impl Check for Architecture {
    fn meta(&self) -> &'static CheckMeta {
        &META
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
