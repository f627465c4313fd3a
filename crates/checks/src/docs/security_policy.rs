//! `docs.security-policy` — SECURITY.md telling people how to report a vulnerability.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::presence::Presence;

pub struct SecurityPolicy;

static META: CheckMeta = CheckMeta {
    id: "docs.security-policy",
    title: "Security policy (SECURITY.md) present",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A non-empty SECURITY.md (or SECURITY.rst/.txt) at the root, in docs/ or in \
               .github/, that says how to report a vulnerability: it must mention a contact \
               (an e-mail address, a URL or the words \"report\"/\"contact\").",
        why: "When someone finds a hole in a production service, a published reporting route is \
              the difference between a private fix and a public exploit.",
        fix: "Add SECURITY.md with the supported versions and a private way to report \
              vulnerabilities (an address or a form), and the response time to expect.",
        example: "SECURITY.md:\n  # Security policy\n  Report vulnerabilities to security@example.com; we answer within 2 working days.",
        binds: &[
            "SECURITY.md present",
            "Security policy published",
            "Vulnerability disclosure policy documented",
            "SECURITY.md with a contact e-mail",
            "SECURITY.md explains how to report vulnerabilities privately",
        ],
        not_binds: &[
            "Security policies reviewed by legal",
            "Pod security policies/standards applied",
            "Security scanning passed",
            "Security policy enforced on every cluster and reported to the auditors",
        ],
    },
};

static DOC: Presence = Presence {
    phrases: &[
        "security.md",
        "security policy",
        "vulnerability disclosure",
        "disclosure policy",
        "responsible disclosure",
        "security contact",
    ],
    // What the check reads the document for: how, and to whom, vulnerabilities are reported.
    allowed: &[
        "policy",
        "published",
        "vulnerability",
        "vulnerabilities",
        "disclosure",
        "report",
        "reports",
        "reporting",
        "reported",
        "how",
        "contact",
        "email",
        "e-mail",
        "address",
        "privately",
        "tell",
        "tells",
        "telling",
        "explains",
        "says",
        "people",
        "documentation",
    ],
    stem: |s| s == "security",
    what: "a SECURITY.md",
    name: "SECURITY.md",
};

#[async_trait::async_trait]
impl Check for SecurityPolicy {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        DOC.triggers()
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        // "Pod security policies" are Kubernetes objects, not a disclosure policy.
        if view.lower.contains("pod security") {
            return BindVerdict::No;
        }
        DOC.bind(view)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let (entry, text) = match DOC.find(&ctx) {
            Ok(found) => found,
            Err(outcome) => return outcome,
        };
        let lower = text.to_lowercase();
        let contact = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains('@') || l.contains("http://") || l.contains("https://"));
        match contact {
            Some((i, line)) => {
                Outcome::pass(format!("{} says how to report a vulnerability", entry.path))
                    .with_evidence(Evidence::at(
                        entry.path.clone(),
                        Some(i + 1),
                        line.trim().chars().take(120).collect::<String>(),
                    ))
            }
            None if lower.contains("report") || lower.contains("contact") => Outcome::pass(
                format!("{} describes how to report a vulnerability", entry.path),
            ),
            None => Outcome::fail(format!(
                "{} does not say how to report a vulnerability: add a contact address or link",
                entry.path
            )),
        }
    }
}
