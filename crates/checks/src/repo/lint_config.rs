//! `repo.lint-config` — each language of the repository has a linter configuration.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use crate::wording::{bind_unless_claims_more, has_any, human_act, leftover};

pub struct LintConfig;

static META: CheckMeta = CheckMeta {
    id: "repo.lint-config",
    title: "Linter configured for each language present",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "For each language with source files in the product (Python, JavaScript/\
               TypeScript, Go, Rust, shell, Ruby, Java, Kotlin, C#, PHP), a linter \
               configuration exists: ruff/flake8/\
               pylint (ruff.toml, .flake8, .pylintrc, [tool.ruff] or [tool.pylint] in \
               pyproject.toml, [flake8] in setup.cfg/tox.ini); ESLint/Biome/oxlint \
               (eslint.config.*, .eslintrc*, biome.json, eslintConfig in package.json); \
               golangci-lint (.golangci.*); clippy/rustfmt (clippy.toml, rustfmt.toml, [lints] \
               in Cargo.toml); .shellcheckrc; .rubocop.yml; Checkstyle/PMD/SpotBugs/Spotless/\
               Error Prone (their files, or their plugins in pom.xml or build.gradle); detekt/\
               ktlint; .editorconfig analyzer rules or Directory.Build.props analysis settings \
               for C#; phpcs/PHPStan/Psalm/PHP-CS-Fixer — or a .pre-commit-config.yaml hook \
               running that language's linter, or CI running a linter that works with its \
               default rules (go vet, golangci-lint, shellcheck, ruff…). Tests, fixtures and \
               examples are ignored.",
        why: "A linter without configuration runs with someone's defaults or not at all; the \
              configuration in the repository makes every machine and CI agree on the rules.",
        fix: "Add the missing configuration (e.g. a [tool.ruff] table in pyproject.toml, an \
              eslint.config.js, .golangci.yml) and run the linter in CI.",
        example: "pyproject.toml:\n  [tool.ruff.lint]\n  select = [\"E\", \"F\", \"B\", \"S\"]",
        binds: &[
            "Lint configuration for each language",
            "Linters configured for all languages used",
            "Linter configuration committed",
            "Coding standards defined",
            "Linters in place",
            "Coding standards established",
            "Code style conventions",
        ],
        not_binds: &[
            "All linting issues fixed for all languages used (Python, JS/TS, Shell, etc.).",
            "Linting passes",
            "Linting enabled",
            "Coding standards followed",
            "Linters run on every commit",
        ],
    },
};

struct Lang {
    name: &'static str,
    exts: &'static [&'static str],
    files: &'static [&'static str],
    /// (file, text that must appear in it)
    sections: &'static [(&'static str, &'static str)],
    /// pre-commit hook ids or repo fragments that lint this language.
    hooks: &'static [&'static str],
    /// Linters that work with their default rules: run by CI (directly, through a Makefile
    /// target or a build plugin), they are the language's configured linter.
    runs: &'static [&'static str],
}

const LANGS: &[Lang] = &[
    Lang {
        name: "Python",
        exts: &["py"],
        files: &[
            "ruff.toml",
            ".ruff.toml",
            ".flake8",
            ".pylintrc",
            "pylintrc",
            ".pylintrc.toml",
            "mypy.ini",
            ".mypy.ini",
        ],
        sections: &[
            ("pyproject.toml", "[tool.ruff"),
            ("pyproject.toml", "[tool.pylint"),
            ("pyproject.toml", "[tool.flake8"),
            ("pyproject.toml", "[tool.mypy"),
            ("setup.cfg", "[flake8]"),
            ("setup.cfg", "[pylint"),
            ("tox.ini", "[flake8]"),
        ],
        hooks: &["ruff", "flake8", "pylint"],
        runs: &["ruff", "flake8", "pylint"],
    },
    Lang {
        name: "JavaScript/TypeScript",
        exts: &["js", "jsx", "ts", "tsx", "mjs", "cjs", "vue", "svelte"],
        files: &[
            "eslint.config.js",
            "eslint.config.mjs",
            "eslint.config.cjs",
            "eslint.config.ts",
            "eslint.config.mts",
            ".eslintrc",
            ".eslintrc.js",
            ".eslintrc.cjs",
            ".eslintrc.json",
            ".eslintrc.yml",
            ".eslintrc.yaml",
            "biome.json",
            "biome.jsonc",
            ".oxlintrc.json",
            "deno.json",
            "deno.jsonc",
        ],
        sections: &[("package.json", "\"eslintConfig\"")],
        hooks: &["eslint", "biome"],
        runs: &["eslint", "biome", "oxlint"],
    },
    Lang {
        name: "Go",
        exts: &["go"],
        files: &[
            ".golangci.yml",
            ".golangci.yaml",
            ".golangci.toml",
            ".golangci.json",
        ],
        sections: &[],
        hooks: &["golangci-lint", "go-vet", "go-lint"],
        runs: &["golangci-lint", "go vet", "staticcheck", "revive"],
    },
    Lang {
        name: "Rust",
        exts: &["rs"],
        files: &[
            "clippy.toml",
            ".clippy.toml",
            "rustfmt.toml",
            ".rustfmt.toml",
        ],
        sections: &[("Cargo.toml", "[lints"), ("Cargo.toml", "[workspace.lints")],
        hooks: &["clippy", "cargo-check", "fmt"],
        runs: &["clippy"],
    },
    Lang {
        name: "shell",
        exts: &["sh", "bash"],
        files: &[".shellcheckrc", "shellcheckrc"],
        sections: &[],
        hooks: &["shellcheck"],
        runs: &["shellcheck"],
    },
    Lang {
        name: "Ruby",
        exts: &["rb"],
        files: &[".rubocop.yml", ".standard.yml"],
        sections: &[],
        hooks: &["rubocop", "standard"],
        runs: &["rubocop", "standardrb"],
    },
    Lang {
        name: "Java",
        exts: &["java"],
        files: &[
            "checkstyle.xml",
            "checkstyle-config.xml",
            "google_checks.xml",
            "sun_checks.xml",
            "pmd-ruleset.xml",
            "spotbugs-exclude.xml",
        ],
        sections: &[
            ("pom.xml", "maven-checkstyle-plugin"),
            ("pom.xml", "spotless-maven-plugin"),
            ("pom.xml", "maven-pmd-plugin"),
            ("pom.xml", "spotbugs-maven-plugin"),
            ("pom.xml", "fmt-maven-plugin"),
            ("pom.xml", "error_prone_core"),
            ("build.gradle", "checkstyle"),
            ("build.gradle", "com.diffplug.spotless"),
            ("build.gradle", "com.github.spotbugs"),
            ("build.gradle", "net.ltgt.errorprone"),
            ("build.gradle.kts", "checkstyle"),
            ("build.gradle.kts", "com.diffplug.spotless"),
            ("build.gradle.kts", "com.github.spotbugs"),
            ("build.gradle.kts", "net.ltgt.errorprone"),
        ],
        hooks: &["checkstyle", "google-java-format", "pretty-format-java"],
        runs: &[
            "checkstyle",
            "pmd",
            "spotbugs",
            "spotless",
            "google-java-format",
            "errorprone",
        ],
    },
    Lang {
        name: "Kotlin",
        exts: &["kt"],
        files: &["detekt.yml", "detekt.yaml", "detekt-config.yml", ".ktlint"],
        sections: &[
            ("build.gradle.kts", "io.gitlab.arturbosch.detekt"),
            ("build.gradle.kts", "org.jlleitschuh.gradle.ktlint"),
            ("build.gradle.kts", "com.diffplug.spotless"),
            ("build.gradle", "io.gitlab.arturbosch.detekt"),
            ("build.gradle", "org.jlleitschuh.gradle.ktlint"),
            ("build.gradle", "com.diffplug.spotless"),
            ("pom.xml", "ktlint"),
            ("pom.xml", "detekt"),
            (".editorconfig", "ktlint_"),
        ],
        hooks: &["ktlint", "detekt"],
        runs: &["ktlint", "detekt", "spotless"],
    },
    Lang {
        name: "C#",
        exts: &["cs"],
        files: &["stylecop.json", ".globalconfig"],
        sections: &[
            (".editorconfig", "dotnet_diagnostic"),
            (".editorconfig", "dotnet_style_"),
            (".editorconfig", "csharp_style_"),
            ("Directory.Build.props", "EnforceCodeStyleInBuild"),
            ("Directory.Build.props", "AnalysisLevel"),
            ("Directory.Build.props", "AnalysisMode"),
            ("Directory.Build.props", "StyleCop.Analyzers"),
            ("Directory.Packages.props", "StyleCop.Analyzers"),
        ],
        hooks: &["dotnet-format"],
        runs: &["dotnet format"],
    },
    Lang {
        name: "PHP",
        exts: &["php"],
        files: &[
            "phpcs.xml",
            "phpcs.xml.dist",
            ".phpcs.xml",
            ".phpcs.xml.dist",
            "phpstan.neon",
            "phpstan.neon.dist",
            "phpstan.dist.neon",
            "psalm.xml",
            "psalm.xml.dist",
            ".php-cs-fixer.php",
            ".php-cs-fixer.dist.php",
            "pint.json",
            "ecs.php",
            "phpmd.xml",
        ],
        sections: &[],
        hooks: &["php-cs-fixer", "phpstan", "phpcs"],
        runs: &["phpstan", "phpcs", "php-cs-fixer", "psalm"],
    },
];

/// Whether the wording says linters are configured: their configuration named, linters said
/// to be set up, or coding standards said to be defined (a linter's rules are where a
/// repository writes its standards down). Linters *passing* or *run* are other claims.
fn claims_configured(lower: &str) -> bool {
    const CONFIG: &[&str] = &[
        "lint configuration",
        "linter configuration",
        "lint config",
        "linters config",
        "linting rules",
        "lint rules",
    ];
    const LINTERS: &[&str] = &["linter", "linters"];
    const STANDARDS: &[&str] = &[
        "coding standards",
        "coding standard",
        "code style",
        "coding style",
        "coding conventions",
        "code conventions",
        "style guide",
        "code style guide",
    ];
    // Beside `EXISTENCE` ("defined", "in place", "set up").
    const SET_UP: &[&str] = &["configured", "established", "establish", "define"];
    let words = crate::wording::words(lower);
    // "Linters", "Coding standards", "Code style conventions": the noun alone names their
    // setup, which a linter's configuration writes down.
    let alone = words.iter().all(|w| {
        matches!(
            *w,
            "linter"
                | "linters"
                | "coding"
                | "code"
                | "style"
                | "standards"
                | "standard"
                | "conventions"
                | "guide"
        )
    });
    has_any(lower, CONFIG)
        || ((has_any(lower, LINTERS) || has_any(lower, STANDARDS)) && alone)
        || ((has_any(lower, LINTERS) || has_any(lower, STANDARDS))
            && (has_any(lower, SET_UP) || has_any(lower, crate::wording::EXISTENCE)))
}

fn ext(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map(|(_, e)| e).unwrap_or("")
}

#[async_trait::async_trait]
impl Check for LintConfig {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["lint-config"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["lint", "linter", "linters", "coding", "code", "style"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !claims_configured(lower) {
            return BindVerdict::No;
        }
        let c = vec![AutoBinding::new("wording says linters are configured")];
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement"),
                candidates: c,
            };
        }
        let extra = leftover(
            lower,
            &[
                "lint",
                "linter",
                "linters",
                "linting",
                "rules",
                "configuration",
                "config",
                "configured",
                "coding",
                "code",
                "standards",
                "standard",
                "style",
                "conventions",
                "defined",
                "in",
                "place",
                "set",
                "up",
                "each",
                "every",
                "all",
                "language",
                "languages",
                "per-language",
                "used",
                "present",
                "repository",
                "repositories",
                "established",
                "establish",
                "define",
                "guide",
            ],
        );
        bind_unless_claims_more(&extra, 0, "linter configuration files", c)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let idx = ctx.repo_index();
        // The product's sources: a test script or an example does not add a language.
        let own: Vec<&str> = idx
            .files
            .iter()
            .map(|f| f.rel.as_str())
            .filter(|r| !super::is_fixture(r) && gonogo_engine::scope::of(r).is_product())
            .collect();
        // Linters CI runs (directly, through Makefile targets and package scripts, or as
        // build plugins), for languages whose linter works with its default rules.
        let ci_lint = crate::ci::hits(&crate::ci::model::pipelines(&ctx), crate::ci::kinds::lint);
        let precommit =
            super::first_file(&ctx, &[".pre-commit-config.yaml", ".pre-commit-config.yml"])
                .and_then(|r| ctx.text(r).as_ref().as_ref().ok().map(|t| t.text.clone()))
                .unwrap_or_default();
        let mut present = Vec::new();
        let mut missing = Vec::new();
        let mut examples: Vec<&str> = Vec::new();
        let mut ev = Vec::new();
        for lang in LANGS {
            let n = own.iter().filter(|r| lang.exts.contains(&ext(r))).count();
            if n == 0 {
                continue;
            }
            present.push(lang.name);
            // A configuration file anywhere outside fixtures (monorepos keep one per package).
            let file = own.iter().find(|r| {
                let name = r.rsplit('/').next().unwrap_or(r);
                lang.files.contains(&name)
            });
            let section = || {
                own.iter().find_map(|r| {
                    let name = r.rsplit('/').next().unwrap_or(r);
                    lang.sections
                        .iter()
                        .filter(|(f, _)| *f == name)
                        .find(|(_, needle)| {
                            ctx.text(r)
                                .as_ref()
                                .as_ref()
                                .is_ok_and(|t| t.text.contains(needle))
                        })
                        .map(|(_, needle)| format!("{r} ({needle})"))
                })
            };
            let hook = || {
                lang.hooks
                    .iter()
                    .find(|h| precommit.contains(*h))
                    .map(|h| format!(".pre-commit-config.yaml (hook {h})"))
            };
            let in_ci = || {
                ci_lint.iter().find_map(|h| {
                    let tool = lang.runs.iter().find(|r| h.what.contains(*r))?;
                    Some(Evidence::at(
                        h.rel.clone(),
                        Some(h.line),
                        format!("{}: CI runs {tool} with its default rules", lang.name),
                    ))
                })
            };
            match file.map(|f| f.to_string()).or_else(section).or_else(hook) {
                Some(where_) => ev.push(Evidence::at(
                    where_.split(' ').next().unwrap_or("").to_string(),
                    None,
                    format!("{}: {where_}", lang.name),
                )),
                None if let Some(e) = in_ci() => ev.push(e),
                None => {
                    missing.push(format!(
                        "{} ({n} file{})",
                        lang.name,
                        if n == 1 { "" } else { "s" }
                    ));
                    examples.extend(lang.files.first());
                }
            }
        }
        if present.is_empty() {
            return Outcome::skipped(
                "no Python, JS/TS, Go, Rust, shell, Ruby, Java, Kotlin, C# or PHP source files",
            );
        }
        if missing.is_empty() {
            let mut o = Outcome::pass(format!("linter configured for {}", present.join(", ")));
            for e in ev {
                o = o.with_evidence(e);
            }
            return o;
        }
        Outcome::fail(format!(
            "no linter configuration for {}: add one ({}) or run the linter in CI",
            missing.join(", "),
            examples.join(", ")
        ))
    }
}
