//! What a CI step does, recognised from the usual commands and actions of each ecosystem:
//! tests, lint, security scans, builds and publishing. Each recogniser returns what it saw
//! (the command or action) for evidence.

use super::model::{Step, command_lines, parse_command};

/// Commands that run a test suite (program, then words that must follow in order).
const TEST_COMMANDS: &[&str] = &[
    "cargo test",
    "cargo nextest",
    "cargo tarpaulin",
    "cargo llvm-cov",
    "pytest",
    "py.test",
    "unittest",
    "tox",
    "nox",
    "npm test",
    "npm t",
    "npm run test",
    "npm run test:ci",
    "npm run test:unit",
    "yarn test",
    "yarn run test",
    "pnpm test",
    "pnpm run test",
    "bun test",
    "deno test",
    "jest",
    "vitest",
    "mocha",
    "ava",
    "playwright test",
    "cypress run",
    "go test",
    "gotestsum",
    "ginkgo",
    "mvn test",
    "mvn verify",
    "mvn install",
    "mvnw test",
    "mvnw verify",
    "gradle test",
    "gradle check",
    "gradle build",
    "gradlew test",
    "gradlew check",
    "gradlew build",
    "dotnet test",
    "rspec",
    "rake test",
    "rake spec",
    "rails test",
    "mix test",
    "phpunit",
    "pest",
    "composer test",
    "make test",
    "make check",
    "make tests",
    "make unit-test",
    "make test-unit",
    "ctest",
    "meson test",
    "bats",
    "swift test",
    "flutter test",
    "dart test",
    "sbt test",
    "stack test",
    "cabal test",
    "hatch test",
    "just test",
    "task test",
];

/// Actions whose job is running tests.
const TEST_ACTIONS: &[&str] = &[
    "cypress-io/github-action",
    "dtolnay/rust-toolchain/test",
    "actions-rs/cargo", // only with `command: test`, handled below
];

const LINT_COMMANDS: &[&str] = &[
    "cargo clippy",
    "cargo fmt --check",
    "cargo fmt -- --check",
    "ruff",
    "flake8",
    "pylint",
    "black --check",
    "isort --check",
    "isort --check-only",
    "mypy",
    "pyright",
    "eslint",
    "biome",
    "npm run lint",
    "yarn lint",
    "yarn run lint",
    "pnpm lint",
    "pnpm run lint",
    "prettier --check",
    "tsc --noEmit",
    "golangci-lint",
    "go vet",
    "staticcheck",
    "gofmt -l",
    "shellcheck",
    "hadolint",
    "rubocop",
    "standardrb",
    "pre-commit run",
    "prek run",
    "actionlint",
    "yamllint",
    "markdownlint",
    "markdownlint-cli2",
    "tflint",
    "ktlint",
    "detekt",
    "spotless:check",
    "spotless",
    "checkstyle",
    "pmd",
    "spotbugs",
    "google-java-format",
    "errorprone",
    "dotnet format",
    "phpstan",
    "phpcs",
    "clang-tidy",
    "clang-format",
    "swiftlint",
    "make lint",
    "make fmt-check",
    "just lint",
    "tox -e lint",
    "nox -s lint",
    "helm lint",
    "credo",
    "stylelint",
];

const LINT_ACTIONS: &[&str] = &[
    "golangci/golangci-lint-action",
    "pre-commit/action",
    "astral-sh/ruff-action",
    "chartboost/ruff-action",
    "github/super-linter",
    "super-linter/super-linter",
    "hadolint/hadolint-action",
    "ludeeus/action-shellcheck",
    "wearerequired/lint-action",
    "psf/black",
    "rhysd/actionlint",
    "raven-actions/actionlint",
    "davidanson/markdownlint-cli2-action",
    "actions-rs/clippy-check",
    "giraffate/clippy-action",
    "reviewdog/action-eslint",
    "reviewdog/action-golangci-lint",
    "reviewdog/action-shellcheck",
    "reviewdog/action-actionlint",
    "oxsecurity/megalinter",
    "ricardochaves/python-lint",
    "azure/setup-helm", // never alone; kept out below
];

const SECURITY_COMMANDS: &[&str] = &[
    "cargo audit",
    "cargo deny",
    "cargo vet",
    "pip-audit",
    "safety check",
    "safety scan",
    "bandit",
    "npm audit",
    "yarn audit",
    "yarn npm audit",
    "pnpm audit",
    "audit-ci",
    "govulncheck",
    "gosec",
    "trivy",
    "grype",
    "snyk test",
    "snyk container",
    "snyk code",
    "semgrep",
    "osv-scanner",
    "bundle-audit",
    "bundle audit",
    "bundler-audit",
    "brakeman",
    "gitleaks",
    "trufflehog",
    "checkov",
    "tfsec",
    "kics",
    "dependency-check",
    "dependency-check.sh",
    "docker scout",
    "composer audit",
    "dotnet list package --vulnerable",
    "mvn dependency-check:check",
    "zap-baseline.py",
    "detect-secrets",
    "zizmor",
    "poutine",
];

const SECURITY_ACTIONS: &[&str] = &[
    "github/codeql-action/analyze",
    "github/codeql-action/init",
    "aquasecurity/trivy-action",
    "snyk/actions",
    "anchore/scan-action",
    "actions/dependency-review-action",
    "ossf/scorecard-action",
    "returntocorp/semgrep-action",
    "semgrep/semgrep-action",
    "pypa/gh-action-pip-audit",
    "gitleaks/gitleaks-action",
    "trufflesecurity/trufflehog",
    "rustsec/audit-check",
    "actions-rs/audit-check",
    "embarkstudios/cargo-deny-action",
    "golang/govulncheck-action",
    "securego/gosec",
    "docker/scout-action",
    "zaproxy/action-baseline",
    "zaproxy/action-full-scan",
    "bridgecrewio/checkov-action",
    "google/osv-scanner-action",
    "sonarsource/sonarcloud-github-action",
    "sonarsource/sonarqube-scan-action",
    "aquasecurity/tfsec-action",
    "dependency-check/dependency-check_action",
    "shiftleftsecurity/scan-action",
    "anchore/grype",
    "zizmorcore/zizmor-action",
    "boostsecurityio/poutine-action",
];

/// GitLab security templates (`include: template:`).
const SECURITY_TEMPLATES: &[&str] = &[
    "sast",
    "dependency-scanning",
    "container-scanning",
    "secret-detection",
    "dast",
    "license-scanning",
];

const PUBLISH_COMMANDS: &[&str] = &[
    "docker push",
    "docker buildx build --push",
    "docker buildx bake --push",
    "podman push",
    "buildah push",
    "crane push",
    "skopeo copy",
    "cargo publish",
    "npm publish",
    "yarn publish",
    "yarn npm publish",
    "pnpm publish",
    "twine upload",
    "poetry publish",
    "uv publish",
    "flit publish",
    "hatch publish",
    "maturin publish",
    "maturin upload",
    "gh release create",
    "gh release upload",
    "goreleaser release",
    "goreleaser",
    "mvn deploy",
    "mvnw deploy",
    "gradle publish",
    "gradlew publish",
    "dotnet nuget push",
    "nuget push",
    "gem push",
    "helm push",
    "ko build",
    "ko publish",
    "jib",
    "release-cli create",
    "semantic-release",
    "changeset publish",
];

const PUBLISH_ACTIONS: &[&str] = &[
    "docker/build-push-action",
    "docker/bake-action",
    "pypa/gh-action-pypi-publish",
    "softprops/action-gh-release",
    "goreleaser/goreleaser-action",
    "actions/upload-release-asset",
    "ncipollo/release-action",
    "svenstaro/upload-release-action",
    "taiki-e/upload-rust-binary-action",
    "redhat-actions/push-to-registry",
    "katyo/publish-crates",
    "js-devtools/npm-publish",
    "jreleaser/release-action",
    "cycjimmy/semantic-release-action",
    "changesets/action",
    "ko-build/setup-ko",
    "rust-lang/crates-io-auth-action",
];

const BUILD_COMMANDS: &[&str] = &[
    "cargo build",
    "cargo dist",
    "cross build",
    "docker build",
    "docker buildx build",
    "docker buildx bake",
    "docker compose build",
    "podman build",
    "buildah bud",
    "build",
    "npm run build",
    "yarn build",
    "yarn run build",
    "pnpm build",
    "pnpm run build",
    "go build",
    "mvn package",
    "mvn install",
    "mvn verify",
    "mvnw package",
    "gradle build",
    "gradle assemble",
    "gradlew build",
    "gradlew assemble",
    "poetry build",
    "uv build",
    "hatch build",
    "flit build",
    "maturin build",
    "dotnet build",
    "dotnet publish",
    "dotnet pack",
    "gem build",
    "helm package",
    "make",
    "just build",
];

fn action_in(step: &Step, list: &[&str]) -> Option<String> {
    let a = step.action()?;
    list.iter()
        .any(|x| a == *x || a.starts_with(&format!("{x}/")))
        .then(|| step.uses.clone().unwrap_or_default())
}

/// Task runners whose target names what runs (`node script/yarn.js lint`, `make lint-all`).
const RUNNERS: &[&str] = &[
    "node",
    "npm",
    "yarn",
    "yarn.js",
    "pnpm",
    "bun",
    "make",
    "just",
    "task",
    "nox",
    "tox",
    "invoke",
    "rake",
    "mage",
    "cargo-make",
    "earthly",
];

/// A runner invoked with a target `word`, `word:…` or `word-…` (`npm run lint:js`).
fn runner_target(step: &Step, word: &str) -> Option<String> {
    let run = step.run.as_deref()?;
    command_lines(run)
        .into_iter()
        .find(|line| {
            super::model::unquoted(line)
                .split(['&', ';', '|'])
                .any(|part| {
                    let w: Vec<&str> = part.split_whitespace().collect();
                    let Some(first) = w.first() else { return false };
                    let prog = first.rsplit('/').next().unwrap_or(first);
                    RUNNERS.contains(&prog)
                        && w[1..].iter().take(4).any(|a| {
                            let a = a.rsplit('/').next().unwrap_or(a);
                            a == word
                                || ((a.starts_with(&format!("{word}:"))
                                    || a.starts_with(&format!("{word}-")))
                                    && !prepares(a))
                                || names_the_work(a, word)
                        })
                })
        })
        .map(|l| l.chars().take(120).collect())
}

/// A target whose words say it does `word`: `run-telemetry-tests`, `integration_test`,
/// `go-lint`; not one that prepares for it (`test-image`, `build-test-deps`).
fn names_the_work(target: &str, word: &str) -> bool {
    let words: Vec<&str> = target.split(['-', '_', ':', '.']).collect();
    words.len() > 1
        && words
            .iter()
            .any(|w| *w == word || w.strip_suffix('s') == Some(word))
        && !prepares(target)
}

/// A target that prepares for the work rather than doing it (its first or last word).
fn prepares(target: &str) -> bool {
    const PREPARES: &[&str] = &[
        "image",
        "images",
        "deps",
        "env",
        "data",
        "clean",
        "build",
        "setup",
        "infra",
        "container",
        "containers",
        "db",
        "fixtures",
        "install",
        "docker",
    ];
    let words: Vec<&str> = target.split(['-', '_', ':', '.']).collect();
    words.len() > 1
        && (words.last().is_some_and(|w| PREPARES.contains(w))
            || words.first().is_some_and(|w| PREPARES.contains(w)))
}

fn command_in(step: &Step, list: &[&str]) -> Option<String> {
    let run = step.run.as_deref()?;
    for line in command_lines(run) {
        let parsed = parse_command(&line);
        if list.iter().any(|p| parsed.runs(p)) {
            return Some(line.chars().take(120).collect());
        }
    }
    None
}

/// Whether the step runs a test suite.
pub fn test(step: &Step) -> Option<String> {
    if let Some(a) = step.action() {
        if a == "actions-rs/cargo" {
            return (step.input("command") == Some("test")).then(|| a.clone());
        }
        if let Some(hit) = action_in(step, TEST_ACTIONS) {
            return Some(hit);
        }
    }
    command_in(step, TEST_COMMANDS)
        .or_else(|| runner_target(step, "test"))
        .or_else(|| test_script(step.run.as_deref()))
        // Actions that run a command given as an input (CodSpeed, retry wrappers).
        .or_else(|| {
            ["run", "command", "script"]
                .iter()
                .find_map(|k| step.input(k))
                .and_then(|cmd| {
                    let inner = Step {
                        run: Some(cmd.to_string()),
                        ..Step::default()
                    };
                    command_in(&inner, TEST_COMMANDS).or_else(|| test_script(Some(cmd)))
                })
        })
}

/// A project script whose name says it runs the tests (`scripts/test.sh`, `bash ci/test-cov.sh`).
fn test_script(run: Option<&str>) -> Option<String> {
    command_lines(run?).into_iter().find(|line| {
        let u = super::model::unquoted(line);
        u.split(['&', ';', '|']).any(|part| {
            let w: Vec<&str> = part.split_whitespace().collect();
            let mut i = 0;
            while i < w.len()
                && (w[i].contains('=')
                    || matches!(
                        w[i],
                        "bash" | "sh" | "zsh" | "uv" | "run" | "poetry" | "exec"
                    )
                    || w[i].starts_with('-'))
            {
                i += 1;
            }
            w.get(i).is_some_and(|p| {
                let name = p.rsplit('/').next().unwrap_or(p);
                (name.starts_with("test")
                    || name.starts_with("run-tests")
                    || name.starts_with("run_tests"))
                    && (name.ends_with(".sh") || p.contains('/'))
            })
        })
    })
}

pub fn lint(step: &Step) -> Option<String> {
    if step.action().as_deref() == Some("azure/setup-helm") {
        return None;
    }
    if step.action().as_deref() == Some("actions-rs/cargo") {
        return matches!(step.input("command"), Some("clippy" | "fmt"))
            .then(|| "actions-rs/cargo".to_string());
    }
    action_in(step, LINT_ACTIONS)
        .or_else(|| command_in(step, LINT_COMMANDS))
        .or_else(|| runner_target(step, "lint"))
}

pub fn security(step: &Step) -> Option<String> {
    action_in(step, SECURITY_ACTIONS).or_else(|| command_in(step, SECURITY_COMMANDS))
}

/// What a lint or a scan looks at, when an item names it ("Lint your Dockerfile", "secret
/// scanning in CI"): the words that name it in an item, and the tools whose steps look at it.
/// A general linter or scanner does not show that this subject is looked at.
pub struct Focus {
    /// The parameter value (`for = ["dockerfile"]`, `kind = ["secrets"]`).
    pub name: &'static str,
    /// Words naming the subject in an item.
    pub words: &'static [&'static str],
    /// Tools that look only at it: named in an item they name the subject too, and a step
    /// running one looks at it.
    pub names: &'static [&'static str],
    /// Other commands (program, then words in order) that look at it among other things.
    pub commands: &'static [&'static str],
    /// Actions (without their ref) that look at it.
    pub actions: &'static [&'static str],
}

/// Linters that run every language's linters by default count for every lint focus.
const ALL_LINTERS: &[&str] = &[
    "github/super-linter",
    "super-linter/super-linter",
    "oxsecurity/megalinter",
];

pub const LINT_FOCUS: &[Focus] = &[
    Focus {
        name: "dockerfile",
        words: &[
            "dockerfile",
            "dockerfiles",
            "containerfile",
            "containerfiles",
        ],
        names: &["hadolint", "dockerfilelint"],
        commands: &["docker build --check", "trivy config", "kics", "checkov"],
        actions: &[
            "hadolint/hadolint-action",
            "reviewdog/action-hadolint",
            "bridgecrewio/checkov-action",
        ],
    },
    Focus {
        name: "terraform",
        words: &["terraform", "hcl"],
        names: &["tflint", "tfsec"],
        commands: &[
            "terraform validate",
            "terraform fmt -check",
            "checkov",
            "trivy config",
            "kics",
        ],
        actions: &[
            "terraform-linters/setup-tflint",
            "aquasecurity/tfsec-action",
            "bridgecrewio/checkov-action",
            "reviewdog/action-tflint",
        ],
    },
    Focus {
        name: "shell",
        words: &["shell", "shell scripts", "bash", "shellscripts"],
        names: &["shellcheck", "shfmt"],
        commands: &[],
        actions: &["ludeeus/action-shellcheck", "reviewdog/action-shellcheck"],
    },
    Focus {
        name: "kubernetes",
        words: &[
            "kubernetes manifests",
            "k8s manifests",
            "manifests",
            "helm chart",
            "helm charts",
            "charts",
        ],
        names: &["kubeval", "kubeconform", "kube-linter", "kube-score"],
        commands: &[
            "helm lint",
            "polaris",
            "datree",
            "kics",
            "checkov",
            "trivy config",
        ],
        actions: &[
            "stackrox/kube-linter-action",
            "bridgecrewio/checkov-action",
            "helm/chart-testing-action",
        ],
    },
    Focus {
        name: "workflows",
        words: &["workflow files", "github actions workflows", "workflows"],
        names: &["actionlint", "zizmor"],
        commands: &[],
        actions: &[
            "rhysd/actionlint",
            "raven-actions/actionlint",
            "reviewdog/action-actionlint",
        ],
    },
];

/// Scanners that look only for committed credentials.
pub const SECRET_SCANNERS: &[&str] = &[
    "gitleaks",
    "trufflehog",
    "detect-secrets",
    "ggshield",
    "git-secrets",
    "talisman",
    "secretlint",
];

pub const SCAN_FOCUS: &[Focus] = &[Focus {
    name: "secrets",
    words: &[
        "secret",
        "secrets",
        "credential",
        "credentials",
        "leaked",
        "leaks",
        "leak",
        "sensitive data",
        "sensitive information",
        "passwords",
        "tokens",
        "api keys",
    ],
    names: SECRET_SCANNERS,
    commands: &["trivy"],
    actions: &[
        "gitleaks/gitleaks-action",
        "trufflesecurity/trufflehog",
        "aquasecurity/trivy-action",
        "gitguardian/ggshield-action",
    ],
}];

/// The focus named `name` in `list`.
pub fn focus(list: &'static [Focus], name: &str) -> Option<&'static Focus> {
    list.iter().find(|f| f.name == name)
}

/// The foci an item names.
pub fn foci_named(list: &'static [Focus], lower: &str) -> Vec<&'static Focus> {
    list.iter()
        .filter(|f| {
            crate::wording::has_any(lower, f.words) || crate::wording::has_any(lower, f.names)
        })
        .collect()
}

/// Whether the step looks at `focus`. Trivy scans secrets by default; it counts for secrets
/// unless its scanners are narrowed to others.
pub fn looks_at(step: &Step, focus: &Focus) -> Option<String> {
    let found = action_in(step, focus.actions)
        .or_else(|| command_in(step, focus.names))
        .or_else(|| command_in(step, focus.commands))
        .or_else(|| {
            (focus.name != "secrets")
                .then(|| action_in(step, ALL_LINTERS))
                .flatten()
        })?;
    if focus.name == "secrets" && found.contains("trivy") {
        let narrowed = [
            step.run.as_deref(),
            step.input("scanners"),
            step.input("security-checks"),
        ]
        .into_iter()
        .flatten()
        .any(|t| {
            (t.contains("--scanners") || t.contains("--security-checks") || !t.contains("trivy"))
                && !t.contains("secret")
        });
        if narrowed {
            return None;
        }
    }
    Some(found)
}

pub fn security_template(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    SECURITY_TEMPLATES.iter().any(|t| n.contains(t))
}

pub fn publish(step: &Step) -> Option<String> {
    if step.action().as_deref() == Some("docker/build-push-action")
        && step.input("push").is_some_and(|p| p == "false")
    {
        return None;
    }
    action_in(step, PUBLISH_ACTIONS).or_else(|| command_in(step, PUBLISH_COMMANDS))
}

/// Publishing steps that build what they publish (an image build-and-push, goreleaser,
/// `cargo publish`) count as the build too.
pub fn build(step: &Step) -> Option<String> {
    if let Some(a) = step.action()
        && matches!(
            a.as_str(),
            "docker/build-push-action"
                | "docker/bake-action"
                | "goreleaser/goreleaser-action"
                | "pypa/gh-action-pypi-publish"
                | "taiki-e/upload-rust-binary-action"
                | "pyo3/maturin-action"
                | "jreleaser/release-action"
        )
    {
        return step.uses.clone();
    }
    command_in(step, BUILD_COMMANDS).or_else(|| {
        command_in(
            step,
            &[
                "cargo publish",
                "goreleaser",
                "maturin publish",
                "ko build",
                "docker buildx build --push",
            ],
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(cmd: &str) -> Step {
        Step {
            run: Some(cmd.into()),
            ..Step::default()
        }
    }

    fn uses(a: &str) -> Step {
        Step {
            uses: Some(a.into()),
            ..Step::default()
        }
    }

    #[test]
    fn recognisers() {
        assert!(test(&run("cargo nextest run --workspace")).is_some());
        assert!(test(&run("cd web\nnpm ci\nnpm test")).is_some());
        assert!(test(&run("cargo build --release")).is_none());
        assert!(lint(&run("cargo clippy --all-targets -- -D warnings")).is_some());
        assert!(lint(&uses("golangci/golangci-lint-action@v6")).is_some());
        assert!(lint(&run("cargo fmt")).is_none());
        assert!(lint(&run("node script/yarn.js lint")).is_some());
        assert!(lint(&run("make lint-all")).is_some());
        assert!(lint(&run("make go-lint")).is_some());
        assert!(test(&run("make run-telemetry-tests-agentic")).is_some());
        assert!(test(&run("make integration_test")).is_some());
        assert!(test(&run("make test-image")).is_none());
        assert!(test(&run("make build-test-env")).is_none());
        assert!(lint(&run("echo lint")).is_none());
        assert!(test(&run("node script/yarn.js test --ci")).is_some());
        assert!(test(&run("uv run --no-sync bash scripts/test-cov.sh $OPTS")).is_some());
        assert!(test(&run("./scripts/test.sh")).is_some());
        assert!(test(&run("bash scripts/build.sh")).is_none());
        let mut codspeed = uses("CodSpeedHQ/action@v4");
        codspeed.with.push((
            "run".into(),
            "uv run pytest tests/benchmarks --codspeed".into(),
        ));
        assert!(test(&codspeed).is_some());
        assert!(security(&uses("github/codeql-action/analyze@v3")).is_some());
        assert!(security(&run("uv run pip-audit")).is_some());
        assert!(security(&run("pip install -r requirements.txt")).is_none());
        assert!(publish(&uses("docker/build-push-action@v6")).is_some());
        let mut no_push = uses("docker/build-push-action@v6");
        no_push.with.push(("push".into(), "false".into()));
        assert!(publish(&no_push).is_none());
        assert!(build(&run("python -m build")).is_some());
        assert!(security_template("Jobs/SAST.gitlab-ci.yml"));
        let docker = focus(LINT_FOCUS, "dockerfile").unwrap();
        assert!(looks_at(&run("hadolint Dockerfile"), docker).is_some());
        assert!(looks_at(&uses("hadolint/hadolint-action@v3"), docker).is_some());
        assert!(looks_at(&uses("github/super-linter@v5"), docker).is_some());
        assert!(looks_at(&run("ruff check ."), docker).is_none());
        let secrets = focus(SCAN_FOCUS, "secrets").unwrap();
        assert!(looks_at(&run("gitleaks detect --source ."), secrets).is_some());
        assert!(looks_at(&run("trivy fs ."), secrets).is_some());
        assert!(looks_at(&run("trivy fs --scanners vuln ."), secrets).is_none());
        let mut narrowed = uses("aquasecurity/trivy-action@0.24.0");
        narrowed.with.push(("scanners".into(), "vuln".into()));
        assert!(looks_at(&narrowed, secrets).is_none());
        assert!(looks_at(&uses("aquasecurity/trivy-action@0.24.0"), secrets).is_some());
        assert!(looks_at(&run("npm audit"), secrets).is_none());
        assert_eq!(
            foci_named(LINT_FOCUS, "lint your dockerfile")
                .iter()
                .map(|f| f.name)
                .collect::<Vec<_>>(),
            ["dockerfile"]
        );
    }
}
