//! `docs.architecture` — the architecture is documented.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::presence::Presence;
use crate::wording::has_any;

pub struct Architecture;

static META: CheckMeta = CheckMeta {
    id: "docs.architecture",
    title: "Architecture documentation present",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A non-empty architecture document at the root, in docs/ or in .github/: ARCHITECTURE.md, docs/architecture*.md, docs/design.md, or a docs/architecture/ folder holding documents or diagrams. Otherwise a section of any of the product's Markdown, reStructuredText or AsciiDoc files (a README's \"## Architecture\") whose heading names the design and which holds a diagram or at least four lines describing it.",
        why: "Incidents are solved faster by people who know which component talks to which; an architecture document is the map new engineers and responders start from.",
        fix: "Write ARCHITECTURE.md: the components, how requests and data flow between them, where state lives and the main decisions.",
        example: "ARCHITECTURE.md:\n  ## Components\n  ## Data flow\n  ## Decisions",
        binds: &[
            "Architecture documentation",
            "ARCHITECTURE.md present",
            "Architecture docs written",
            "Architecture written down",
            "Document of the architecture exists",
            "Architecture document reviewed and approved by the architecture board",
            "ARCHITECTURE.md describes the components",
            "Network topology documented",
            "Service dependencies are drawn in a diagram",
        ],
        not_binds: &[
            "Architecture reviewed",
            "Architecture decision approved by the board",
            "Multi-region architecture deployed",
            "Architecture decisions written down and agreed with security",
            "Architecture review documented",
            "Dependencies documented in the SBOM",
            "Topology changes rehearsed",
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
    allowed: &[
        "overview",
        "system",
        "design",
        "describes",
        "components",
        "s",
        "diagram",
        "diagrams",
        "c4",
        "model",
        "models",
    ],
    stem: is_architecture_name,
    what: "an architecture document",
    name: "architecture document",
};

fn is_architecture_name(s: &str) -> bool {
    matches!(
        s,
        "architecture" | "design" | "system-design" | "architecture-overview"
    )
}

/// The architecture named with a word of writing it down, in any order ("document of
/// architecture", "architecture written down", "architecture description"): the same
/// document, with what such wordings add.
static WRITTEN: Presence = Presence {
    phrases: &["architecture"],
    allowed: &[
        "document",
        "documentation",
        "documented",
        "written",
        "down",
        "description",
        "described",
        "describes",
        "components",
        "overview",
        "system",
        "design",
    ],
    stem: is_architecture_name,
    what: DOC.what,
    name: DOC.name,
};

/// Words saying the architecture is written down, not built or decided.
const WRITING: &[&str] = &[
    "document",
    "documented",
    "documentation",
    "docs",
    "written down",
    "write down",
    "description",
    "described",
    "describes",
];

/// Parts of a system's design an item may say are documented or drawn ("network topology
/// documented", "service dependencies visualised"): what an architecture document holds.
static PARTS: Presence = Presence {
    phrases: &[
        "topology",
        "topologies",
        "data flow",
        "data flows",
        "dataflow",
        "service dependencies",
        "external dependencies",
        "upstream dependencies",
        "downstream dependencies",
        "dependency map",
        "dependency graph",
        "dependency diagram",
        "system diagram",
        "system diagrams",
        "network diagram",
        "network diagrams",
        "component diagram",
        "component diagrams",
        "flowchart",
        "flowcharts",
    ],
    allowed: &[
        "document",
        "documentation",
        "documented",
        "written",
        "down",
        "described",
        "diagram",
        "diagrams",
        "drawn",
        "visualised",
        "visualized",
        "network",
        "replication",
        "interface",
        "infrastructure",
        "service",
        "services",
        "system",
        "our",
        "your",
        "its",
        "for",
    ],
    stem: is_architecture_name,
    what: DOC.what,
    name: DOC.name,
};

/// Words that say a part of the design is drawn.
const DRAWN: &[&str] = &[
    "diagram",
    "diagrams",
    "drawn",
    "visualised",
    "visualized",
    "flowchart",
    "flowcharts",
];

#[async_trait::async_trait]
impl Check for Architecture {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// What the design documentation must show needs the documentation first.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["architecture-docs"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        crate::wording::triggers_of(&[DOC.phrases, WRITTEN.phrases, PARTS.phrases])
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if has_any(lower, DOC.phrases) {
            return DOC.bind_with_acts(view);
        }
        // A review or a decision is not the document, even when it is documented.
        if has_any(lower, WRITING) && !has_any(lower, &["review", "decision", "decisions"]) {
            let v = WRITTEN.bind(view);
            if !matches!(v, BindVerdict::No) {
                return v;
            }
        }
        if has_any(lower, PARTS.phrases) && (has_any(lower, WRITING) || has_any(lower, DRAWN)) {
            return PARTS.bind(view);
        }
        BindVerdict::No
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        DOC.run_or_by_content(&ctx, super::content::architecture)
    }
}
