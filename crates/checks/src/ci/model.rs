//! CI pipelines as the `ci.*` checks read them: GitHub Actions workflows and `.gitlab-ci.yml`,
//! parsed once per run into triggers, permissions, jobs and steps (with lines for evidence).
//!
//! Only what the checks need is modelled. A job calling a local reusable workflow
//! (`uses: ./.github/workflows/x.yml`) gets that workflow's steps, one level deep, so a test
//! suite factored into `workflow_call` still counts under its caller's triggers.

use std::sync::Arc;

use gonogo_engine::context::RunContext;

use crate::yaml::{self, Node};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    GitHub,
    GitLab,
}

/// When a pipeline runs.
#[derive(Debug, Default, Clone)]
pub struct Triggers {
    pub pull_request: bool,
    pub pull_request_target: bool,
    pub workflow_run: bool,
    /// Runs on pushes to the default branch (`main`/`master`, or no branch filter).
    pub main: bool,
    /// Runs on pushed tags (or a published release).
    pub tags: bool,
}

/// A `permissions:` value.
#[derive(Debug, Clone, PartialEq)]
pub enum Permissions {
    ReadAll,
    WriteAll,
    /// `{}`: no permission at all.
    Empty,
    /// scope → access, with the line of each scope.
    Scopes(Vec<(String, String, usize)>),
}

impl Permissions {
    /// The scopes granted `write` (everything for `write-all`).
    pub fn writes(&self) -> Vec<String> {
        match self {
            Permissions::WriteAll => vec!["write-all".into()],
            Permissions::Scopes(s) => s
                .iter()
                .filter(|(_, a, _)| a == "write")
                .map(|(k, _, _)| k.clone())
                .collect(),
            _ => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Step {
    pub line: usize,
    /// `uses:` as written (`actions/checkout@v4`), if the step runs an action.
    pub uses: Option<String>,
    /// `run:` / `script:` text, if the step runs commands.
    pub run: Option<String>,
    /// `with:` inputs as text.
    pub with: Vec<(String, String)>,
    /// Copied from a called local reusable workflow (checked in its own file too).
    pub inherited: bool,
}

impl Step {
    pub fn input(&self, name: &str) -> Option<&str> {
        self.with
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The action without its ref, lowercased (`actions/checkout`).
    pub fn action(&self) -> Option<String> {
        let u = self.uses.as_deref()?;
        Some(u.split('@').next().unwrap_or(u).to_ascii_lowercase())
    }
}

#[derive(Debug, Clone)]
pub struct Job {
    pub name: String,
    pub permissions: Option<(Permissions, usize)>,
    /// A reusable workflow the job calls (`uses:` at job level), with its line.
    pub uses: Option<(String, usize)>,
    pub steps: Vec<Step>,
    /// The job's own triggers when they narrow the pipeline's (GitLab `only`/`rules`).
    pub triggers: Option<Triggers>,
}

#[derive(Debug, Clone)]
pub struct Pipeline {
    pub rel: String,
    pub provider: Provider,
    pub triggers: Triggers,
    pub permissions: Option<(Permissions, usize)>,
    pub jobs: Vec<Job>,
    /// GitLab `include: template:` names (security scanning templates).
    pub templates: Vec<String>,
}

impl Pipeline {
    /// The triggers a job runs on.
    pub fn job_triggers<'a>(&'a self, job: &'a Job) -> &'a Triggers {
        job.triggers.as_ref().unwrap_or(&self.triggers)
    }
}

/// Every pipeline of the repository, and the files that could not be read.
#[derive(Debug, Default)]
pub struct Pipelines {
    pub list: Vec<Pipeline>,
    pub errors: Vec<String>,
}

impl Pipelines {
    pub fn github(&self) -> impl Iterator<Item = &Pipeline> {
        self.list.iter().filter(|p| p.provider == Provider::GitHub)
    }

    /// The outcome for "nothing to look at", if there is nothing.
    pub fn none_reason(&self) -> Option<String> {
        if !self.list.is_empty() {
            return None;
        }
        Some(if self.errors.is_empty() {
            "no GitHub Actions workflow or .gitlab-ci.yml in the repository".into()
        } else {
            format!("no CI file could be read: {}", self.errors.join("; "))
        })
    }
}

/// The repository's pipelines, parsed once per run.
pub fn pipelines(ctx: &RunContext) -> Arc<Pipelines> {
    ctx.cached("ci.pipelines", || load_all(ctx))
}

fn is_workflow(rel: &str) -> bool {
    rel.strip_prefix(".github/workflows/")
        .is_some_and(|n| !n.contains('/') && (n.ends_with(".yml") || n.ends_with(".yaml")))
}

fn load_all(ctx: &RunContext) -> Pipelines {
    let rels: Vec<String> = ctx
        .repo_index()
        .files
        .iter()
        .filter(|f| is_workflow(&f.rel) || f.rel == ".gitlab-ci.yml")
        .map(|f| f.rel.clone())
        .collect();
    let mut out = Pipelines::default();
    for rel in &rels {
        let file = yaml::load(ctx, rel);
        let file = match file.as_ref() {
            Ok(f) => f,
            Err(e) => {
                out.errors.push(e.clone());
                continue;
            }
        };
        let Some(doc) = file.docs.first() else {
            continue;
        };
        if rel == ".gitlab-ci.yml" {
            out.list.push(gitlab(rel, doc));
        } else {
            out.list.push(github(rel, doc));
        }
    }
    // What `make ci` or `npm run verify` runs is what the step runs; expanded before
    // reusable workflows are copied, so each copy carries it.
    for p in out.list.iter_mut() {
        for job in p.jobs.iter_mut() {
            for step in job.steps.iter_mut() {
                let Some(run) = &step.run else { continue };
                let reached = super::scripts::expand(ctx, run);
                if !reached.is_empty() {
                    step.run = Some(format!("{run}\n{}", reached.join("\n")));
                }
            }
        }
    }
    // One level of local reusable workflows: the caller's job gets the callee's steps.
    let snapshot = out.list.clone();
    for p in out.list.iter_mut() {
        for job in p.jobs.iter_mut() {
            let Some((target, line)) = &job.uses else {
                continue;
            };
            let Some(local) = target
                .strip_prefix("./")
                .or_else(|| target.strip_prefix("$/"))
            else {
                continue;
            };
            let local = local.split('@').next().unwrap_or(local);
            if let Some(callee) = snapshot.iter().find(|c| c.rel == local) {
                for cj in &callee.jobs {
                    job.steps.extend(cj.steps.iter().map(|s| Step {
                        line: *line,
                        inherited: true,
                        ..s.clone()
                    }));
                }
            }
        }
    }
    out
}

fn text(node: &Node) -> Option<String> {
    yaml::as_str(node)
}

/// Branch names or patterns that include the default branch.
fn names_main(patterns: &[String]) -> bool {
    patterns.iter().any(|b| {
        let b = b.trim_start_matches("refs/heads/");
        matches!(b, "main" | "master" | "trunk" | "develop" | "*" | "**")
            || (b.contains('*') && !b.starts_with('!') && glob_match(b, "main"))
    })
}

fn glob_match(pattern: &str, s: &str) -> bool {
    let mut re = String::from("^");
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                re.push_str(".*");
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    regex::Regex::new(&re).is_ok_and(|r| r.is_match(s))
}

fn string_list(node: Option<&Node>) -> Option<Vec<String>> {
    let node = node?;
    if let Some(s) = text(node) {
        return Some(vec![s]);
    }
    let items = yaml::items(node);
    if items.is_empty() && !matches!(node.data, saphyr::YamlDataOwned::Sequence(_)) {
        return None;
    }
    Some(items.iter().filter_map(text).collect())
}

fn github_triggers(on: Option<&Node>) -> Triggers {
    let mut t = Triggers::default();
    let Some(on) = on else {
        return t;
    };
    let mut events: Vec<(String, Option<&Node>)> = Vec::new();
    if let Some(s) = text(on) {
        events.push((s, None));
    } else if !yaml::items(on).is_empty() {
        events.extend(yaml::items(on).iter().filter_map(text).map(|e| (e, None)));
    } else {
        for (k, v) in yaml::entries(on) {
            if let Some(k) = text(k) {
                events.push((k, Some(v)));
            }
        }
    }
    for (event, cfg) in events {
        match event.as_str() {
            "pull_request" | "merge_group" => t.pull_request = true,
            "pull_request_target" => t.pull_request_target = true,
            "workflow_run" => t.workflow_run = true,
            "release" => t.tags = true,
            "push" => {
                let branches = cfg.and_then(|c| string_list(yaml::get(c, "branches")));
                let ignore = cfg.and_then(|c| string_list(yaml::get(c, "branches-ignore")));
                let tags = cfg.and_then(|c| string_list(yaml::get(c, "tags")));
                match (&branches, &tags) {
                    (Some(b), _) => t.main = names_main(b),
                    // Only tags listed: branch pushes do not run it.
                    (None, Some(_)) => {}
                    (None, None) => {
                        t.main = ignore.as_ref().is_none_or(|i| !names_main(i));
                    }
                }
                if tags.is_some_and(|v| !v.is_empty()) {
                    t.tags = true;
                }
            }
            _ => {}
        }
    }
    t
}

fn permissions(node: Option<&Node>) -> Option<(Permissions, usize)> {
    let node = node?;
    let line = yaml::line(node);
    if let Some(s) = text(node) {
        return Some((
            match s.as_str() {
                "write-all" => Permissions::WriteAll,
                "read-all" => Permissions::ReadAll,
                _ => Permissions::Empty,
            },
            line,
        ));
    }
    let scopes: Vec<(String, String, usize)> = yaml::entries(node)
        .into_iter()
        .filter_map(|(k, v)| Some((text(k)?, text(v)?, yaml::line(k))))
        .collect();
    Some((
        if scopes.is_empty() {
            Permissions::Empty
        } else {
            Permissions::Scopes(scopes)
        },
        line,
    ))
}

fn inputs(node: Option<&Node>) -> Vec<(String, String)> {
    node.map(|n| {
        yaml::entries(n)
            .into_iter()
            .filter_map(|(k, v)| Some((text(k)?, text(v)?)))
            .collect()
    })
    .unwrap_or_default()
}

fn github(rel: &str, doc: &Node) -> Pipeline {
    // YAML 1.1 readers turn a bare `on` key into `true`; saphyr keeps it as written.
    let on = yaml::get(doc, "on").or_else(|| yaml::get(doc, "true"));
    let triggers = github_triggers(on);
    let mut jobs = Vec::new();
    if let Some(js) = yaml::get(doc, "jobs") {
        for (k, v) in yaml::entries(js) {
            let Some(name) = text(k) else { continue };
            let steps = yaml::items(yaml::get(v, "steps").unwrap_or(v))
                .iter()
                .filter(|s| yaml::is_mapping(s))
                .map(|s| Step {
                    line: yaml::line(s),
                    uses: yaml::get(s, "uses").and_then(text),
                    run: yaml::get(s, "run").and_then(text),
                    with: inputs(yaml::get(s, "with")),
                    inherited: false,
                })
                .collect();
            jobs.push(Job {
                name,
                permissions: permissions(yaml::get(v, "permissions")),
                uses: yaml::get(v, "uses")
                    .and_then(text)
                    .map(|u| (u, yaml::line(v))),
                steps,
                triggers: None,
            });
        }
    }
    Pipeline {
        rel: rel.to_string(),
        provider: Provider::GitHub,
        triggers,
        permissions: permissions(yaml::get(doc, "permissions")),
        jobs,
        templates: Vec::new(),
    }
}

const GITLAB_RESERVED: &[&str] = &[
    "stages",
    "variables",
    "default",
    "include",
    "workflow",
    "image",
    "services",
    "before_script",
    "after_script",
    "cache",
    "pages:deploy",
];

/// A GitLab job's triggers from `only`/`except`/`rules`; `None` when it runs on every pipeline
/// (branch pushes, merge requests and tags alike).
fn gitlab_job_triggers(job: &Node) -> Option<Triggers> {
    let all = Triggers {
        pull_request: true,
        main: true,
        tags: true,
        ..Triggers::default()
    };
    if let Some(only) = yaml::get(job, "only") {
        let refs = string_list(Some(only))
            .or_else(|| string_list(yaml::get(only, "refs")))
            .unwrap_or_default();
        let mut t = Triggers::default();
        for r in &refs {
            match r.as_str() {
                "merge_requests" | "branches" | "pushes" => {
                    t.pull_request = true;
                    if r != "merge_requests" {
                        t.main = true;
                    }
                }
                "tags" => t.tags = true,
                "main" | "master" | "/^main$/" | "/^master$/" => t.main = true,
                _ => {}
            }
        }
        return Some(t);
    }
    if let Some(rules) = yaml::get(job, "rules") {
        let mut t = Triggers::default();
        let mut any_unconditional = false;
        for r in yaml::items(rules) {
            let when = yaml::get(r, "when").and_then(text).unwrap_or_default();
            if when == "never" {
                continue;
            }
            match yaml::get(r, "if").and_then(text) {
                None => any_unconditional = true,
                Some(cond) => {
                    if cond.contains("merge_request_event") || cond.contains("CI_MERGE_REQUEST") {
                        t.pull_request = true;
                    }
                    if cond.contains("CI_DEFAULT_BRANCH")
                        || cond.contains("\"main\"")
                        || cond.contains("\"master\"")
                    {
                        t.main = true;
                    }
                    if cond.contains("CI_COMMIT_TAG") && !cond.contains("CI_COMMIT_TAG ==") {
                        t.tags = true;
                    }
                    if cond.contains("CI_PIPELINE_SOURCE == \"push\"") {
                        t.main = true;
                        t.pull_request = true;
                    }
                }
            }
        }
        return Some(if any_unconditional { all } else { t });
    }
    None
}

fn gitlab(rel: &str, doc: &Node) -> Pipeline {
    let mut templates = Vec::new();
    if let Some(inc) = yaml::get(doc, "include") {
        let list: Vec<&Node> = if yaml::items(inc).is_empty() {
            vec![inc]
        } else {
            yaml::items(inc).iter().collect()
        };
        for i in list {
            if let Some(t) = yaml::get(i, "template").and_then(text) {
                templates.push(t);
            } else if let Some(s) = text(i) {
                templates.push(s);
            }
        }
    }
    let mut jobs = Vec::new();
    for (k, v) in yaml::entries(doc) {
        let Some(name) = text(k) else { continue };
        if name.starts_with('.') || GITLAB_RESERVED.contains(&name.as_str()) || !yaml::is_mapping(v)
        {
            continue;
        }
        let mut steps = Vec::new();
        for key in ["before_script", "script"] {
            if let Some(s) = yaml::get(v, key) {
                let lines: Vec<&Node> = if yaml::items(s).is_empty() {
                    vec![s]
                } else {
                    yaml::items(s).iter().collect()
                };
                for l in lines {
                    if let Some(cmd) = text(l) {
                        steps.push(Step {
                            line: yaml::line(l),
                            run: Some(cmd),
                            ..Step::default()
                        });
                    }
                }
            }
        }
        if let Some(img) = yaml::get(v, "image")
            .and_then(|i| text(i).or_else(|| yaml::get(i, "name").and_then(text)))
        {
            steps.push(Step {
                line: yaml::line(v),
                uses: Some(format!("image:{img}")),
                ..Step::default()
            });
        }
        jobs.push(Job {
            name,
            permissions: None,
            uses: None,
            steps,
            triggers: gitlab_job_triggers(v),
        });
    }
    Pipeline {
        rel: rel.to_string(),
        provider: Provider::GitLab,
        // Without rules, GitLab runs branch pipelines for every push (merge request branches
        // and the default branch) and tag pipelines.
        triggers: Triggers {
            pull_request: true,
            main: true,
            tags: true,
            ..Triggers::default()
        },
        permissions: None,
        jobs,
        templates,
    }
}

/// Command lines of a `run:` block, continuations joined, comments dropped.
pub fn command_lines(run: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for l in run.lines() {
        let l = l.trim();
        if l.starts_with('#') {
            continue;
        }
        if let Some(head) = l.strip_suffix('\\') {
            cur.push_str(head);
            cur.push(' ');
            continue;
        }
        cur.push_str(l);
        if !cur.trim().is_empty() {
            out.push(cur.trim().to_string());
        }
        cur.clear();
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// A command line split into the commands of its `&&`/`;`/`|` chain, each without runner
/// prefixes (`uv run`, `poetry run`, `npx`, `python -m`, `VAR=value`), program first.
pub struct Parsed(Vec<Vec<String>>);

pub fn parse_command(cmd: &str) -> Parsed {
    let cmd = unquoted(cmd);
    Parsed(
        cmd.split(['&', ';', '|'])
            .map(|p| {
                p.trim()
                    .trim_matches(|c| c == '(' || c == ')' || c == '{' || c == '}')
                    .trim()
            })
            .map(|part| {
                let words: Vec<&str> = part
                    .split_whitespace()
                    .map(|w| w.trim_matches(|c| c == '"' || c == '\''))
                    .collect();
                let i = skip_prefixes(&words);
                words[i.min(words.len())..]
                    .iter()
                    .map(|w| w.to_string())
                    .collect()
            })
            .filter(|w: &Vec<String>| !w.is_empty())
            .collect(),
    )
}

/// Index of the program after runner prefixes and leading `VAR=value` assignments.
fn skip_prefixes(words: &[&str]) -> usize {
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if w.contains('=') && !w.starts_with('-') {
            i += 1;
        } else if matches!(
            w,
            "uv" | "poetry" | "pdm" | "hatch" | "pipenv" | "rye" | "bundle" | "conda"
        ) && words
            .get(i + 1)
            .is_some_and(|n| *n == "run" || *n == "exec")
        {
            i += 2;
            // The runner's own options (`uv run --no-sync pytest`).
            while words.get(i).is_some_and(|w| w.starts_with('-')) {
                i += 1;
            }
        } else if matches!(
            w,
            "npx" | "pnpx" | "bunx" | "sudo" | "time" | "env" | "exec" | "xargs" | "nice"
        ) || (matches!(w, "python" | "python3" | "py") && words.get(i + 1) == Some(&"-m"))
        {
            i += if w.starts_with("py") { 2 } else { 1 };
            while words.get(i).is_some_and(|w| w.starts_with('-')) {
                i += 1;
            }
        } else if matches!(w, "bash" | "sh" | "zsh")
            && words.get(i + 1).is_some_and(|n| !n.starts_with('-'))
        {
            // `bash scripts/test.sh` runs the script: read it as `scripts/test.sh`.
            i += 1;
        } else {
            break;
        }
    }
    i
}

impl Parsed {
    /// Whether a command of the chain is `pattern`'s program followed by its words in order.
    pub fn runs(&self, pattern: &str) -> bool {
        let want: Vec<&str> = pattern.split_whitespace().collect();
        self.0.iter().any(|rest| {
            if rest.len() < want.len() || want.is_empty() {
                return false;
            }
            let prog = rest[0].rsplit('/').next().unwrap_or(&rest[0]);
            if prog != want[0] {
                return false;
            }
            let mut it = rest[1..].iter();
            want[1..].iter().all(|w| it.any(|a| a == w))
        })
    }
}

/// Whether `cmd` (one command line) runs `program` followed by the given words, anywhere in
/// a `&&`/`;`/`|` chain, allowing runner prefixes (`uv run`, `poetry run`, `npx`, `python -m`).
pub fn runs(cmd: &str, pattern: &str) -> bool {
    parse_command(cmd).runs(pattern)
}

/// The command with quoted text blanked (`echo "run pytest"` names no program), keeping an
/// empty `""` so arguments stay in place.
pub fn unquoted(cmd: &str) -> String {
    let mut out = String::with_capacity(cmd.len());
    let mut quote: Option<char> = None;
    for c in cmd.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                out.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                out.push(c);
            }
            (Some(_), _) => {}
            (None, c) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_sees_through_chains_and_runners() {
        assert!(runs("cd app && uv run pytest -q", "pytest"));
        assert!(runs("python -m pytest tests/", "pytest"));
        assert!(runs("RUST_LOG=debug cargo test --workspace", "cargo test"));
        assert!(runs("npm run test -- --ci", "npm run test"));
        assert!(!runs("echo pytest", "pytest"));
        assert!(!runs("echo \"tests fail (pytest exit code $s)\"", "pytest"));
        assert!(runs("(cd web && npm test)", "npm test"));
        assert!(!runs("cargo build", "cargo test"));
        assert!(runs("./gradlew check", "gradlew check"));
        assert!(runs(
            "uv run --no-sync bash scripts/test-cov.sh",
            "test-cov.sh"
        ));
        assert!(runs(
            "xargs -0 uv run --no-sync pytest -- < files",
            "pytest"
        ));
    }

    #[test]
    fn github_triggers_read_every_shape() {
        let f = yaml::parse(
            "w.yml",
            "on:\n  push:\n    branches: [main]\n    tags: ['v*']\n  pull_request:\njobs: {}\n",
        )
        .unwrap();
        let p = github("w.yml", &f.docs[0]);
        assert!(p.triggers.pull_request && p.triggers.main && p.triggers.tags);
        let f = yaml::parse("w.yml", "on: [push]\njobs: {}\n").unwrap();
        let p = github("w.yml", &f.docs[0]);
        assert!(p.triggers.main && !p.triggers.pull_request);
        let f = yaml::parse("w.yml", "on:\n  push:\n    tags: ['v*']\njobs: {}\n").unwrap();
        let p = github("w.yml", &f.docs[0]);
        assert!(!p.triggers.main && p.triggers.tags);
        let f = yaml::parse(
            "w.yml",
            "on:\n  push:\n    branches: ['release/**']\njobs: {}\n",
        )
        .unwrap();
        assert!(!github("w.yml", &f.docs[0]).triggers.main);
    }

    #[test]
    fn gitlab_jobs_and_rules() {
        let f = yaml::parse(
            ".gitlab-ci.yml",
            "include:\n  - template: Security/SAST.gitlab-ci.yml\nstages: [test]\n.hidden: {script: [x]}\ntest:\n  script:\n    - pytest\nrelease:\n  rules:\n    - if: $CI_COMMIT_TAG\n  script: [twine upload dist/*]\n",
        )
        .unwrap();
        let p = gitlab(".gitlab-ci.yml", &f.docs[0]);
        assert_eq!(p.templates, vec!["Security/SAST.gitlab-ci.yml"]);
        assert_eq!(p.jobs.len(), 2);
        assert!(p.job_triggers(&p.jobs[0]).pull_request);
        let rel = p.job_triggers(&p.jobs[1]);
        assert!(rel.tags && !rel.pull_request);
    }
}
