//! Containers: Dockerfiles (`docker.*`) and Compose files (`compose.*`). Every Dockerfile and
//! Compose file of the repository is found in the run's index and parsed once; all checks of
//! the family share the parsed forms.

mod compose_healthchecks;
mod compose_images_pinned;
mod compose_no_plaintext_secrets;
pub(crate) mod compose_projects;
mod compose_resource_limits;
mod compose_restart_policy;
mod docker_base_image_pinned;
mod docker_dockerfile_present;
mod docker_dockerignore;
mod docker_healthcheck;
mod docker_no_remote_add;
mod docker_no_secrets_in_image;
mod docker_non_root_user;
pub mod dockerfile;

use std::collections::HashMap;
use std::sync::Arc;

use gonogo_engine::catalogue::{AutoBinding, BindVerdict, Check, Evidence, ItemView, Outcome};
use gonogo_engine::context::RunContext;
use gonogo_engine::redact::{mask, redact};

use crate::wording::{bind_unless_claims_more, has_any, has_phrase, human_act, leftover};
use crate::yaml::{self, Node, YamlFile};
use dockerfile::{Dockerfile, ImageRef};

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![
        Arc::new(compose_healthchecks::ComposeHealthchecks),
        Arc::new(compose_images_pinned::ComposeImagesPinned),
        Arc::new(compose_no_plaintext_secrets::ComposeNoPlaintextSecrets),
        Arc::new(compose_resource_limits::ComposeResourceLimits),
        Arc::new(compose_restart_policy::ComposeRestartPolicy),
        Arc::new(docker_base_image_pinned::BaseImagePinned),
        Arc::new(docker_dockerfile_present::DockerfilePresent),
        Arc::new(docker_dockerignore::Dockerignore),
        Arc::new(docker_healthcheck::Healthcheck),
        Arc::new(docker_no_remote_add::NoRemoteAdd),
        Arc::new(docker_no_secrets_in_image::NoSecretsInImage),
        Arc::new(docker_non_root_user::NonRootUser),
    ]
}

// ---------------------------------------------------------------------------------------------
// Finding and parsing, once per run.

/// A Dockerfile of the repository, parsed (or why it could not be read).
pub(crate) struct DockerfileEntry {
    pub rel: String,
    pub parsed: Result<Dockerfile, String>,
}

/// Whether a file name (lowercase) is a Dockerfile: `Dockerfile`, `Dockerfile.*`,
/// `*.Dockerfile`, `Containerfile` (templates and notes such as `Dockerfile.j2` are not).
pub(crate) fn is_dockerfile_name(name: &str) -> bool {
    const NOT: &[&str] = &[
        ".md",
        ".txt",
        ".j2",
        ".jinja",
        ".jinja2",
        ".tmpl",
        ".tpl",
        ".template",
        ".in",
        ".erb",
        ".mustache",
        ".orig",
        ".bak",
        ".rej",
        ".swp",
        ".dockerignore",
        ".sh",
        ".py",
        ".json",
        ".yml",
        ".yaml",
        // Source files named after Dockerfiles (a parser's `dockerfile.rs`) are code.
        ".rs",
        ".go",
        ".js",
        ".ts",
        ".java",
        ".rb",
        ".c",
        ".h",
        ".cpp",
        ".kt",
        ".cs",
        ".php",
        ".toml",
        ".xml",
        ".html",
    ];
    if NOT.iter().any(|ext| name.ends_with(ext)) {
        return false;
    }
    name == "dockerfile"
        || name == "containerfile"
        || name.starts_with("dockerfile.")
        || name.starts_with("containerfile.")
        || name.ends_with(".dockerfile")
        || name.ends_with(".containerfile")
}

/// Secret-named literal values of the Compose projects that only start development
/// dependencies (see `compose_projects`).
pub(crate) fn compose_projects_dev_secrets(ctx: &RunContext) -> Vec<String> {
    let composed = compose_projects::composed(ctx);
    composed
        .as_ref()
        .as_ref()
        .map(|c| c.dev_secrets.clone())
        .unwrap_or_default()
}

/// Whether a file name (lowercase) is a Compose file.
pub(crate) fn is_compose_name(name: &str) -> bool {
    (name.starts_with("docker-compose") || name.starts_with("compose"))
        && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

/// Every Dockerfile of the repository, parsed once per run.
pub(crate) fn dockerfiles(ctx: &RunContext) -> Arc<Vec<DockerfileEntry>> {
    ctx.cached("container:dockerfiles", || {
        let rels: Vec<String> = ctx
            .repo_index()
            .find(|name, _| is_dockerfile_name(name))
            // A dev container, a debug image or a test runner's image is not what ships.
            .filter(|f| gonogo_engine::scope::of(&f.rel).is_product())
            .map(|f| f.rel.clone())
            .collect();
        rels.into_iter()
            .map(|rel| {
                let text = ctx.text(&rel);
                let parsed = match text.as_ref() {
                    Ok(t) => Ok(dockerfile::parse(&t.text)),
                    Err(e) => Err(e.clone()),
                };
                DockerfileEntry { rel, parsed }
            })
            .collect()
    })
}

/// A Compose file of the repository (parsed by the shared YAML loader).
pub(crate) struct ComposeEntry {
    pub rel: String,
    pub yaml: Arc<Result<YamlFile, String>>,
}

/// Every Compose file of the repository, parsed once per run.
pub(crate) fn compose_files(ctx: &RunContext) -> Arc<Vec<ComposeEntry>> {
    ctx.cached("container:compose", || {
        let rels: Vec<String> = ctx
            .repo_index()
            .find(|name, _| is_compose_name(name))
            .filter(|f| gonogo_engine::scope::of(&f.rel).is_product())
            .map(|f| f.rel.clone())
            .collect();
        rels.into_iter()
            .map(|rel| {
                let yaml = yaml::load(ctx, &rel);
                ComposeEntry { rel, yaml }
            })
            .collect()
    })
}

/// A service of a Compose file.
pub(crate) struct Service<'a> {
    pub name: String,
    pub line: usize,
    pub node: &'a Node,
}

/// The services of a parsed Compose file (all documents).
pub(crate) fn services(file: &YamlFile) -> Vec<Service<'_>> {
    let mut out = Vec::new();
    for doc in &file.docs {
        let Some(services) = yaml::get(doc, "services") else {
            continue;
        };
        for (k, v) in yaml::entries(services) {
            if let Some(name) = yaml::as_str(k) {
                out.push(Service {
                    name,
                    line: yaml::line(k),
                    node: v,
                });
            }
        }
    }
    out
}

/// The repository path of the Dockerfile a Compose service builds, if it builds one.
pub(crate) fn built_dockerfile(compose_rel: &str, service: &Node) -> Option<String> {
    build_of(compose_rel, service).map(|(file, _)| file)
}

/// The Dockerfile a Compose service builds and its build context, as repository paths.
pub(crate) fn build_of(compose_rel: &str, service: &Node) -> Option<(String, String)> {
    let build = yaml::get(service, "build")?;
    let (context, file) = match yaml::as_str(build) {
        Some(ctx) => (ctx, "Dockerfile".to_string()),
        None => {
            if yaml::get(build, "dockerfile_inline").is_some() {
                return None;
            }
            let ctx = yaml::get(build, "context")
                .and_then(yaml::as_str)
                .unwrap_or_else(|| ".".into());
            let file = yaml::get(build, "dockerfile")
                .and_then(yaml::as_str)
                .unwrap_or_else(|| "Dockerfile".into());
            (ctx, file)
        }
    };
    if context.contains("://") || context.starts_with("git@") {
        return None;
    }
    let dir = compose_rel.rsplit_once('/').map_or("", |(d, _)| d);
    let joined = if file.starts_with('/') {
        file
    } else {
        format!("{dir}/{context}/{file}")
    };
    Some((normalise(&joined), normalise(&format!("{dir}/{context}"))))
}

/// `a/./b/../c` → `a/c`, without touching the file system.
pub(crate) fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

// ---------------------------------------------------------------------------------------------
// Shared judgements.

/// How an image reference is pinned.
pub(crate) enum Pin {
    /// `@sha256:…`
    Digest,
    /// A tag other than `latest`.
    Tag(String),
    /// `:latest`.
    Latest,
    /// No tag and no digest (means `latest`).
    Untagged,
}

pub(crate) fn pin_of(image: &str) -> Pin {
    let r = ImageRef::parse(image);
    match (r.digest, r.tag) {
        (Some(_), _) => Pin::Digest,
        (None, Some(t)) if t.eq_ignore_ascii_case("latest") => Pin::Latest,
        (None, Some(t)) if !t.is_empty() => Pin::Tag(t),
        _ => Pin::Untagged,
    }
}

/// Why an image is not pinned enough, or `None` when it is.
pub(crate) fn pin_problem(image: &str, require_digest: bool) -> Option<String> {
    match pin_of(image) {
        Pin::Digest => None,
        Pin::Tag(_) if !require_digest => None,
        Pin::Tag(t) => Some(format!("`{image}` is pinned to tag {t}, not to a digest")),
        Pin::Latest => Some(format!("`{image}` uses the `latest` tag")),
        Pin::Untagged => Some(format!("`{image}` has no tag (means `latest`)")),
    }
}

/// Key words that name a credential (`DB_PASSWORD`, `API_KEY`, `GITHUB_TOKEN`).
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "secret",
    "token",
    "credential",
    "credentials",
    "apikey",
    "secretkey",
    "privatekey",
    "accesskey",
];
/// Words before `key` that make it a credential (`API_KEY`, `ENCRYPTION_KEY`).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "private",
    "secret",
    "access",
    "encryption",
    "signing",
    "master",
    "auth",
    "jwt",
    "session",
    "license",
    "app",
];
/// Last words that make a credential-named key something else (`PASSWORD_FILE`, `TOKEN_TTL`).
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "file",
    "path",
    "dir",
    "url",
    "uri",
    "name",
    "id",
    "length",
    "len",
    "ttl",
    "expiry",
    "expires",
    "expiration",
    "header",
    "enabled",
    "type",
    "version",
    "host",
    "port",
    "user",
    "username",
    "endpoint",
    "location",
    "ref",
    "mount",
    "algorithm",
    "size",
    "timeout",
    "policy",
    "min",
    "max",
    "required",
    "field",
    "method",
    "mode",
    "env",
];

/// Whether a variable name names a credential.
pub(crate) fn secret_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let Some(last) = words.last() else {
        return false;
    };
    if NOT_SECRET_SUFFIXES.contains(last) {
        return false;
    }
    words.iter().enumerate().any(|(i, w)| {
        SECRET_WORDS.contains(w) || (*w == "key" && i > 0 && KEY_QUALIFIERS.contains(&words[i - 1]))
    })
}

/// Values that stand for a secret without being one.
fn placeholder(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    if v.is_empty()
        || v.starts_with('/')
        || v.starts_with("./")
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with("{{") && v.ends_with("}}"))
        || (v.starts_with('%') && v.ends_with('%'))
        || v.chars().all(|c| "x*.-_#?".contains(c))
        || v.chars().all(|c| c.is_ascii_digit())
        || v.starts_with("your")
        || v.starts_with("replace")
        || v.starts_with("change")
        || v.starts_with("example")
        || v.starts_with("placeholder")
        || v.starts_with("dummy")
        || v.starts_with("insert")
        || v.starts_with("fill")
        || v.starts_with("todo")
        || v.starts_with("tbd")
    {
        return true;
    }
    matches!(
        v.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null" | "nil" | "empty"
    )
}

/// `value` with every `$VAR` / `${VAR…}` reference removed; `None` when it is nothing but a
/// reference (its default, if any, is judged instead).
fn literal_part(value: &str) -> Option<String> {
    let t = value.trim();
    // `${NAME:-default}` / `${NAME-default}` alone: the default is the literal.
    if let Some(inner) = t.strip_prefix("${").and_then(|s| s.strip_suffix('}'))
        && !inner.contains('}')
    {
        let n = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let op = &inner[n..];
        return op
            .strip_prefix(":-")
            .or_else(|| op.strip_prefix('-'))
            .map(str::to_string);
    }
    let re = regex_refs();
    let stripped = re.replace_all(t, "").into_owned();
    Some(stripped)
}

fn regex_refs() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*").expect("re"))
}

/// Why `key=value` looks like a credential written in plain text, if it does.
pub(crate) fn secret_literal(key: &str, value: &str) -> Option<&'static str> {
    let lit = literal_part(value)?;
    // Token shapes and passwords inside URLs, whatever the key.
    if redact(&lit) != lit {
        return Some("credential-shaped value");
    }
    let has_ref = regex_refs().is_match(value) && !value.trim().starts_with("${");
    if secret_key(key) && !has_ref && !placeholder(&lit) && lit.trim().chars().count() >= 3 {
        return Some("credential-named variable with a literal value");
    }
    None
}

/// The masked form of a value for evidence.
pub(crate) fn masked(value: &str) -> String {
    mask(value.trim())
}

// ---------------------------------------------------------------------------------------------
// Outcomes over many files.

/// Evidence lines kept in one outcome; the rest are counted.
const MAX_EVIDENCE: usize = 500;

/// Collects per-file findings and turns them into one outcome.
#[derive(Default)]
pub(crate) struct Findings {
    /// Files judged.
    pub checked: usize,
    /// Files with at least one problem, in order.
    pub failing: Vec<String>,
    /// Where the problems are.
    pub evidence: Vec<Evidence>,
    /// What was seen that holds (shown when nothing fails).
    pub notes: Vec<Evidence>,
    /// Files that could not be read or parsed, with why.
    pub errors: Vec<String>,
}

impl Findings {
    pub fn problem(&mut self, file: &str, line: Option<usize>, detail: impl Into<String>) {
        if !self.failing.iter().any(|f| f == file) {
            self.failing.push(file.to_string());
        }
        self.evidence.push(Evidence::at(file, line, detail));
    }

    /// A problem of one item of a file (a Compose service): `label` names it in the message.
    pub fn problem_at(
        &mut self,
        label: &str,
        file: &str,
        line: Option<usize>,
        detail: impl Into<String>,
    ) {
        if !self.failing.iter().any(|f| f == label) {
            self.failing.push(label.to_string());
        }
        self.evidence.push(Evidence::at(file, line, detail));
    }

    pub fn note(&mut self, file: &str, line: Option<usize>, detail: impl Into<String>) {
        self.notes.push(Evidence::at(file, line, detail));
    }

    /// `fail` when a file has a problem (the message says what and how many), `error` when a
    /// file could not be judged and none failed, otherwise `pass`.
    pub fn outcome(mut self, noun: &str, pass: &str, fail: &str) -> Outcome {
        if self.failing.is_empty() {
            self.evidence = std::mem::take(&mut self.notes);
        }
        for e in &self.errors {
            self.evidence.push(Evidence::detail(e.clone()));
        }
        if self.evidence.len() > MAX_EVIDENCE {
            let more = self.evidence.len() - MAX_EVIDENCE;
            self.evidence.truncate(MAX_EVIDENCE);
            self.evidence
                .push(Evidence::detail(format!("… and {more} more")));
        }
        let plural = |n: usize| {
            if n == 1 {
                noun.to_string()
            } else {
                format!("{noun}s")
            }
        };
        let mut o = if !self.failing.is_empty() {
            let files = if self.failing.len() <= 3 {
                self.failing.join(", ")
            } else {
                format!(
                    "{} and {} more",
                    self.failing[..3].join(", "),
                    self.failing.len() - 3
                )
            };
            Outcome::fail(format!(
                "{} of {} {}: {fail} ({files})",
                self.failing.len(),
                self.checked,
                plural(self.checked)
            ))
        } else if !self.errors.is_empty() {
            Outcome::error(format!(
                "{} could not be judged: {}",
                if self.errors.len() == 1 {
                    "1 file".to_string()
                } else {
                    format!("{} files", self.errors.len())
                },
                self.errors[0]
            ))
        } else if self.checked == 0 {
            // Every Compose file was a development setup (see the evidence for which).
            Outcome::skipped(format!(
                "no {noun} of the deployment to judge: the Compose files only set up development or a demo"
            ))
        } else {
            Outcome::pass(format!("{} {}: {pass}", self.checked, plural(self.checked)))
        };
        o.evidence = self.evidence;
        o
    }
}

/// The skipped outcome when a repository has no Dockerfile.
pub(crate) fn no_dockerfile() -> Outcome {
    Outcome::skipped("no Dockerfile in the repository")
}

/// The skipped outcome when a repository has no Compose file.
pub(crate) fn no_compose() -> Outcome {
    Outcome::skipped("no Compose file (docker-compose*.yml, compose*.yaml) in the repository")
}

/// Runs `judge` over every parsed Dockerfile; the outcome is skipped when there is none.
pub(crate) fn over_dockerfiles(
    ctx: &RunContext,
    mut judge: impl FnMut(&str, &Dockerfile, &mut Findings),
) -> Option<Findings> {
    let files = dockerfiles(ctx);
    if files.is_empty() {
        return None;
    }
    let mut f = Findings::default();
    for entry in files.iter() {
        match &entry.parsed {
            Ok(df) if df.stages.is_empty() => f.errors.push(format!(
                "{}: no FROM instruction; not a Dockerfile that builds",
                entry.rel
            )),
            Ok(df) => {
                f.checked += 1;
                judge(&entry.rel, df, &mut f);
            }
            Err(e) => f.errors.push(e.clone()),
        }
    }
    Some(f)
}

/// Runs `judge` over every service of every parsed Compose file; `None` when there is no
/// Compose file.
pub(crate) fn over_services(
    ctx: &RunContext,
    mut judge: impl FnMut(&str, &Service<'_>, &mut Findings),
) -> Option<Findings> {
    let composed = compose_projects::composed(ctx);
    let composed = composed.as_ref().as_ref()?;
    let mut f = Findings::default();
    f.errors.extend(composed.errors.iter().cloned());
    let mut merged_noted = std::collections::BTreeSet::new();
    for c in &composed.services {
        if c.label.contains(" + ") && merged_noted.insert(c.label.clone()) {
            f.note(
                &c.rel,
                None,
                format!("judged as Compose merges {}", c.label),
            );
        }
        let s = Service {
            name: c.name.clone(),
            line: c.line,
            node: &c.node,
        };
        f.checked += 1;
        judge(&c.rel, &s, &mut f);
    }
    for unit in &composed.dev_dependencies {
        f.note(
            &unit[0],
            None,
            "starts only local dependencies (databases, queues) while the service is built \
             from its own Dockerfile elsewhere: a development setup, not the deployment; not \
             judged",
        );
    }
    for (unit, why) in &composed.demos {
        f.note(
            &unit[0],
            None,
            format!(
                "a demo or local setup, as its folder's README says ({why}): not the \
                 deployment; not judged"
            ),
        );
    }
    for rel in &composed.left_out {
        f.note(
            rel,
            None,
            "a development overlay (`docker compose up` adds it on a developer's machine) that no command the repository runs names: not judged",
        );
    }
    Some(f)
}

/// A compose outcome counts services, not files: the failing list names `service (file)`.
pub(crate) fn service_label(rel: &str, service: &Service<'_>) -> String {
    format!("{} in {rel}", service.name)
}

// ---------------------------------------------------------------------------------------------
// Binding vocabulary.

/// What an item (and its parent item) says about containers.
pub(crate) struct Subject {
    /// Names Dockerfiles or images (`Dockerfile`, `base image`, `container image`).
    pub dockerfile: bool,

    /// Names Compose (`docker-compose`, `compose file`).
    pub compose: bool,
    /// Names containers or Docker in general.
    pub generic: bool,
    /// Names Kubernetes or another orchestrator: not ours.
    pub orchestrator: bool,
}

/// Words that name a Dockerfile by themselves.
const DOCKERFILE_ONLY_WORDS: &[&str] = &[
    "dockerfile",
    "dockerfiles",
    "containerfile",
    "healthcheck instruction",
    "user instruction",
];
/// Image words that name a Dockerfile only where no heading names where images run: "Image
/// tags are stable" under "Kubernetes" is about the manifests' images.
const IMAGE_WORDS: &[&str] = &["image", "images"];
const COMPOSE_WORDS: &[&str] = &[
    "compose",
    "docker-compose",
    "docker-compose.yml",
    "docker-compose.yaml",
    "compose.yml",
    "compose.yaml",
];
const GENERIC_WORDS: &[&str] = &[
    "docker",
    "container",
    "containers",
    "containerized",
    "containerised",
];
/// Orchestrators a heading names ("Deployment" headings are about releasing, not the
/// Kubernetes object).
const HEADING_ORCHESTRATORS: &[&str] = &[
    "kubernetes",
    "k8s",
    "helm",
    "pods",
    "ecs",
    "nomad",
    "systemd",
    "openshift",
];
const ORCHESTRATOR_WORDS: &[&str] = &[
    "kubernetes",
    "k8s",
    "pod",
    "pods",
    "helm",
    "deployment",
    "deployments",
    "probe",
    "probes",
    "securitycontext",
    "statefulset",
    "daemonset",
    "cluster",
    "namespace",
    "manifest",
    "manifests",
    "ecs",
    "nomad",
    "systemd",
];

impl Subject {
    pub fn of(view: &ItemView<'_>) -> Subject {
        let parent = view.parent_lower.unwrap_or("");
        let lower = view.lower;
        let own = Subject {
            dockerfile: has_any(lower, DOCKERFILE_ONLY_WORDS) || has_any(lower, IMAGE_WORDS),
            compose: has_any(lower, COMPOSE_WORDS) || has_any(parent, COMPOSE_WORDS),
            generic: has_any(lower, GENERIC_WORDS) || has_any(parent, GENERIC_WORDS),
            orchestrator: has_any(lower, ORCHESTRATOR_WORDS) || has_any(parent, ORCHESTRATOR_WORDS),
        };
        let only_images = own.dockerfile
            && !has_any(lower, DOCKERFILE_ONLY_WORDS)
            && !has_any(lower, &["base image", "base images", "from"]);
        if (own.dockerfile && !only_images) || own.compose || own.orchestrator {
            return own;
        }
        // "Add health checks." under "## Docker", "every workload has limits" under
        // "## Kubernetes": the nearest heading that names a subject says which containers.
        for h in view.item.section.iter().rev() {
            let h = h.to_lowercase();
            let from = Subject {
                dockerfile: has_any(&h, DOCKERFILE_ONLY_WORDS) || has_any(&h, IMAGE_WORDS),
                compose: has_any(&h, COMPOSE_WORDS),
                generic: own.generic || has_any(&h, GENERIC_WORDS),
                orchestrator: has_any(&h, HEADING_ORCHESTRATORS),
            };
            if only_images && !(from.compose || from.orchestrator) {
                continue;
            }
            if from.dockerfile
                || from.compose
                || from.orchestrator
                || (from.generic && !own.generic)
            {
                return from;
            }
        }
        own
    }

    /// About Dockerfiles: names them, or names containers and not Compose alone.
    pub fn dockerfile_side(&self) -> bool {
        !self.orchestrator && (self.dockerfile || (self.generic && !self.compose))
    }

    /// Names no subject at all ("Non-root user"): containers are the only thing a checklist
    /// runs as a user, unless it names a database, host or other system.
    pub fn unnamed(&self, view: &ItemView<'_>) -> bool {
        const OTHERS: &[&str] = &[
            "database",
            "databases",
            "db",
            "postgresql",
            "postgres",
            "mysql",
            "redis",
            "sql",
            "ssh",
            "server",
            "servers",
            "vm",
            "vms",
            "host",
            "hosts",
            "os",
            "linux",
            "windows",
            "account",
            "accounts",
            "cloud",
            "iam",
            "aws",
            "gcp",
            "azure",
            "ci",
            "workflow",
            "workflows",
            "pipeline",
            "github",
            "gitlab",
        ];
        let named = self.dockerfile || self.compose || self.generic || self.orchestrator;
        let other =
            has_any(view.lower, OTHERS) || view.parent_lower.is_some_and(|p| has_any(p, OTHERS));
        // Under a "Kubernetes" or "Databases" heading, the item is about that ("Deployment"
        // headings are about releasing, not the Kubernetes object).
        let heading = view.item.section.iter().any(|h| {
            let h = h.to_lowercase();
            has_any(&h, HEADING_ORCHESTRATORS) || has_any(&h, OTHERS)
        });
        !(named || other || heading)
    }

    /// About Compose: names it, or names Docker/containers in general.
    pub fn compose_side(&self) -> bool {
        !self.orchestrator && (self.compose || self.generic)
    }
}

/// Words that say a deployment is being observed live, not configured.
/// The parameter every image-pinning check takes (Dockerfiles, Compose, Kubernetes).
pub(crate) const REQUIRE_DIGEST: gonogo_engine::catalogue::ParamSpec =
    gonogo_engine::catalogue::ParamSpec {
        name: "require_digest",
        kind: gonogo_engine::catalogue::ParamKind::Bool,
        default: Some("false"),
        required: false,
        doc: "require `@sha256:` digests, not just a tag other than `latest`",
    };

/// Whether a pinning binding asks for digests (`REQUIRE_DIGEST`).
pub(crate) fn requires_digest(params: &gonogo_engine::catalogue::Params) -> bool {
    params
        .get("require_digest")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false)
}

pub(crate) const LIVE_WORDS: &[&str] = &[
    "passing",
    "pass",
    "passes",
    "green",
    "healthy",
    "returns",
    "responding",
    "responds",
    "working",
    "verified",
    "tested",
];

/// Words that say a limit's size is judged by a person.
pub(crate) const JUDGEMENT_WORDS: &[&str] = &[
    "appropriate",
    "appropriately",
    "proper",
    "properly",
    "adequate",
    "right-sized",
    "tuned",
    "optimal",
    "optimized",
    "optimised",
    "reasonable",
    "sensible",
];

/// Words any container item may use without claiming more.
const CONTAINER_VOCABULARY: &[&str] = &[
    "dockerfile",
    "dockerfiles",
    "containerfile",
    "image",
    "images",
    "compose",
    "docker-compose",
    "docker-compose.yml",
    "docker-compose.yaml",
    "compose.yml",
    "compose.yaml",
    "docker",
    "container",
    "containers",
    "containerized",
    "containerised",
    "service",
    "services",
    "every",
    "each",
    "per",
    "must",
    "should",
    "no",
    "not",
    "never",
    "none",
    "uses",
    "use",
    "using",
    "sets",
    "does",
    "do",
    "only",
    "its",
    "their",
    "configuration",
    "config",
    "instruction",
    "instructions",
    "final",
    "stage",
    "built",
    "build",
    "runtime",
];

/// The common shape of container binders: the item makes the claim (`claim`), is about the
/// right side (`side`), is not a person's judgement, and claims nothing beyond `allowed` and
/// the container vocabulary.
pub(crate) fn bind_claim(
    view: &ItemView<'_>,
    claim: bool,
    side: bool,
    allowed: &[&str],
    reason: &str,
) -> BindVerdict {
    if !claim || !side {
        return BindVerdict::No;
    }
    let lower = view.lower;
    let candidates = vec![AutoBinding::new(reason)];
    if let Some(act) = human_act(lower) {
        return BindVerdict::Declined {
            why: format!("\"{act}\" is a person's judgement; the files cannot show it"),
            candidates,
        };
    }
    if let Some(w) = JUDGEMENT_WORDS.iter().find(|w| has_phrase(lower, w)) {
        return BindVerdict::Declined {
            why: format!("\"{w}\" is a judgement of size; the check only shows that limits exist"),
            candidates,
        };
    }
    let mut used: Vec<&str> = CONTAINER_VOCABULARY.to_vec();
    used.extend_from_slice(allowed);
    let extra = leftover(lower, &used);
    bind_unless_claims_more(&extra, 1, "this check can show", candidates)
}

/// Variables visible to compose interpolation are unknown: `${TAG:-1.2}` gives its default,
/// `${TAG}` stays unresolved.
pub(crate) fn expand_compose(value: &str) -> dockerfile::Expanded {
    dockerfile::expand(value, &HashMap::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        assert!(!is_dockerfile_name("dockerfile.rs"));
        assert!(!is_dockerfile_name("dockerfile.go"));
        for n in [
            "dockerfile",
            "dockerfile.prod",
            "api.dockerfile",
            "containerfile",
        ] {
            assert!(is_dockerfile_name(n), "{n}");
        }
        for n in [
            "dockerfile.md",
            "dockerfile.j2",
            "dockerfile.dockerignore",
            "dockerfiles",
            "mydockerfile",
        ] {
            assert!(!is_dockerfile_name(n), "{n}");
        }
        assert!(is_compose_name("docker-compose.prod.yml"));
        assert!(is_compose_name("compose.yaml"));
        assert!(!is_compose_name("composer.json"));
    }

    #[test]
    fn secret_keys() {
        for k in [
            "DB_PASSWORD",
            "API_KEY",
            "GITHUB_TOKEN",
            "secret",
            "POSTGRES_PASS",
            "AWS_SECRET_ACCESS_KEY",
            "JWT_SECRET",
            "ENCRYPTION_KEY",
        ] {
            assert!(secret_key(k), "{k}");
        }
        for k in [
            "PASSWORD_FILE",
            "GPG_KEY",
            "TOKEN_TTL",
            "SECRET_NAME",
            "PATH",
            "KEYCLOAK_URL",
            "AWS_ACCESS_KEY_ID",
            "PASSWORD_MIN_LENGTH",
        ] {
            assert!(!secret_key(k), "{k}");
        }
    }

    #[test]
    fn secret_literals() {
        assert!(secret_literal("DB_PASSWORD", "hunter2hunter2").is_some());
        assert!(secret_literal("DB_PASSWORD", "${DB_PASSWORD:-s3cr3tpw}").is_some());
        let url = "postgres://app:s3cret@db/app"; // gonogo:allow-secret (made up for the test)
        assert!(secret_literal("DATABASE_URL", url).is_some());
        assert!(secret_literal("X", "AKIAIOSFODNN7EXAMPLE").is_some());
        for (k, v) in [
            ("DB_PASSWORD", "${DB_PASSWORD}"),
            ("DB_PASSWORD", "$DB_PASSWORD"),
            ("DB_PASSWORD", "${DB_PASSWORD:?set it}"),
            ("DB_PASSWORD", "<from-secrets-manager>"),
            ("DB_PASSWORD", "changeme"),
            ("DB_PASSWORD", "/run/secrets/db_password"),
            ("DB_PASSWORD", ""),
            ("DATABASE_URL", "postgres://app:${DB_PASSWORD}@db/app"),
            ("API_TOKEN", "prefix-${TOKEN}"),
            ("GPG_KEY", "0D96DF4D4110E5C43FBFB17F2D347EF6"),
        ] {
            assert_eq!(secret_literal(k, v), None, "{k}={v}");
        }
    }

    #[test]
    fn pins_and_paths() {
        assert!(pin_problem("python:3.12", false).is_none());
        assert!(pin_problem("python:3.12", true).is_some());
        assert!(pin_problem("python", false).is_some());
        assert!(pin_problem("python:latest", false).is_some());
        assert!(pin_problem("python@sha256:abc", true).is_none());
        assert_eq!(normalise("deploy/./../api/Dockerfile"), "api/Dockerfile");
    }
}
