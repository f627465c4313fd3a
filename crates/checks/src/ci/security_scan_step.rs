//! `ci.security-scan-step` — CI runs a security or dependency scan.

use std::sync::{Arc, LazyLock};

use regex::Regex;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::{bind_step, hits, in_ci_context, kinds, model, names_ci, no_pipelines};
use crate::wording::{has_any, words};

pub struct SecurityScanStep;

/// What a security scan is called.
const SCAN_WORDS: &[&str] = &[
    "security scan",
    "security scans",
    "security scanning",
    "vulnerability scan",
    "vulnerability scans",
    "vulnerability scanning",
    "vuln scan",
    "vuln scanning",
    "cve scan",
    "cve scanning",
    "dependency scan",
    "dependency scanning",
    "dependency audit",
    "dependency auditing",
    "image scan",
    "image scanning",
    "container scan",
    "container scanning",
    "sast",
    "sca",
    "software composition analysis",
    "scanning of vulnerability",
    "scan dependencies",
    "scans dependencies",
];

/// Scanners by name: in CI, naming one says CI runs it ("pip-audit and bandit in the
/// pipeline"). The same tools the step recognisers look for (`kinds::security`).
const SCANNERS: &[&str] = &[
    "codeql",
    "trivy",
    "snyk",
    "grype",
    "semgrep",
    "osv-scanner",
    "dependency-review",
    "cargo audit",
    "cargo deny",
    "cargo-audit",
    "cargo-deny",
    "pip-audit",
    "bandit",
    "npm audit",
    "yarn audit",
    "pnpm audit",
    "govulncheck",
    "gosec",
    "gitleaks",
    "trufflehog",
    "checkov",
    "tfsec",
    "kics",
    "brakeman",
    "bundler-audit",
    "docker scout",
    "owasp dependency-check",
    "dependency-check",
    "zizmor",
    "zap",
    "sonarqube",
    "sonarcloud",
];

/// A scan's findings: "no critical CVEs", "zero high vulnerabilities", "free of known vulns".
static SCAN_RESULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:no|zero|without|free of|0)\s+(?:\S+\s+){0,3}?(?:cves?|vulnerabilit(?:y|ies)|vulns?|findings|advisories)\b",
    )
    .expect("scan result regex")
});

/// Acts of scanning: with a vulnerability named, the item asks that scans happen.
const SCAN_ACTS: &[&str] = &[
    "scan",
    "scans",
    "scanned",
    "scanning",
    "scanner",
    "scanners",
    "check",
    "checks",
    "checked",
    "checking",
    "inspect",
    "inspects",
    "inspected",
    "inspection",
    "audit",
    "audits",
    "audited",
    "auditing",
    "detect",
    "detects",
    "detected",
    "detection",
    "find",
    "finds",
    "monitor",
    "monitors",
    "monitored",
    "monitoring",
    "security test",
    "security tests",
    "security testing",
    "analysis",
];

/// What a scan looks for.
const VULN_WORDS: &[&str] = &[
    "vulnerability",
    "vulnerabilities",
    "vulnerable",
    "vulns",
    "cve",
    "cves",
    "security vulnerabilities",
    "security issues",
    "security flaws",
];

/// What gets scanned, and how often or by what: words a scanning item may add.
const SCANNED: &[&str] = &[
    "software",
    "os",
    "packages",
    "package",
    "libraries",
    "library",
    "components",
    "vendor",
    "layers",
    "containers",
    "tool",
    "tools",
    "automatically",
    "automated",
    "continuously",
    "constantly",
    "regularly",
    "routinely",
    "run",
    "runs",
    "new",
    "against",
    "static",
    "dynamic",
    "analysis",
    "sources",
    "source",
];

/// Whether the item asks for scanning for vulnerabilities as a practice ("check your
/// dependencies for known vulnerabilities", "container images are scanned"), as opposed to a
/// result ("no known vulnerabilities") or a one-off person's review.
/// Words that make a step a gate: its findings stop what follows.
const GATES: &[&str] = &[
    "block", "blocks", "blocked", "blocking", "fail", "fails", "break", "breaks", "stop", "stops",
    "gate", "gates", "gated", "gating", "prevent", "prevents",
];

/// What a gate stops.
const GATED: &[&str] = &[
    "pipeline",
    "pipelines",
    "build",
    "builds",
    "deployment",
    "deployments",
    "deploy",
    "merge",
    "merges",
    "release",
    "releases",
];

/// What a gating scan finds: one of these makes a gate a scan's.
const GATE_FINDINGS: &[&str] = &[
    "vulnerable",
    "vulnerability",
    "vulnerabilities",
    "cve",
    "cves",
    "critical issues",
    "critical findings",
    "security issues",
    "secret detection",
    "secrets detected",
    "detected secrets",
    "leaked secrets",
];

/// Words that say when the gate closes, beside what it finds ("if critical issues found").
const GATE_WORDS: &[&str] = &[
    "results", "if", "on", "found", "critical", "high", "severity", "issues",
];

/// "Block deployment of vulnerable images", "The pipeline fails on critical CVEs": a scan
/// whose findings stop the pipeline is a scan step the pipeline runs.
fn asks_for_gate(lower: &str) -> bool {
    has_any(lower, GATES) && has_any(lower, GATED) && has_any(lower, GATE_FINDINGS)
}

fn asks_for_scanning(lower: &str) -> bool {
    let named = has_any(lower, SCAN_WORDS);
    let vuln = has_any(lower, VULN_WORDS);
    let act = has_any(lower, SCAN_ACTS);
    // "Images are scanned": scanning an image or dependencies needs no vulnerability named.
    let scanned_thing = has_any(lower, &["scanned", "scanning", "scan"])
        && has_any(
            lower,
            &[
                "image",
                "images",
                "dependencies",
                "dependency",
                "packages",
                "code",
                "containers",
            ],
        );
    // "Continuously run security tests": automated security testing is a scan.
    let automated_tests = has_any(
        lower,
        &["security test", "security tests", "security testing"],
    ) && has_any(
        lower,
        &[
            "continuously",
            "automatically",
            "automated",
            "constantly",
            "every",
            "regularly",
        ],
    );
    // A scanner named ("Use Trivy", "GitLeaks configured") or a kind of security analysis
    // named alone ("Static code analysis", "DAST") asks for the scan itself.
    let kind = has_any(lower, SCANNERS) || has_any(lower, ANALYSIS_KINDS);
    named || (vuln && act) || scanned_thing || automated_tests || kind
}

/// Kinds of automated security analysis, each a scan a pipeline runs. Static analysis
/// alone may be a linter's; it is a scan when vulnerabilities are named.
const ANALYSIS_KINDS: &[&str] = &[
    "static application security testing",
    "dynamic application security testing",
    "dast",
    "security testing",
];

static META: CheckMeta = CheckMeta {
    id: "ci.security-scan-step",
    title: "CI runs a security or dependency scan",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "kind",
        kind: ParamKind::TextList,
        default: None,
        required: false,
        doc: "what the scan must look for, when the item names it: secrets (gitleaks, \
              trufflehog, detect-secrets, ggshield, or Trivy with its secret scanner on). \
              Empty: any security scan",
    }],
    docs: CheckDocs {
        what: "A GitHub Actions or GitLab CI step runs a security scanner: CodeQL, Trivy, Snyk, \
               Grype, Semgrep, OSV-Scanner, dependency-review, cargo audit/deny, pip-audit, \
               safety, bandit, npm audit, govulncheck, gosec, gitleaks, trufflehog, checkov, \
               tfsec, zizmor, or a GitLab security template (SAST, Dependency-Scanning, \
               Container-Scanning, Secret-Detection).",
        why: "Known-vulnerable dependencies and obvious code flaws are found by machines in \
              seconds; without a scan in CI they reach production unnoticed.",
        fix: "Add a scan job, e.g. `- uses: github/codeql-action/analyze@<sha>`, \
              `- run: pip-audit` or `- uses: aquasecurity/trivy-action@<sha>`.",
        example: "jobs:\n  audit:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@<sha>\n      - run: cargo deny check advisories",
        binds: &[
            "Security scan step in CI",
            "Dependency scanning in the CI pipeline",
            "CI runs a vulnerability scan",
            "Trivy image scanning in the pipeline",
            "Add govulncheck and gosec to CI",
            "SAST/SCA in CI",
            "Every build scans dependencies for known CVEs",
            "Check your dependencies for known vulnerabilities",
            "Container images are scanned for vulnerabilities",
            "Use tools that automatically detect vulnerable packages",
            "Use tools like Trivy, Snyk or Grype",
            "DAST implementation",
            "GitLeaks configured",
            "Block deployment of vulnerable images",
            "The pipeline fails on critical CVEs",
        ],
        not_binds: &[
            "Security scan passed (`pip-audit`)",
            "Vulnerability scan (dependabot/Snyk) run and critical issues resolved.",
            "Security scanning passes",
            "Snyk findings triaged by the security team",
            "Penetration test by an external firm",
            "CI: trivy reports no critical CVEs",
            "Update Brakeman regularly",
            "No known vulnerabilities in production dependencies",
            "Vulnerabilities reviewed by the security team",
        ],
    },
};

#[async_trait::async_trait]
impl Check for SecurityScanStep {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        let mut t = vec![
            "scan",
            "audit",
            "sast",
            "sca",
            "vuln",
            "cve",
            "composition",
            "security",
            "dast",
            // "Check the image for secrets": a scan for secrets, whatever verb asks for it.
            "secret",
            "credential",
        ];
        t.extend(crate::wording::triggers_of(&[SCANNERS]));
        t
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        // "Every build scans…", "Add Snyk to the build": a build is CI's. Outside CI, an
        // item that asks for the act of scanning for vulnerabilities ("check your
        // dependencies for known vulnerabilities", "images are scanned") is shown by the scan
        // a pipeline runs: that is where a repository keeps such a habit.
        let ci = in_ci_context(view)
            || has_any(lower, &["build", "builds", "every build"])
            || super::tests_on_prs::names_pr(lower);
        let gate = asks_for_gate(lower);
        // "Scan images for leaked credentials", "secret scanning", "GitLeaks configured to
        // scan full Git history": a scan for secrets, which only a secret scanner shows.
        let secrets = kinds::foci_named(kinds::SCAN_FOCUS, lower);
        // Scanning the repository once is what `secrets.none-in-repository` does itself;
        // a scanner, a habit ("every commit") or images scanned is a pipeline's.
        // What is done once a secret is found ("Immediate actions on secret detection",
        // "rotate leaked credentials") is a response, not the scan.
        let response = has_any(
            lower,
            &[
                "immediate",
                "response",
                "respond",
                "remediate",
                "remediation",
                "rotate",
                "rotation",
                "revoke",
                "incident",
                "actions on",
            ],
        );
        let secret_act = !secrets.is_empty()
            && !response
            && (has_any(lower, kinds::SECRET_SCANNERS)
                || has_any(
                    lower,
                    &["secret scanning", "secrets scanning", "secret detection"],
                )
                || has_any(lower, SCAN_ACTS)
                    && (ci
                        || has_any(
                            lower,
                            &[
                                "every commit",
                                "each commit",
                                "every push",
                                "continuously",
                                "automatically",
                                "automated",
                                "regularly",
                                "image",
                                "images",
                            ],
                        )));
        let act = asks_for_scanning(lower) || gate || secret_act;
        if !ci && !act {
            return BindVerdict::No;
        }
        // "Scanned, with no critical CVEs": the verdict of a scan, which a workflow file
        // cannot show.
        if let Some(m) = SCAN_RESULT.find(lower) {
            return BindVerdict::Declined {
                why: format!(
                    "\"{}\" asks for a scan's findings; the workflow files only show that a scan runs",
                    m.as_str()
                ),
                candidates: vec![AutoBinding::new("wording says CI runs a security scan")],
            };
        }
        // "Update Brakeman regularly", "keep the scanner up to date": the tool's version, not
        // a scan the pipeline runs.
        if (matches!(words(lower).first(), Some(&"update" | &"upgrade"))
            || has_any(lower, &["up to date", "up-to-date"]))
            && (has_any(lower, SCANNERS) || has_any(lower, SCAN_WORDS))
        {
            return BindVerdict::Declined {
                why: "keeping a scanner current is not a scan the pipeline runs".to_string(),
                candidates: vec![AutoBinding::new("wording says CI runs a security scan")],
            };
        }
        let mut names: Vec<&str> = SCAN_WORDS.to_vec();
        names.extend_from_slice(SCANNERS);
        names.extend_from_slice(ANALYSIS_KINDS);
        if act {
            names.extend_from_slice(SCAN_ACTS);
            names.extend_from_slice(VULN_WORDS);
        }
        let mut binding = AutoBinding::new("wording says CI runs a security scan");
        if secret_act {
            names.extend_from_slice(SCAN_ACTS);
            for f in &secrets {
                names.extend_from_slice(f.words);
                names.extend_from_slice(f.names);
            }
            names.extend_from_slice(kinds::SECRET_SCANNERS);
            names.extend_from_slice(&[
                "history",
                "git",
                "full",
                "entire",
                "repository",
                "detection",
            ]);
            binding = AutoBinding::new("wording says CI scans for secrets")
                .with("kind", Value::from(vec!["secrets"]));
        }
        if gate {
            names.extend_from_slice(GATES);
            names.extend_from_slice(GATED);
            names.extend_from_slice(GATE_FINDINGS);
            names.extend_from_slice(GATE_WORDS);
        }
        // A bare "scan" or "audit" is CI's security scan only where the item itself names CI
        // ("CI: lint, test, scan", "we audit in CI"); under a CI heading it may be anything.
        if names_ci(lower)
            || names_ci(&view.item.display_text.to_lowercase())
            || has_any(lower, &["build", "builds"])
            || super::tests_on_prs::names_pr(lower)
        {
            names.extend_from_slice(&["scan", "scans", "scanning", "audit", "audits", "auditing"]);
        }
        bind_step(
            lower,
            &names,
            &[
                &[
                    "a",
                    "step",
                    "scan",
                    "scans",
                    "scanning",
                    "scanner",
                    "scanners",
                    "security",
                    "vulnerabilities",
                    "vulnerability",
                    "vulnerable",
                    "vuln",
                    "vulns",
                    "known",
                    "cve",
                    "cves",
                    "dependencies",
                    "dependency",
                    "deps",
                    "third-party",
                    "code",
                    "container",
                    "image",
                    "images",
                    "for",
                    "detect",
                    "detects",
                    "equivalent",
                    "build",
                    "builds",
                    "use",
                    "using",
                    "like",
                    "or",
                    "such",
                    "as",
                    "configured",
                    "integrated",
                    "implementation",
                    "adopted",
                ][..],
                ANALYSIS_KINDS,
                crate::wording::EXISTENCE,
                SCANNED,
                super::WHEN_WORDS,
            ]
            .concat(),
            binding,
        )
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let p = model::pipelines(&ctx);
        if let Some(o) = no_pipelines(&p) {
            return o;
        }
        let focused = super::focus_hits(&p, kinds::SCAN_FOCUS, &params, "kind");
        let secret_templates = p
            .list
            .iter()
            .any(|pl| pl.templates.iter().any(|t| t.contains("Secret-Detection")));
        // GitLab's Secret-Detection template scans for secrets as a step would.
        let only_secrets_missing = focused.1.iter().all(|f| f.name == "secrets");
        if !(secret_templates && only_secrets_missing && !focused.1.is_empty())
            && let Some(o) = super::focus_outcome("scans for", &focused, p.list.len())
        {
            return o;
        }
        let found = hits(&p, kinds::security);
        let templates: Vec<(&str, &str)> = p
            .list
            .iter()
            .flat_map(|pl| {
                pl.templates
                    .iter()
                    .filter(|t| kinds::security_template(t))
                    .map(move |t| (pl.rel.as_str(), t.as_str()))
            })
            .collect();
        if found.is_empty() && templates.is_empty() {
            return Outcome::fail(format!(
                "no CI step scans for vulnerabilities (looked in {} CI file{} for CodeQL, Trivy, Snyk, pip-audit, cargo audit, npm audit…): add a scan job",
                p.list.len(),
                if p.list.len() == 1 { "" } else { "s" }
            ));
        }
        let first = found
            .first()
            .map(|h| format!("{} ({}:{})", h.what, h.rel, h.line))
            .unwrap_or_else(|| format!("template {} ({})", templates[0].1, templates[0].0));
        let mut o = Outcome::pass(format!("CI scans: {first}"));
        for h in found.iter().take(5) {
            o = o.with_evidence(h.evidence());
        }
        for (rel, t) in templates.iter().take(3) {
            o = o.with_evidence(Evidence::at(*rel, None, format!("template {t}")));
        }
        o
    }
}
