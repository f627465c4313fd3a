//! `repo.contributing` — how to contribute is written down.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use crate::docs::presence::Presence;

pub struct Contributing;

static META: CheckMeta = CheckMeta {
    id: "repo.contributing",
    title: "Contribution guide (CONTRIBUTING) present",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A non-empty CONTRIBUTING.md (or .rst/.txt) at the root, in docs/ or in .github/.",
        why: "A contribution guide tells people how to build, test and propose changes the way the project expects, so reviews are about the change and not the process.",
        fix: "Add CONTRIBUTING.md: how to set up, run the tests and lint, and what a pull request needs.",
        example: "CONTRIBUTING.md:\n  ## Development setup\n  ## Running the tests\n  ## Pull requests",
        binds: &[
            "CONTRIBUTING.md present",
            "Contribution guidelines documented",
            "Contributing guide",
        ],
        not_binds: &[
            "Contributors briefed",
            "Contributing to open source approved by legal",
        ],
    },
};

static DOC: Presence = Presence {
    phrases: &[
        "contributing.md",
        "contributing guide",
        "contribution guide",
        "contribution guidelines",
        "contributing guidelines",
        "contributor guide",
    ],
    allowed: &["guidelines", "guide"],
    stem: |s| s == "contributing",
    what: "a CONTRIBUTING guide",
    name: "CONTRIBUTING guide",
};

#[async_trait::async_trait]
impl Check for Contributing {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// What the contribution guide must require needs the guide.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
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
