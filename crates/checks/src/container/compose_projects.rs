//! Compose files as Compose combines them. A production setup is often `compose.yml` plus an
//! overlay (`docker compose -f compose.yml -f compose.deploy.yml up`), and an overlay's
//! services are fragments of the base's; `compose.override.yml` is what `docker compose up`
//! adds on a developer's machine. Judging each file alone fails a restart policy the overlay
//! sets, or calls a fragment "neither image nor build". So the checks judge projects:
//!
//! 1. the `-f` sets the repository runs (CI steps, with the Makefile targets they call,
//!    shell scripts, Makefiles and Markdown docs), merged in order;
//! 2. every other overlay (`compose.prod.yml`) with the base file of its folder;
//! 3. a base file alone when no overlay of its folder is judged with it.
//!
//! `*.override.*` files are development setups: judged only when a `-f` set names them.

use std::collections::BTreeSet;
use std::sync::Arc;

use gonogo_engine::context::RunContext;
use saphyr::YamlDataOwned;

use crate::yaml::{Node, YamlFile};

use super::{ComposeEntry, compose_files};

/// One service of a composed project: its merged definition, named by the files it came from.
pub(crate) struct ComposedService {
    /// The file that defines the service first (where evidence points).
    pub rel: String,
    /// The files merged for it (`compose.yml + compose.deploy.yml`).
    pub label: String,
    pub name: String,
    pub line: usize,
    pub node: Node,
}

/// Every service of every project the repository runs, merged; parse errors; files left out.
pub(crate) struct Composed {
    pub services: Vec<ComposedService>,
    pub errors: Vec<String>,
    /// Development overlays no `-f` set names.
    pub left_out: Vec<String>,
    /// Projects that only start local dependencies (databases, queues, a mail catcher) while
    /// the service itself is built from a Dockerfile they do not use: a developer's setup.
    pub dev_dependencies: Vec<Vec<String>>,
    /// Projects in a folder of their own that the folder's README presents as a demo or an
    /// example, or (building nothing) as a local setup (podinfo's `otel/`, "Tracing & Logging
    /// Demo"), with the heading that says so: not the deployment.
    pub demos: Vec<(Vec<String>, String)>,
    /// Literal secret-named values of those projects (the local database's password): the
    /// same value in a Makefile's test URL is that database's, not a production secret.
    pub dev_secrets: Vec<String>,
}

impl Composed {
    /// The Compose files that are not the deployment: development dependencies, demos and
    /// overrides no command names.
    pub(crate) fn not_deployed(&self) -> impl Iterator<Item = &str> {
        self.dev_dependencies
            .iter()
            .chain(self.demos.iter().map(|(unit, _)| unit))
            .flatten()
            .chain(&self.left_out)
            .map(String::as_str)
    }
}

/// Images of dependencies a developer starts beside the code: datastores, queues, mail
/// catchers and admin UIs (the last path segment of the image name, before any tag).
const DEPENDENCY_IMAGES: &[&str] = &[
    "postgres",
    "postgis",
    "mysql",
    "mariadb",
    "mongo",
    "mongodb",
    "redis",
    "valkey",
    "memcached",
    "rabbitmq",
    "kafka",
    "cp-kafka",
    "zookeeper",
    "cp-zookeeper",
    "elasticsearch",
    "opensearch",
    "minio",
    "localstack",
    "mailhog",
    "mailpit",
    "adminer",
    "pgadmin4",
    "dynamodb-local",
    "azurite",
    "cassandra",
    "clickhouse-server",
    "nats",
    "cockroach",
    "neo4j",
    "mssql-server",
    "oracle-free",
    "redis-stack",
    "keydb",
];

/// Whether the repository says the project is for development or tests: its file name
/// (`compose.dev.yml`, `docker-compose.test.yml`), a comment in it, or a line of the README
/// or docs that runs or names it ("provides test databases", under "## Running tests").
fn said_to_be_for_development(ctx: &RunContext, unit: &[String]) -> bool {
    const DEV: &[&str] = &[
        "dev",
        "develop",
        "development",
        "local",
        "locally",
        "test",
        "tests",
        "testing",
    ];
    let words_of = |t: &str| {
        t.to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| DEV.contains(&w))
    };
    for rel in unit {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if words_of(name) {
            return true;
        }
        let text = ctx.text(rel);
        if let Ok(t) = text.as_ref()
            && t.text
                .lines()
                .filter(|l| l.trim_start().starts_with('#'))
                .any(words_of)
        {
            return true;
        }
    }
    let names: Vec<&str> = unit
        .iter()
        .map(|r| r.rsplit('/').next().unwrap_or(r))
        .collect();
    crate::docs::content::sections(ctx).iter().any(|s| {
        s.body.lines().any(|l| {
            let mentions = l.contains("docker compose")
                || l.contains("docker-compose up")
                || names.iter().any(|n| l.contains(n));
            mentions && (words_of(l) || words_of(&s.heading))
        })
    })
}

/// The heading of the README beside a project's files that presents it as a demo or an
/// example (its title: "Tracing & Logging Demo"), or, for a project that builds nothing from
/// the repository and only runs published images, as a local setup (any heading: "Running
/// it locally"). Only for projects in a folder of their own: the root's is the product's.
fn demo_readme(ctx: &RunContext, unit: &[String], services: &[ComposedService]) -> Option<String> {
    const DEMO: &[&str] = &[
        "demo",
        "demos",
        "example",
        "examples",
        "sample",
        "samples",
        "tutorial",
        "playground",
        "sandbox",
    ];
    const LOCAL: &[&str] = &["local", "locally"];
    let dir = dir_of(unit.first()?);
    if dir.is_empty() || unit.iter().any(|r| dir_of(r) != dir) || services.is_empty() {
        return None;
    }
    let builds = services
        .iter()
        .any(|s| crate::yaml::get(&s.node, "build").is_some());
    let text = ["README.md", "readme.md", "Readme.md"]
        .iter()
        .find_map(|n| {
            ctx.text(&format!("{dir}/{n}"))
                .as_ref()
                .as_ref()
                .ok()
                .map(|t| t.text.clone())
        })?;
    let says = |h: &str, words: &[&str]| {
        h.to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| words.contains(&w))
    };
    let headings: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect();
    let title = headings.first().filter(|h| says(h, DEMO));
    let local = (!builds)
        .then(|| headings.iter().find(|h| says(h, LOCAL)))
        .flatten();
    title.or(local).map(|h| format!("{dir}/README.md: \"{h}\""))
}

/// Whether every service of a project is such a dependency, none built from the repository.
fn only_dependencies(services: &[ComposedService]) -> bool {
    !services.is_empty()
        && services.iter().all(|s| {
            if crate::yaml::get(&s.node, "build").is_some() {
                return false;
            }
            let Some(image) = crate::yaml::get(&s.node, "image").and_then(crate::yaml::as_str)
            else {
                return false;
            };
            let name = image.split(['@', ':']).next().unwrap_or(&image);
            let last = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
            DEPENDENCY_IMAGES.contains(&last.as_str())
        })
}

/// Files that Compose's default project adds on a developer's machine.
fn is_override(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    name.starts_with("compose.override.") || name.starts_with("docker-compose.override.")
}

fn is_base(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    matches!(
        name.as_str(),
        "compose.yaml" | "compose.yml" | "docker-compose.yaml" | "docker-compose.yml"
    )
}

fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Built once per run: five Compose checks judge the same projects.
pub(crate) fn composed(ctx: &RunContext) -> Arc<Option<Composed>> {
    ctx.cached("container:composed", || compose(ctx))
}

fn compose(ctx: &RunContext) -> Option<Composed> {
    let files = compose_files(ctx);
    if files.is_empty() {
        return None;
    }
    let parsed: Vec<(&ComposeEntry, &YamlFile)> = files
        .iter()
        .filter_map(|e| e.yaml.as_ref().as_ref().ok().map(|y| (e, y)))
        .collect();
    let errors: Vec<String> = files
        .iter()
        .filter_map(|e| e.yaml.as_ref().as_ref().err().cloned())
        .collect();
    let known: Vec<&str> = parsed.iter().map(|(e, _)| e.rel.as_str()).collect();
    let mut units: Vec<Vec<String>> = Vec::new();
    for set in run_sets(ctx, &known) {
        if !units.contains(&set) {
            units.push(set);
        }
    }
    let covered: BTreeSet<String> = units.iter().flatten().cloned().collect();
    let mut left_out = Vec::new();
    let mut with_overlay: BTreeSet<String> = BTreeSet::new();
    for rel in &known {
        if covered.contains(*rel) || is_base(rel) {
            continue;
        }
        if is_override(rel) {
            left_out.push(rel.to_string());
            continue;
        }
        let base = known
            .iter()
            .find(|b| is_base(b) && dir_of(b) == dir_of(rel) && !covered.contains(**b));
        match base {
            Some(b) => {
                with_overlay.insert(b.to_string());
                units.push(vec![b.to_string(), rel.to_string()]);
            }
            None => units.push(vec![rel.to_string()]),
        }
    }
    for rel in &known {
        if is_base(rel) && !covered.contains(*rel) && !with_overlay.contains(*rel) {
            units.push(vec![rel.to_string()]);
        }
    }
    // The service is built from a Dockerfile of its own: a project that never builds it and
    // only starts databases beside it is the developer's, not the deployment.
    let app_built_elsewhere = !super::dockerfiles(ctx).is_empty();
    let mut services = Vec::new();
    let mut dev_dependencies = Vec::new();
    let mut dev_secrets = Vec::new();
    let mut demos = Vec::new();
    for unit in &units {
        let merged = merge_unit(unit, &parsed);
        if let Some(why) = demo_readme(ctx, unit, &merged) {
            demos.push((unit.clone(), why));
            continue;
        }
        if app_built_elsewhere
            && only_dependencies(&merged)
            && said_to_be_for_development(ctx, unit)
        {
            dev_dependencies.push(unit.clone());
            for svc in &merged {
                if let Some(env) = crate::yaml::get(&svc.node, "environment") {
                    for (k, v, _) in super::compose_no_plaintext_secrets::pairs(env) {
                        if super::secret_key(&k) && v.len() >= 4 && !v.contains('$') {
                            dev_secrets.push(v);
                        }
                    }
                }
            }
            continue;
        }
        services.extend(merged);
    }
    Some(Composed {
        services,
        errors,
        left_out,
        dev_dependencies,
        demos,
        dev_secrets,
    })
}

/// The services of the files of one project, merged in order.
fn merge_unit(unit: &[String], parsed: &[(&ComposeEntry, &YamlFile)]) -> Vec<ComposedService> {
    let label = unit.join(" + ");
    let mut out: Vec<ComposedService> = Vec::new();
    for rel in unit {
        let Some((_, y)) = parsed.iter().find(|(e, _)| &e.rel == rel) else {
            continue;
        };
        for s in super::services(y) {
            match out.iter_mut().find(|c| c.name == s.name) {
                Some(c) => merge_into(&mut c.node, s.node),
                None => out.push(ComposedService {
                    rel: rel.clone(),
                    label: label.clone(),
                    name: s.name,
                    line: s.line,
                    node: s.node.clone(),
                }),
            }
        }
    }
    out
}

/// Compose's merge, as far as the checks read it: mappings merge key by key (recursively),
/// anything else is replaced by the later file's value.
fn merge_into(base: &mut Node, overlay: &Node) {
    match (&mut base.data, &overlay.data) {
        (YamlDataOwned::Mapping(b), YamlDataOwned::Mapping(o)) => {
            for (k, v) in o.iter() {
                match b.get_mut(k) {
                    Some(existing) => merge_into(existing, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        _ => *base = overlay.clone(),
    }
}

/// The `-f` sets of `docker compose` / `docker-compose` calls in CI steps (with what their
/// Makefile targets run), shell scripts, Makefiles and Markdown, resolved to known files.
fn run_sets(ctx: &RunContext, known: &[&str]) -> Vec<Vec<String>> {
    let mut sets = Vec::new();
    let mut read = |text: &str| {
        sets.extend(text.lines().filter_map(|line| file_set(line, known)));
    };
    let pipelines = crate::ci::model::pipelines(ctx);
    for p in &pipelines.list {
        for job in &p.jobs {
            job.steps
                .iter()
                .filter_map(|s| s.run.as_deref())
                .for_each(&mut read);
        }
    }
    let candidates: Vec<String> = ctx
        .repo_index()
        .find(|name, _| {
            name.ends_with(".sh")
                || name == "makefile"
                || name.ends_with(".md")
                || name == "justfile"
        })
        .filter(|f| f.size < 1024 * 1024)
        .take(2000)
        .map(|f| f.rel.clone())
        .collect();
    for rel in candidates {
        if let Ok(t) = ctx.text(&rel).as_ref()
            && t.text.contains("compose")
        {
            read(&t.text);
        }
    }
    sets
}

/// The files one command line passes with `-f`/`--file`, when it runs Compose and every file
/// is one of `known`.
fn file_set(line: &str, known: &[&str]) -> Option<Vec<String>> {
    let at = line
        .find("docker compose")
        .or_else(|| line.find("docker-compose"))?;
    let words: Vec<&str> = line[at..].split_whitespace().collect();
    let mut files = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if matches!(w, "&&" | "||" | ";" | "|") {
            break;
        }
        let value = match w {
            "-f" | "--file" => {
                i += 1;
                words.get(i).copied()
            }
            _ => w.strip_prefix("--file="),
        };
        if let Some(v) = value {
            let v = v.trim_matches(['"', '\'']).trim_start_matches("./");
            if v.contains('$') {
                return None;
            }
            let rel = known
                .iter()
                .find(|k| **k == v || k.ends_with(&format!("/{v}")))?;
            files.push(rel.to_string());
        }
        i += 1;
    }
    (!files.is_empty()).then_some(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    #[test]
    fn file_sets_of_compose_calls() {
        let known = ["compose.yml", "compose.deploy.yml", "compose.override.yml"];
        assert_eq!(
            file_set(
                "docker compose -f compose.yml -f ./compose.deploy.yml up -d",
                &known
            ),
            Some(vec!["compose.yml".into(), "compose.deploy.yml".into()])
        );
        assert_eq!(file_set("docker compose up -d db", &known), None);
        assert_eq!(file_set("docker compose -f $FILE up", &known), None);
        assert_eq!(file_set("docker compose -f other.yml up", &known), None);
    }

    #[test]
    fn overlays_merge_into_the_base_service() {
        let base = yaml::parse(
            "compose.yml",
            "services:\n  web:\n    image: web:1.2\n    deploy:\n      replicas: 2\n",
        )
        .unwrap();
        let overlay = yaml::parse(
            "compose.prod.yml",
            "services:\n  web:\n    restart: always\n    deploy:\n      resources:\n        limits: {memory: 512M}\n",
        )
        .unwrap();
        let mut node = super::super::services(&base)[0].node.clone();
        merge_into(&mut node, super::super::services(&overlay)[0].node);
        assert_eq!(
            yaml::as_str(yaml::get(&node, "image").unwrap()).as_deref(),
            Some("web:1.2")
        );
        assert_eq!(
            yaml::as_str(yaml::get(&node, "restart").unwrap()).as_deref(),
            Some("always")
        );
        assert_eq!(
            yaml::as_i64(yaml::path(&node, &["deploy", "replicas"]).unwrap()),
            Some(2)
        );
        assert!(yaml::path(&node, &["deploy", "resources", "limits", "memory"]).is_some());
    }
}
