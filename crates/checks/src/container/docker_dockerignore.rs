//! `docker.dockerignore` — every Dockerfile's build context has a `.dockerignore`.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::{Subject, bind_claim, no_dockerfile, over_dockerfiles};
use crate::wording::has_any;

pub struct Dockerignore;

static META: CheckMeta = CheckMeta {
    id: "docker.dockerignore",
    title: "A .dockerignore limits the build context",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "For every Dockerfile, a `.dockerignore` exists in its folder or in a parent \
               folder up to the repository root (where build contexts usually are), or as \
               `<Dockerfile>.dockerignore` beside it. When Compose (`build.context`) or CI \
               (`docker/build-push-action`'s `context`, a `docker build -f F CTX` run line) or a Makefile recipe names the build context, only that \
               context's `.dockerignore` (or the one beside the Dockerfile) counts, as Docker \
               reads no other. When it exists but does not exclude \
               `.git` or `.env`, that is noted.",
        why: "Without .dockerignore, `COPY . .` sends and bakes in everything: the .git \
              history, local .env files with real credentials, build output and caches, making \
              images larger, builds slower and secrets leak into layers.",
        fix: "Add a .dockerignore beside the Dockerfile (or at the build context root) listing \
              at least `.git`, `.env`, `*.pem`, `node_modules`, build output and test data.",
        example: ".dockerignore:\n  .git\n  .env\n  .env.*\n  !.env.example\n  node_modules\n  target",
        binds: &[
            ".dockerignore present",
            "`.dockerignore` file added",
            "Docker build context limited by .dockerignore",
        ],
        not_binds: &[".gitignore present", ".dockerignore reviewed by security"],
    },
};

#[async_trait::async_trait]
impl Check for Dockerignore {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["dockerignore"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["dockerignore"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let s = Subject::of(view);
        bind_claim(
            view,
            has_any(view.lower, &[".dockerignore", "dockerignore"]),
            !s.orchestrator,
            &[
                ".dockerignore",
                "build",
                "exclude",
                "excluded",
                "excluding",
                "out",
                "keep",
                "keeps",
                "stay",
                "stays",
                "junk",
                "git",
                ".git",
                "node_modules",
                "env",
                ".env",
                "send",
                "sent",
                "small",
                "smaller",
                "size",
                "reduce",
                "reduces",
                "dockerignore",
                "context",
                "limited",
                "by",
                "excludes",
            ],
            "wording names .dockerignore",
        )
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let index = ctx.repo_index();
        let exists = |rel: &str| {
            index
                .files
                .binary_search_by(|f| f.rel.as_str().cmp(rel))
                .is_ok()
        };
        let contexts = build_contexts(&ctx);
        let Some(f) = over_dockerfiles(&ctx, |rel, _df, f| {
            let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
            let beside = if dir.is_empty() {
                format!("{name}.dockerignore")
            } else {
                format!("{dir}/{name}.dockerignore")
            };
            let mut candidates = vec![beside];
            // The build contexts Compose and CI give it: Docker reads the `.dockerignore` at
            // the context's root (or the one beside the Dockerfile), no other.
            let given: Vec<&(String, String)> =
                contexts.iter().filter(|(df, _)| df == rel).collect();
            if !given.is_empty() {
                for (_, c) in &given {
                    candidates.push(if c.is_empty() {
                        ".dockerignore".to_string()
                    } else {
                        format!("{c}/.dockerignore")
                    });
                }
                if !candidates.iter().any(|c| exists(c)) {
                    let ctxs: Vec<String> = given
                        .iter()
                        .map(|(_, c)| {
                            if c.is_empty() {
                                "the repository root".to_string()
                            } else {
                                format!("{c}/")
                            }
                        })
                        .collect();
                    f.problem(
                        rel,
                        None,
                        format!(
                            "no .dockerignore at its build context ({}), where Compose, CI or a \
                             Makefile builds it",
                            ctxs.join(", ")
                        ),
                    );
                    return;
                }
            }
            let mut d = dir.to_string();
            loop {
                candidates.push(if d.is_empty() {
                    ".dockerignore".to_string()
                } else {
                    format!("{d}/.dockerignore")
                });
                if d.is_empty() {
                    break;
                }
                d = d
                    .rsplit_once('/')
                    .map_or(String::new(), |(p, _)| p.to_string());
            }
            match candidates.iter().find(|c| exists(c)) {
                Some(found) => {
                    let text = ctx.text(found);
                    let lines: Vec<String> = match text.as_ref() {
                        Ok(t) => t
                            .text
                            .lines()
                            .map(|l| {
                                l.trim()
                                    .trim_start_matches("**/")
                                    .trim_start_matches('/')
                                    .trim_end_matches('/')
                                    .to_string()
                            })
                            .collect(),
                        Err(_) => Vec::new(),
                    };
                    let missing: Vec<&str> = [".git", ".env"]
                        .into_iter()
                        .filter(|p| {
                            !lines.iter().any(|l| {
                                l == p
                                    || l == &format!("{p}*")
                                    || l == &format!("{p}/**")
                                    || l == "*"
                                    || l == "**"
                            })
                        })
                        .collect();
                    if missing.is_empty() {
                        f.note(found, None, format!("used for {rel}"));
                    } else {
                        f.note(
                            found,
                            None,
                            format!(
                                "used for {rel}; note: it does not exclude {}",
                                missing.join(" or ")
                            ),
                        );
                    }
                }
                None => f.problem(rel, None, "no .dockerignore in its folder or above"),
            }
        }) else {
            return no_dockerfile();
        };
        f.outcome(
            "Dockerfile",
            "a .dockerignore limits the build context",
            "no .dockerignore for the build context; add one excluding .git, .env and build output",
        )
    }
}

/// (Dockerfile, build context) pairs the repository builds: Compose services' `build:` and
/// CI steps' `docker/build-push-action` `context`/`file` inputs, as repository paths.
fn build_contexts(ctx: &RunContext) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in super::compose_files(ctx).iter() {
        let Ok(y) = e.yaml.as_ref() else { continue };
        for s in super::services(y) {
            if let Some(pair) = super::build_of(&e.rel, s.node) {
                out.push(pair);
            }
        }
    }
    let pipelines = crate::ci::model::pipelines(ctx);
    for p in &pipelines.list {
        for j in &p.jobs {
            for s in &j.steps {
                // `run:` lines that call `docker build -f F CTX`, directly or through a Makefile
                // target or package script (expanded into the step by the CI model): the
                // repository root is their working directory.
                if let Some(run) = &s.run {
                    for l in &crate::ci::model::command_lines(run) {
                        out.extend(docker_builds(l, ""));
                    }
                }
                if s.action().as_deref() != Some("docker/build-push-action") {
                    continue;
                }
                let context = s.input("context").unwrap_or(".");
                if context.contains("://") || context.contains("${{") {
                    continue;
                }
                let context = super::normalise(context);
                let file = match s.input("file") {
                    Some(f) if !f.contains("${{") => super::normalise(f),
                    Some(_) => continue,
                    None => super::normalise(&format!("{context}/Dockerfile")),
                };
                out.push((file, context));
            }
        }
    }
    // Makefile recipes run in the Makefile's folder.
    let index = ctx.repo_index();
    for f in index.files.iter().filter(|f| {
        let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
        matches!(name, "Makefile" | "makefile" | "GNUmakefile")
            && gonogo_engine::scope::of(&f.rel).is_product()
    }) {
        let dir = f.rel.rsplit_once('/').map_or("", |(d, _)| d);
        for l in crate::ci::scripts::recipes(ctx, &f.rel) {
            out.extend(docker_builds(&l, dir));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// (Dockerfile, context) of each `docker build` / `docker buildx build` / `podman build` in a
/// command line run from `cwd`: `-f` is relative to the working directory, the context is the
/// positional argument, and `cd DIR &&` before it moves the working directory. Paths made of
/// variables (`$DIR`, `${{ … }}`) or remote contexts are left out: they say nothing certain.
fn docker_builds(line: &str, cwd: &str) -> Vec<(String, String)> {
    // Options that take a value (the value is not the context).
    const VALUED: &[&str] = &[
        "-t",
        "--tag",
        "-f",
        "--file",
        "--build-arg",
        "--target",
        "--platform",
        "--label",
        "--cache-from",
        "--cache-to",
        "--secret",
        "--ssh",
        "-o",
        "--output",
        "--network",
        "--progress",
        "--iidfile",
        "--metadata-file",
        "--builder",
        "--build-context",
        "--add-host",
        "--shm-size",
        "--ulimit",
        "-m",
        "--memory",
        "--annotation",
        "--attest",
        "--provenance",
        "--sbom",
        "--allow",
        "--cgroup-parent",
        "--isolation",
    ];
    let mut out = Vec::new();
    let mut dir = cwd.to_string();
    // `${{ github.sha }}` holds spaces: make each expression one word before splitting.
    let mut line = line.to_string();
    while let Some(start) = line.find("${{") {
        let end = line[start..]
            .find("}}")
            .map_or(line.len(), |e| start + e + 2);
        line.replace_range(start..end, "$EXPR");
    }
    for part in line.split("&&").flat_map(|p| p.split(';')) {
        let words: Vec<String> = part
            .split_whitespace()
            .map(|w| w.trim_matches(['"', '\'']).to_string())
            .skip_while(|w| w.contains('=') && !w.starts_with('-'))
            .collect();
        let Some(first) = words.first() else { continue };
        if first == "cd" {
            match words.get(1) {
                Some(d) if !d.contains('$') && !d.starts_with('/') && d != "-" => {
                    dir = super::normalise(&format!("{dir}/{d}"));
                }
                _ => return out,
            }
            continue;
        }
        let prog = first.rsplit('/').next().unwrap_or(first);
        let rest: &[String] = match (prog, words.get(1).map(String::as_str)) {
            ("docker" | "podman", Some("build")) => &words[2..],
            ("docker", Some("buildx" | "image"))
                if words.get(2).map(String::as_str) == Some("build") =>
            {
                &words[3..]
            }
            _ => continue,
        };
        let mut file: Option<&str> = None;
        let mut context: Option<&str> = None;
        let mut i = 0;
        while i < rest.len() {
            let a = rest[i].as_str();
            if a == "-f" || a == "--file" {
                file = rest.get(i + 1).map(String::as_str);
                i += 2;
                continue;
            }
            if let Some(v) = a.strip_prefix("--file=") {
                file = Some(v);
            } else if VALUED.contains(&a) {
                i += 1;
            } else if !a.starts_with('-') && context.is_none() {
                context = Some(a);
            }
            i += 1;
        }
        let Some(context) = context else { continue };
        let remote = context.contains("://") || context.starts_with("git@") || context == "-";
        if remote || context.contains('$') || file.is_some_and(|f| f.contains('$') || f == "-") {
            continue;
        }
        let ctx_rel = super::normalise(&format!("{dir}/{context}"));
        let file_rel = match file {
            Some(f) if f.starts_with('/') => continue,
            Some(f) => super::normalise(&format!("{dir}/{f}")),
            None => super::normalise(&format!("{ctx_rel}/Dockerfile")),
        };
        out.push((file_rel, ctx_rel));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::docker_builds;

    #[test]
    fn docker_build_lines_name_file_and_context() {
        let pairs = |l: &str, cwd: &str| docker_builds(l, cwd);
        assert_eq!(
            pairs("docker build -t app:1 -f src/api/Dockerfile .", ""),
            vec![("src/api/Dockerfile".to_string(), String::new())]
        );
        assert_eq!(
            pairs(
                "cd services && docker buildx build --push --platform linux/amd64 -t x web",
                ""
            ),
            vec![(
                "services/web/Dockerfile".to_string(),
                "services/web".to_string()
            )]
        );
        assert_eq!(
            pairs("docker build --file=../docker/Dockerfile.api ..", "backend"),
            vec![("docker/Dockerfile.api".to_string(), String::new())]
        );
        // Variables and remote contexts say nothing certain.
        assert!(pairs("docker build -t x $CONTEXT", "").is_empty());
        assert_eq!(
            pairs("docker build -t a:${{ github.sha }} -f d/Dockerfile .", ""),
            vec![("d/Dockerfile".to_string(), String::new())]
        );
        assert!(pairs("docker build https://github.com/a/b.git", "").is_empty());
        assert!(pairs("docker images build", "").is_empty());
    }
}
