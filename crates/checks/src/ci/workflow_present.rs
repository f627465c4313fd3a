//! `ci.workflow-present` — a CI pipeline is defined in the repository.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use crate::wording::{has_any, human_act, leftover};

pub struct WorkflowPresent;

static META: CheckMeta = CheckMeta {
    id: "ci.workflow-present",
    title: "CI workflow defined",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "provider",
        kind: ParamKind::Text,
        default: Some("any"),
        required: false,
        doc: "which CI must be configured: any, github-actions, gitlab, circleci, jenkins, azure, \
              bitbucket, travis, buildkite",
    }],
    docs: CheckDocs {
        what: "A CI configuration exists: a YAML file in .github/workflows/, .gitlab-ci.yml, \
               .circleci/config.yml, Jenkinsfile, azure-pipelines.yml, bitbucket-pipelines.yml, \
               .travis.yml or .buildkite/.",
        why: "Without CI, nothing stops an untested change from reaching production; every later \
              gate (tests, scans, release) hangs off the pipeline.",
        fix: "Add a workflow, e.g. .github/workflows/ci.yml, that runs the tests on every pull \
              request and on the main branch.",
        example: ".github/workflows/ci.yml:\n  on: [push, pull_request]\n  jobs:\n    test:\n      runs-on: ubuntu-latest\n      steps: [{uses: actions/checkout@<sha>}, {run: make test}]",
        binds: &[
            "GitHub Actions workflow configured",
            "GitHub Actions configured",
            "CI pipeline set up",
            "GitLab CI configured",
            "The build is defined in a Jenkinsfile",
            "Build pipeline under version control",
            "We have a Bitbucket pipeline for the repo",
        ],
        not_binds: &[
            "Automated tests in CI pipeline",
            "All workflows passing",
            "Workflows are defined and use least-privilege service accounts",
            "CI/CD pipeline working (automated tests, deployment)",
            "Data pipeline exists",
            "Build pipeline produces reproducible artifacts",
        ],
    },
};

/// (provider, relative path, is a directory of YAML files)
const LOCATIONS: &[(&str, &str, bool)] = &[
    ("github-actions", ".github/workflows", true),
    ("gitlab", ".gitlab-ci.yml", false),
    ("circleci", ".circleci/config.yml", false),
    ("jenkins", "Jenkinsfile", false),
    ("azure", "azure-pipelines.yml", false),
    ("bitbucket", "bitbucket-pipelines.yml", false),
    ("travis", ".travis.yml", false),
    ("buildkite", ".buildkite", true),
];

const NAMES: &[(&str, &[&str])] = &[
    (
        "github-actions",
        &[
            "github actions",
            "github action",
            "github workflow",
            "github workflows",
        ],
    ),
    ("gitlab", &["gitlab ci", "gitlab-ci", "gitlab pipeline"]),
    ("circleci", &["circleci", "circle ci"]),
    ("jenkins", &["jenkins", "jenkinsfile"]),
    ("azure", &["azure pipelines", "azure devops pipeline"]),
    (
        "bitbucket",
        &[
            "bitbucket pipelines",
            "bitbucket pipeline",
            "bitbucket-pipelines.yml",
        ],
    ),
    ("travis", &["travis", "travis ci"]),
    ("buildkite", &["buildkite"]),
];

const GENERIC: &[&str] = &[
    "ci",
    "ci/cd",
    "ci pipeline",
    "ci/cd pipeline",
    "continuous integration",
    "workflow",
    "workflows",
    "pipeline",
];

#[async_trait::async_trait]
impl Check for WorkflowPresent {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec![
            "ci",
            "continuous",
            "pipeline",
            "github",
            "gitlab",
            "circle",
            "jenkins",
            "azure",
            "bitbucket",
            "travis",
            "buildkite",
        ]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let provider = NAMES
            .iter()
            .find(|(_, n)| has_any(lower, n))
            .map(|(p, _)| *p);
        // A bare "pipeline" is CI's under a CI heading or item ("## CI" / "Pipeline exists");
        // elsewhere it may be a data or deployment pipeline.
        let pipeline_in_ci = has_any(lower, &["pipeline", "pipelines"])
            && (view.item.section.iter().any(|h| {
                has_any(
                    &h.to_lowercase(),
                    &["ci", "ci/cd", "continuous integration"],
                )
            }) || view
                .parent_lower
                .is_some_and(|p| has_any(p, &["ci", "ci/cd", "continuous integration"])));
        if provider.is_none()
            && !pipeline_in_ci
            && !has_any(
                lower,
                &[
                    "ci",
                    "ci/cd",
                    "continuous integration",
                    "build pipeline",
                    "build pipelines",
                ],
            )
        {
            return BindVerdict::No;
        }
        // Only an item that says the pipeline exists; tests, scans or "passing" are other checks.
        let mut used: Vec<&str> = GENERIC.to_vec();
        for (_, n) in NAMES {
            used.extend_from_slice(n);
        }
        used.extend_from_slice(&["github", "actions", "gitlab", "cd"]);
        // Where the pipeline is defined, and what it is for, claim no more than that it is.
        used.extend_from_slice(&[
            "in-repository",
            "in-repo",
            "under",
            "version",
            "control",
            "source",
            "maintain",
            "build",
            "builds",
            "automated",
            "defined",
            // "Pipeline definitions stored in version control": the workflow files themselves.
            "definition",
            "definitions",
            "configuration",
            "configurations",
            "config",
            "as",
            "code",
            "stored",
        ]);
        let extra = leftover(lower, &used);
        let mut b = AutoBinding::new("wording says a CI pipeline is configured");
        if let Some(p) = provider {
            b = b.with("provider", Value::from(p));
        }
        if human_act(lower).is_some() || !extra.is_empty() {
            return BindVerdict::Declined {
                why: if extra.is_empty() {
                    "a person's judgement is asked".into()
                } else {
                    format!(
                        "the item claims more than a CI file existing can show ({})",
                        extra.join(" ")
                    )
                },
                candidates: vec![b],
            };
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let want = params
            .get("provider")
            .and_then(Value::as_str)
            .unwrap_or("any")
            .to_string();
        if want != "any" && !LOCATIONS.iter().any(|(p, _, _)| *p == want) {
            return Outcome::error(format!("unknown CI provider `{want}`"));
        }
        let mut found = Vec::new();
        for (provider, rel, is_dir) in LOCATIONS {
            if want != "any" && want != *provider {
                continue;
            }
            let path = ctx.repo.join(rel);
            if *is_dir {
                let Ok(rd) = std::fs::read_dir(&path) else {
                    continue;
                };
                let mut files: Vec<String> = rd
                    .filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".yml") || n.ends_with(".yaml"))
                    .collect();
                files.sort();
                found.extend(files.into_iter().map(|f| format!("{rel}/{f}")));
            } else if path.is_file() {
                found.push(rel.to_string());
            }
        }
        if found.is_empty() {
            let where_ = LOCATIONS
                .iter()
                .filter(|(p, _, _)| want == "any" || want == *p)
                .map(|(_, r, _)| *r)
                .collect::<Vec<_>>()
                .join(", ");
            return Outcome::fail(format!(
                "no CI configuration found (looked for {where_}): add a workflow that runs the tests"
            ));
        }
        let mut o = Outcome::pass(format!("CI defined in {}", found.join(", ")));
        for f in found.iter().take(10) {
            o = o.with_evidence(Evidence::at(f.clone(), None, "CI configuration"));
        }
        o
    }
}
