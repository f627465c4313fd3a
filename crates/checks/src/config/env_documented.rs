//! `config.env-documented` — every environment variable the code reads (and every one the
//! checklist declares) is listed in `.env.example` or the configuration docs.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind, text_list,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::model::CodeBlock;
use regex::Regex;
use serde_json::Value;

use crate::wording::{bind_unless_claims_more, has_any, human_act, leftover};

pub struct EnvDocumented;

static META: CheckMeta = CheckMeta {
    id: "config.env-documented",
    title: "Every environment variable the code reads is documented",
    target: TargetKind::Repository,
    params: &[
        ParamSpec {
            name: "required",
            kind: ParamKind::TextList,
            default: Some(""),
            required: false,
            doc: "variables the checklist declares as required (the binder takes them from a \
                  fenced `NAME=value` block in the item's own section, or from the item's \
                  code spans)",
        },
        ParamSpec {
            name: "ignore",
            kind: ParamKind::TextList,
            default: Some(""),
            required: false,
            doc: "further variable names that need no documentation",
        },
    ],
    docs: CheckDocs {
        what: "Collects the environment variables the project's code reads — Rust \
               (env::var, env!, option_env!, clap `env = \"…\"`), Python (os.environ[…], \
               os.environ.get, os.getenv), JS/TS (process.env.X, process.env[\"X\"], \
               import.meta.env.X, Deno.env.get), Go (os.Getenv, os.LookupEnv) and shell \
               (`${X:-…}`, `${X:?…}`) — outside tests and fixtures, plus the variables the \
               checklist declares, and requires each name in an example environment file \
               (.env.example, .env.sample, .env.template, …) or in the Markdown docs at the \
               root or in docs/. Platform variables (HOME, PATH, CI, GITHUB_*, RUST_LOG…) are \
               exempt.",
        why: "A variable the code reads but nobody wrote down is found at the first deploy to \
              a new environment, as a crash or, worse, a silent default.",
        fix: "Add each missing name to .env.example with a placeholder and a comment saying \
              what it is for, or document it in the configuration section of the docs.",
        example: ".env.example:\n  # PostgreSQL connection string (required)\n  DATABASE_URL=postgres://user:CHANGEME@db:5432/app",
        binds: &[
            "Environment variables documented",
            "All environment variables listed in .env.example",
            "Every config variable the code reads is documented",
            "Document every env var the service reads",
            "os.Getenv keys are all explained in the README",
        ],
        not_binds: &[
            "Environment variables secured",
            "Environment variables used",
            "Production .env configured",
            "Env var naming convention documented",
        ],
    },
};

/// Read by runtimes and platforms, not by the application's own configuration.
const PLATFORM: &[&str] = &[
    "HOME",
    "PATH",
    "USER",
    "USERNAME",
    "PWD",
    "SHELL",
    "TERM",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "TEMP",
    "TMP",
    "HOSTNAME",
    "CI",
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR",
    "COLUMNS",
    "LINES",
    "TZ",
    "EDITOR",
    "PAGER",
    "DISPLAY",
    "RUST_BACKTRACE",
    "RUST_LOG",
    "RUST_LIB_BACKTRACE",
    "PYTHONPATH",
    "PYTHONUNBUFFERED",
    "VIRTUAL_ENV",
    "NODE_ENV",
    "NODE_OPTIONS",
    "GOPATH",
    "GOOS",
    "GOARCH",
    "DEBUG",
    "OUT_DIR",
    "PROFILE",
    "TARGET",
    "HOST",
    "OPT_LEVEL",
    "NUM_JOBS",
    "APPDATA",
    "LOCALAPPDATA",
    "USERPROFILE",
    "SYSTEMROOT",
    "KUBERNETES_SERVICE_HOST",
    "KUBERNETES_SERVICE_PORT",
];
const PLATFORM_PREFIXES: &[&str] = &[
    "GITHUB_", "RUNNER_", "CARGO_", "CI_", "XDG_", "npm_", "LC_", "INSTA_", "DEP_",
];

static READS: LazyLock<Vec<(&'static [&'static str], Regex)>> = LazyLock::new(|| {
    let n = r#"([A-Z][A-Z0-9_]{1,63})"#;
    vec![
        (
            &["rs"][..],
            Regex::new(&format!(
                r#"(?:env::var(?:_os)?|env!|option_env!)\(\s*"{n}""#
            ))
            .unwrap(),
        ),
        (
            &["rs"][..],
            Regex::new(&format!(r#"\benv\s*=\s*"{n}""#)).unwrap(),
        ),
        (
            &["py"][..],
            Regex::new(&format!(
                r#"(?:os\.environ(?:\.get)?|os\.getenv|environ\.get|getenv)\s*[\[(]\s*["']{n}["']"#
            ))
            .unwrap(),
        ),
        (
            &["js", "jsx", "ts", "tsx", "mjs", "cjs", "vue", "svelte"][..],
            Regex::new(&format!(
                r#"(?:process\.env|import\.meta\.env)(?:\.{n}\b|\[\s*["']{n}["']\s*\])"#
            ))
            .unwrap(),
        ),
        (
            &["js", "ts", "mjs"][..],
            Regex::new(&format!(r#"Deno\.env\.get\(\s*["']{n}["']"#)).unwrap(),
        ),
        (
            &["go"][..],
            Regex::new(&format!(r#"os\.(?:Getenv|LookupEnv)\(\s*"{n}""#)).unwrap(),
        ),
        (
            &["sh", "bash"][..],
            Regex::new(&format!(r#"\$\{{{n}:?[-?=]"#)).unwrap(),
        ),
    ]
});

fn is_test_path(rel: &str) -> bool {
    // Tests, fixtures, examples, tooling (`engine::scope`), plus what builds or benchmarks.
    let r = format!("/{rel}");
    !gonogo_engine::scope::of(rel).is_product()
        || rel.rsplit('/').next() == Some("build.rs")
        || r.contains("/benches/")
        || r.contains("/bench/")
}

/// The request meta-variables of CGI (RFC 3875) and WSGI: read from a request's `environ`
/// dict, never set by whoever deploys the service.
fn is_request_variable(name: &str) -> bool {
    name.starts_with("HTTP_")
        || matches!(
            name,
            "PATH_INFO"
                | "PATH_TRANSLATED"
                | "QUERY_STRING"
                | "REQUEST_METHOD"
                | "REQUEST_URI"
                | "SCRIPT_NAME"
                | "SERVER_NAME"
                | "SERVER_PORT"
                | "SERVER_PROTOCOL"
                | "SERVER_SOFTWARE"
                | "REMOTE_ADDR"
                | "REMOTE_HOST"
                | "REMOTE_USER"
                | "REMOTE_IDENT"
                | "AUTH_TYPE"
                | "CONTENT_TYPE"
                | "CONTENT_LENGTH"
                | "GATEWAY_INTERFACE"
        )
}

/// Where a Rust file's unit tests begin: a `#[cfg(test)]` line followed by a `mod`, which by
/// convention holds the rest of the file. What tests read is not the program's configuration.
fn rust_test_module_start(lines: &[&str]) -> usize {
    lines
        .iter()
        .enumerate()
        .find(|(i, l)| {
            l.trim() == "#[cfg(test)]"
                && lines[i + 1..]
                    .iter()
                    .map(|n| n.trim())
                    .find(|n| !n.is_empty() && !n.starts_with("#["))
                    .is_some_and(|n| n.starts_with("mod ") || n.starts_with("pub mod "))
        })
        .map_or(lines.len(), |(i, _)| i)
}

/// Variable name → first place the code reads it. Parsed once per run.
pub(crate) fn env_reads(ctx: &RunContext) -> Arc<BTreeMap<String, (String, usize)>> {
    ctx.cached("config.env-reads", || {
        let mut out: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for f in &ctx.repo_index().files {
            let ext = f.rel.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
            let rules: Vec<&Regex> = READS
                .iter()
                .filter(|(exts, _)| exts.contains(&ext))
                .map(|(_, r)| r)
                .collect();
            if rules.is_empty() || is_test_path(&f.rel) {
                continue;
            }
            let text = ctx.text(&f.rel);
            let Ok(t) = text.as_ref() else { continue };
            let lines: Vec<&str> = t.text.lines().collect();
            let code_end = if ext == "rs" {
                rust_test_module_start(&lines)
            } else {
                lines.len()
            };
            for (i, line) in lines[..code_end].iter().enumerate() {
                for r in &rules {
                    for c in r.captures_iter(line) {
                        if let Some(m) = c.iter().skip(1).flatten().next()
                            && !is_request_variable(m.as_str())
                        {
                            out.entry(m.as_str().to_string())
                                .or_insert_with(|| (f.rel.clone(), i + 1));
                        }
                    }
                }
            }
        }
        out
    })
}

/// `NAME=value` lines of an env-style code block.
pub(crate) fn block_vars(block: &CodeBlock) -> Vec<String> {
    if !matches!(
        block.lang.as_str(),
        "" | "bash" | "sh" | "shell" | "env" | "dotenv" | "ini" | "properties"
    ) {
        return Vec::new();
    }
    let lines: Vec<&str> = block
        .content
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let vars: Vec<String> = lines
        .iter()
        .filter_map(|l| {
            let l = l.strip_prefix("export ").unwrap_or(l);
            let (name, _) = l.split_once('=')?;
            (!name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .then(|| name.to_string())
        })
        .collect();
    // Only a block that is mostly assignments declares variables (not a script).
    if vars.len() * 2 >= lines.len() && !vars.is_empty() {
        vars
    } else {
        Vec::new()
    }
}

fn documented_names(ctx: &RunContext) -> (Vec<String>, String) {
    let mut sources = Vec::new();
    let mut text = String::new();
    for e in ctx.root_listing() {
        if e.is_dir {
            continue;
        }
        let name = e
            .path
            .rsplit('/')
            .next()
            .unwrap_or(&e.path)
            .to_ascii_lowercase();
        let env_file = super::env_example::NAMES.contains(&name.as_str());
        let doc = name.ends_with(".md") || name.ends_with(".rst") || name.ends_with(".adoc");
        if !env_file && !doc {
            continue;
        }
        if let Ok(t) = crate::docs::read_text(ctx, &e.path) {
            sources.push(e.path.clone());
            text.push_str(&t);
            text.push('\n');
        }
    }
    (sources, text)
}

fn mentions(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}

fn list(params: &Params, key: &str) -> Vec<String> {
    text_list(params, key)
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect()
}

#[async_trait::async_trait]
impl Check for EnvDocumented {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["env", "variable"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let env = has_any(
            lower,
            &[
                "environment variables",
                "environment variable",
                "env vars",
                "env variables",
                "config variables",
                "config variable",
                "configuration variables",
                ".env.example",
                "env var",
                "env vars",
                "env keys",
                "env key",
                "getenv",
                "os.getenv",
                "process.env",
            ],
        );
        let documented = has_any(
            lower,
            &[
                "documented",
                "document",
                "doc",
                "listed",
                "described",
                "declared",
                "explained",
            ],
        );
        if !env || !documented {
            return BindVerdict::No;
        }
        let mut required: Vec<String> = view.section_blocks.iter().flat_map(block_vars).collect();
        // Variables the checklist declares in another section under an environment heading
        // ("6.1 Required Environment Variables").
        for sec in view.checklist_sections {
            let heading = sec
                .path
                .last()
                .map(|h| h.to_lowercase())
                .unwrap_or_default();
            if has_any(
                &heading,
                &[
                    "environment variables",
                    "env vars",
                    "environment",
                    "configuration variables",
                ],
            ) {
                required.extend(sec.code_blocks.iter().flat_map(block_vars));
            }
        }
        required.extend(
            view.item
                .code_spans
                .iter()
                .filter(|s| {
                    s.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                        && s.len() > 1
                })
                .cloned(),
        );
        let mut seen = std::collections::HashSet::new();
        required.retain(|v| seen.insert(v.clone()));
        let mut b = AutoBinding::new(if required.is_empty() {
            "wording says the environment variables are documented".to_string()
        } else {
            format!(
                "wording says the environment variables are documented; the checklist declares {}",
                required.len()
            )
        });
        if !required.is_empty() {
            b = b.with("required", Value::from(required));
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement"),
                candidates: vec![b],
            };
        }
        let extra = leftover(
            lower,
            &[
                "environment",
                "env",
                "variables",
                "variable",
                "vars",
                "config",
                "configuration",
                "documented",
                "listed",
                "described",
                "declared",
                "every",
                "each",
                "code",
                "reads",
                "read",
                "the",
                "in",
                "env.example",
                "example",
                "used",
                "required",
                "var",
                "key",
                "keys",
                "getenv",
                "os.getenv",
                "process.env",
                "document",
                "doc",
                "docs",
                "explained",
                "explain",
                "all",
                "app",
                "application",
                "service",
                "consumed",
                "uses",
                "by",
                "readme",
                "or",
            ],
        );
        // Where the docs are ("in docs/configuration.md") is where the check reads anyway.
        let extra: Vec<&str> = extra.into_iter().filter(|w| !w.ends_with(".md")).collect();
        bind_unless_claims_more(&extra, 0, "documented variable names", vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let required = list(&params, "required");
        let ignore = list(&params, "ignore");
        let reads = env_reads(&ctx);
        let mut wanted: Vec<(String, Option<(String, usize)>)> = reads
            .iter()
            .filter(|(n, _)| {
                !PLATFORM.contains(&n.as_str())
                    && !PLATFORM_PREFIXES.iter().any(|p| n.starts_with(p))
                    && !ignore.contains(n)
            })
            .map(|(n, at)| (n.clone(), Some(at.clone())))
            .collect();
        for r in &required {
            if !wanted.iter().any(|(n, _)| n == r) {
                wanted.push((r.clone(), None));
            }
        }
        if wanted.is_empty() {
            return Outcome::skipped(
                "the code reads no environment variable (Rust, Python, JS/TS, Go, shell) and the checklist declares none",
            );
        }
        let (sources, text) = documented_names(&ctx);
        if sources.is_empty() {
            return Outcome::fail(format!(
                "{} environment variable{} read or required, but there is no .env.example or Markdown doc at the root or in docs/: add .env.example",
                wanted.len(),
                if wanted.len() == 1 { " is" } else { "s are" }
            ));
        }
        let missing: Vec<&(String, Option<(String, usize)>)> =
            wanted.iter().filter(|(n, _)| !mentions(&text, n)).collect();
        if missing.is_empty() {
            return Outcome::pass(format!(
                "{} ({} read by the code, {} declared by the checklist) {} documented in {}",
                if wanted.len() == 1 {
                    "the one environment variable".to_string()
                } else {
                    format!("all {} environment variables", wanted.len())
                },
                wanted.iter().filter(|(_, a)| a.is_some()).count(),
                required.len(),
                if wanted.len() == 1 { "is" } else { "are" },
                sources.join(", ")
            ));
        }
        let names: Vec<&str> = missing.iter().take(12).map(|(n, _)| n.as_str()).collect();
        let mut o = Outcome::fail(format!(
            "{} of {} environment variables are not documented ({}{}): add them to .env.example",
            missing.len(),
            wanted.len(),
            names.join(", "),
            if missing.len() > 12 { ", …" } else { "" }
        ));
        for (n, at) in missing.iter().take(20) {
            o = o.with_evidence(match at {
                Some((f, l)) => Evidence::at(f.clone(), Some(*l), format!("reads {n}")),
                None => Evidence::detail(format!("{n}: declared required by the checklist")),
            });
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_blocks_and_mentions() {
        let b = CodeBlock {
            line: 1,
            lang: "bash".into(),
            content: "# Database (REQUIRED)\nDATABASE_HOST=<host>\nDATABASE_PORT=5432\n".into(),
            commands: vec![],
            expected: vec![],
        };
        assert_eq!(block_vars(&b), vec!["DATABASE_HOST", "DATABASE_PORT"]);
        let script = CodeBlock {
            content: "alembic upgrade head\nkubectl get pods\n".into(),
            ..b
        };
        assert!(block_vars(&script).is_empty());
        assert!(mentions("set `DB_URL` first", "DB_URL"));
        assert!(!mentions("DB_URL_RO=x", "DB_URL"));
    }

    #[test]
    fn rust_unit_tests_are_not_the_program() {
        let file = [
            "fn main() { std::env::var(\"PORT\"); }",
            "",
            "#[cfg(test)]",
            "#[allow(unused)]",
            "mod tests {",
            "    std::env::var(\"ONLY_IN_TESTS\");",
            "}",
        ];
        assert_eq!(rust_test_module_start(&file), 2);
        // A cfg(test) item that is not a module is code like any other.
        let helper = ["#[cfg(test)]", "fn helper() {}", "std::env::var(\"X\");"];
        assert_eq!(rust_test_module_start(&helper), helper.len());
    }

    #[test]
    fn reads_of_each_language() {
        let hits = |ext: &str, line: &str| -> Vec<String> {
            READS
                .iter()
                .filter(|(e, _)| e.contains(&ext))
                .flat_map(|(_, r)| {
                    r.captures_iter(line)
                        .filter_map(|c| {
                            c.iter()
                                .skip(1)
                                .flatten()
                                .next()
                                .map(|m| m.as_str().to_string())
                        })
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        assert_eq!(
            hits("rs", r#"let u = std::env::var("DATABASE_URL")?;"#),
            vec!["DATABASE_URL"]
        );
        assert_eq!(
            hits("py", r#"key = os.environ.get("API_KEY", "")"#),
            vec!["API_KEY"]
        );
        assert_eq!(
            hits("ts", r#"const p = process.env.PORT ?? 3000"#),
            vec!["PORT"]
        );
        assert_eq!(
            hits("ts", r#"process.env["SENTRY_DSN"]"#),
            vec!["SENTRY_DSN"]
        );
        assert_eq!(
            hits("go", r#"addr := os.Getenv("LISTEN_ADDR")"#),
            vec!["LISTEN_ADDR"]
        );
        assert_eq!(
            hits("sh", r#"exec app --port "${PORT:-8080}""#),
            vec!["PORT"]
        );
        assert!(hits("sh", r#"echo "$HOME""#).is_empty());
    }
}
