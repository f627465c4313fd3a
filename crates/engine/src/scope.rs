//! What a repository file is to the product: the product itself, or a test, a fixture, an
//! example, development tooling, or generated/vendored code. Decided once, from the path, so
//! every check that asks "is this the service we ship?" gets the same answer: a runbook under
//! `examples/`, a `.devcontainer/Dockerfile` or an e2e fixture's NetworkPolicy is not the
//! service's own.

/// The part a file plays in the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The service as it is built, configured and deployed.
    Product,
    /// Test code (`tests/`, `*_test.go`, `*.spec.ts`, `conftest.py`, `config/test.exs`).
    Test,
    /// Data tests read: fixtures, recorded HTTP cassettes, snapshots, `testdata/`.
    Fixture,
    /// Samples and demos of how to use the product, and archived material.
    Example,
    /// Tooling for developers, not shipped: dev containers, debug images, `config/dev.exs`.
    Development,
    /// Generated or vendored code (`cue.mod/`, `*.pb.go`, `generated/`).
    Generated,
}

impl Scope {
    pub fn is_product(self) -> bool {
        self == Scope::Product
    }

    /// A short noun for reports ("3 files in tests, fixtures or examples were left out").
    pub fn noun(self) -> &'static str {
        match self {
            Scope::Product => "product",
            Scope::Test => "test",
            Scope::Fixture => "fixture",
            Scope::Example => "example",
            Scope::Development => "development tooling",
            Scope::Generated => "generated or vendored",
        }
    }
}

const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "spec",
    "specs",
    "testing",
    "e2e",
    "e2e-tests",
    "integration-tests",
    "integration_tests",
    "test-e2e",
    "cypress",
    "playwright",
];

const FIXTURE_DIRS: &[&str] = &[
    "fixtures",
    "fixture",
    "testdata",
    "test-data",
    "test_data",
    "__snapshots__",
    "snapshots",
    "cassettes",
    "vcr_cassettes",
    "__mocks__",
    "mocks",
];

const EXAMPLE_DIRS: &[&str] = &[
    "examples",
    "example",
    "samples",
    "sample",
    "_archived",
    "archived",
];

const DEVELOPMENT_DIRS: &[&str] = &[".devcontainer", ".vscode", ".idea", "hack"];

const GENERATED_DIRS: &[&str] = &["cue.mod", "generated", "__generated__", "gen-src"];

/// The scope of `rel` (a `/`-separated path relative to the repository root).
pub fn of(rel: &str) -> Scope {
    let lower = rel.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    let name = parts.pop().unwrap_or_default();
    // The innermost folder that says what it holds decides: `examples/app/tests/x` is a test
    // of an example, and both are left out; `tests/fixtures/` is fixtures.
    for dir in parts.iter().rev() {
        if GENERATED_DIRS.contains(dir) {
            return Scope::Generated;
        }
        if FIXTURE_DIRS.contains(dir) {
            return Scope::Fixture;
        }
        if TEST_DIRS.contains(dir) {
            return Scope::Test;
        }
        if EXAMPLE_DIRS.contains(dir) {
            return Scope::Example;
        }
        if DEVELOPMENT_DIRS.contains(dir) {
            return Scope::Development;
        }
    }
    if is_test_file(name, &parts) {
        return Scope::Test;
    }
    if is_development_file(name, &parts) {
        return Scope::Development;
    }
    if is_generated_file(name) {
        return Scope::Generated;
    }
    Scope::Product
}

fn is_test_file(name: &str, dirs: &[&str]) -> bool {
    let stem = name.split('.').next().unwrap_or(name);
    name.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("_spec")
        || name.contains(".test.")
        || name.contains(".tests.")
        || name.contains(".spec.")
        || name.contains(".e2e.")
        || name == "conftest.py"
        // Java/Kotlin/C# test classes: `FooTest.java`, `FooTests.cs` (lowercased here).
        || ([".java", ".kt", ".cs", ".scala"].iter().any(|e| name.ends_with(e))
            && (stem.ends_with("test") || stem.ends_with("tests")) && stem.len() > 5)
        // Elixir/Phoenix and Rails environments: `config/test.exs`, `config/environments/test.rb`.
        || (matches!(name, "test.exs" | "test.rb") && dirs.iter().any(|d| *d == "config" || *d == "environments"))
        // Dockerfiles for running tests: `Dockerfile.test`, `Dockerfile.playwright`.
        || matches!(name, "dockerfile.test" | "dockerfile.tests" | "dockerfile.playwright" | "dockerfile.e2e")
}

fn is_development_file(name: &str, dirs: &[&str]) -> bool {
    matches!(
        name,
        "dockerfile.dev" | "dockerfile.debug" | "dockerfile.develop" | "dockerfile.local"
    ) || name.ends_with(".dev.dockerfile")
        || name.ends_with(".debug.dockerfile")
        || (matches!(name, "dev.exs" | "development.rb")
            && dirs.iter().any(|d| *d == "config" || *d == "environments"))
}

fn is_generated_file(name: &str) -> bool {
    name.ends_with(".pb.go")
        || name.ends_with("_pb2.py")
        || name.ends_with("_pb2_grpc.py")
        || name.ends_with(".pb.ts")
        || name.contains(".generated.")
        || name.ends_with(".gen.go")
        || name.ends_with("_gen.go")
        || name.ends_with("_gen.cue")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_say_what_part_a_file_plays() {
        let cases = [
            ("src/app/main.py", Scope::Product),
            ("Dockerfile", Scope::Product),
            ("deploy/k8s/deployment.yaml", Scope::Product),
            ("config/prod.exs", Scope::Product),
            ("docs/runbook.md", Scope::Product),
            ("pkg/api/grpc/token_test.go", Scope::Test),
            ("frontend/src/login.spec.ts", Scope::Test),
            ("backend/tests/conftest.py", Scope::Test),
            ("src/flagd-ui/config/test.exs", Scope::Test),
            (
                "src/Ordering.FunctionalTests/OrderingApiTests.cs",
                Scope::Test,
            ),
            ("frontend/Dockerfile.playwright", Scope::Test),
            ("compose.tests.yaml", Scope::Test),
            ("test/e2e/netpol.yaml", Scope::Test),
            ("src/agent/fixtures/vcr_cassettes/gpt.yaml", Scope::Fixture),
            ("tests/fixtures/secret.env", Scope::Fixture),
            ("internal/testdata/key.pem", Scope::Fixture),
            ("examples/runbook/RUNBOOK.md", Scope::Example),
            ("_archived/volumes/iscsi/chap-secret.yaml", Scope::Example),
            (".devcontainer/Dockerfile", Scope::Development),
            ("src/cartservice/src/Dockerfile.debug", Scope::Development),
            ("src/flagd-ui/config/dev.exs", Scope::Development),
            (
                "timoni/podinfo/cue.mod/gen/k8s.io/api/core/v1/types_go_gen.cue",
                Scope::Generated,
            ),
            ("protos/demo.pb.go", Scope::Generated),
        ];
        for (path, want) in cases {
            assert_eq!(of(path), want, "{path}");
        }
        // Words inside names do not count: a `latest/` or `contest/` folder is product.
        assert_eq!(of("contest/app.py"), Scope::Product);
        assert_eq!(of("src/testament/app.py"), Scope::Product);
        assert!(of("src/main.rs").is_product());
        assert!(!of("tests/x.rs").is_product());
    }
}
