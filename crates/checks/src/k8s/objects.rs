//! The Kubernetes inventory: every manifest of the repository found, parsed and turned into
//! typed views once per run, shared by every `k8s.*` and `helm.*` check.
//!
//! A manifest is a YAML document with `apiVersion` and `kind` (`kind: List` is expanded into
//! its items). Files are pre-filtered on their text (both words must occur) so a repository's
//! other YAML is never parsed. Helm templates (files under a chart's `templates/` holding `{{`)
//! are not YAML; when `helm` is on PATH each chart is rendered with `helm template` and its
//! output joins the inventory, otherwise checks read `values.yaml` and say they were partial.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use gonogo_engine::context::RunContext;
use gonogo_engine::scope;

use super::applied::{self, Group};
use crate::yaml::{self, Node, as_bool, as_i64, as_str, entries, get, items, line, path};

/// Labels (or a Service's selector) as written.
pub type Labels = BTreeMap<String, String>;

/// A label selector (`matchLabels` and `matchExpressions`).
#[derive(Debug, Clone, Default)]
pub struct Selector {
    pub match_labels: Labels,
    /// (key, operator, values)
    pub expressions: Vec<(String, String, Vec<String>)>,
}

impl Selector {
    fn from_node(node: &Node) -> Selector {
        let mut s = Selector {
            match_labels: labels(get(node, "matchLabels")),
            expressions: Vec::new(),
        };
        if let Some(exprs) = get(node, "matchExpressions") {
            for e in items(exprs) {
                let key = get(e, "key").and_then(as_str).unwrap_or_default();
                let op = get(e, "operator").and_then(as_str).unwrap_or_default();
                let values = get(e, "values")
                    .map(|v| items(v).iter().filter_map(as_str).collect())
                    .unwrap_or_default();
                s.expressions.push((key, op, values));
            }
        }
        s
    }

    /// A Service-style selector: a plain map of labels.
    pub fn from_map(map: Labels) -> Selector {
        Selector {
            match_labels: map,
            expressions: Vec::new(),
        }
    }

    /// Whether pods with these labels are selected (an empty selector selects every pod).
    pub fn matches(&self, pod: &Labels) -> bool {
        self.match_labels.iter().all(|(k, v)| pod.get(k) == Some(v))
            && self.expressions.iter().all(|(k, op, vals)| {
                let have = pod.get(k);
                match op.as_str() {
                    "In" => have.is_some_and(|h| vals.contains(h)),
                    "NotIn" => have.is_none_or(|h| !vals.contains(h)),
                    "Exists" => have.is_some(),
                    "DoesNotExist" => have.is_none(),
                    _ => false,
                }
            })
    }
}

/// One container (or init container) of a pod template.
#[derive(Debug, Clone, Default)]
pub struct Container {
    pub name: String,
    pub init: bool,
    pub line: usize,
    pub image: Option<String>,
    pub image_line: usize,
    /// Resource names with a value under `resources.requests` / `resources.limits`.
    pub requests: Vec<String>,
    pub limits: Vec<String>,
    /// `liveness`, `readiness`, `startup` — the probes defined.
    pub probes: Vec<&'static str>,
    pub run_as_non_root: Option<bool>,
    pub run_as_user: Option<i64>,
    pub allow_privilege_escalation: Option<bool>,
    pub privileged: Option<bool>,
    pub read_only_root_fs: Option<bool>,
    /// `securityContext.capabilities.drop` lists `ALL`.
    pub drops_all_capabilities: bool,
}

/// A pod-creating object: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
/// ReplicationController, Job, CronJob (through `jobTemplate`).
#[derive(Debug, Clone, Default)]
pub struct Workload {
    pub replicas: Option<i64>,
    pub replicas_line: Option<usize>,
    pub pod_labels: Labels,
    pub containers: Vec<Container>,
    pub pod_run_as_non_root: Option<bool>,
    pub pod_run_as_user: Option<i64>,
    pub anti_affinity: bool,
    pub topology_spread: bool,
    /// Names of `volumeClaimTemplates` (StatefulSets).
    pub claim_templates: Vec<String>,
    /// `persistentVolumeClaim.claimName` of the pod's volumes, with lines.
    pub claims: Vec<(String, usize)>,
}

/// What checks need of each kind of object.
#[derive(Debug, Clone)]
pub enum Spec {
    Workload(Box<Workload>),
    Service {
        service_type: String,
        /// `None`: no selector (endpoints managed elsewhere).
        selector: Option<Labels>,
    },
    Pdb {
        selector: Option<Selector>,
    },
    Autoscaler {
        target_kind: String,
        target_name: String,
        min_replicas: Option<i64>,
    },
    NetworkPolicy {
        pod_selector: Selector,
    },
    Secret {
        /// Keys of `data` / `stringData` holding a value, with lines.
        keys: Vec<(String, usize)>,
    },
    Monitor {
        selector: Option<Selector>,
    },
    Other,
}

/// One Kubernetes object found in the repository.
#[derive(Debug, Clone)]
pub struct Object {
    pub file: String,
    pub line: usize,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub labels: Labels,
    pub spec: Spec,
    /// The kustomizations and chart release that apply it (`applied.rs`).
    pub groups: Vec<Group>,
}

impl Object {
    /// `Deployment/web` — how messages name it.
    pub fn display(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }

    pub fn workload(&self) -> Option<&Workload> {
        match &self.spec {
            Spec::Workload(w) => Some(w),
            _ => None,
        }
    }

    /// Move every line by `by` (the document started `by` lines into its file).
    fn shift(&mut self, by: usize) {
        self.line += by;
        match &mut self.spec {
            Spec::Workload(w) => {
                if let Some(l) = w.replicas_line.as_mut() {
                    *l += by;
                }
                for (_, l) in &mut w.claims {
                    *l += by;
                }
                for c in &mut w.containers {
                    c.line += by;
                    c.image_line += by;
                }
            }
            Spec::Secret { keys } => {
                for (_, l) in keys {
                    *l += by;
                }
            }
            _ => {}
        }
    }

    /// Whether two objects may live in the same namespace, as the tools that apply them
    /// decide (`applied.rs`).
    pub fn same_namespace(&self, other: &Object) -> bool {
        applied::same_namespace(self, other)
    }

    /// The lenient form, for checks where a match is what spares a FAIL (a Service's
    /// workload, a Pod's claim): an unset namespace may be any, as manifests applied by hand
    /// into one namespace from different folders do not say so.
    pub fn may_share_namespace(&self, other: &Object) -> bool {
        match (&self.namespace, &other.namespace) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }
}

/// A Helm chart (a folder with `Chart.yaml`).
#[derive(Debug, Clone)]
pub struct Chart {
    pub dir: String,
    pub chart_file: String,
    /// `values.yaml`, if the chart has one.
    pub values: Option<String>,
    /// Files under `templates/` that are Go templates.
    pub templates: Vec<String>,
    /// Whether `helm template` rendered it (its objects are in the inventory).
    pub rendered: bool,
    /// Why rendering failed or was not tried.
    pub render_note: Option<String>,
}

impl Chart {
    /// The chart's folder, `.` for the root.
    pub fn dir_name(&self) -> &str {
        if self.dir.is_empty() { "." } else { &self.dir }
    }
}

/// The run's inventory, shared by every check.
pub struct Shared(Arc<OnceLock<Inventory>>);

impl std::ops::Deref for Shared {
    type Target = Inventory;
    fn deref(&self) -> &Inventory {
        self.0.get().expect("initialised in Inventory::of")
    }
}

/// Everything Kubernetes in the repository.
#[derive(Debug, Default)]
pub struct Inventory {
    pub objects: Vec<Object>,
    /// Manifest-like files that could not be parsed: `file:line: reason`.
    pub unparsed: Vec<String>,
    pub charts: Vec<Chart>,
    /// Files read as candidates (for the "looked at" messages).
    pub files_read: usize,
    /// Kustomize patches passed over (partial objects, not manifests).
    pub patches: usize,
    /// Documents of kinds no check reads, counted but not parsed.
    pub skipped_docs: usize,
    /// Manifests and charts of tests, fixtures, examples and dev tooling (`scope`), left out:
    /// an e2e fixture's NetworkPolicy must not select the product's workloads.
    pub not_product: usize,
}

const WORKLOAD_KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
];

impl Inventory {
    /// The run's inventory, built once by whichever check asks first; the others wait for it
    /// (the context's cache may build a value twice when asked concurrently, so the cached
    /// value is a once-cell that is cheap to make).
    pub fn of(ctx: &RunContext) -> Shared {
        let cell = ctx.cached("k8s", OnceLock::<Inventory>::new);
        cell.get_or_init(|| Inventory::build(ctx));
        Shared(cell)
    }

    fn build(ctx: &RunContext) -> Inventory {
        Inventory::build_with(ctx, helm_on_path())
    }

    /// The inventory, rendering charts with this `helm` (none: partial mode).
    fn build_with(ctx: &RunContext, helm: Option<std::path::PathBuf>) -> Inventory {
        let index = ctx.repo_index();
        let mut inv = Inventory::default();
        let chart_dirs: Vec<String> = index
            .find(|name, _| name == "chart.yaml")
            .filter(|f| scope::of(&f.rel).is_product())
            .map(|f| parent_dir(&f.rel).to_string())
            .collect();
        let in_templates = |rel: &str| {
            chart_dirs.iter().any(|d| {
                let prefix = if d.is_empty() {
                    "templates/".to_string()
                } else {
                    format!("{d}/templates/")
                };
                rel.starts_with(&prefix)
            })
        };
        let patches = kustomize_patches(ctx);
        let mut templates: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for f in index.find(|name, _| {
            name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json")
        }) {
            if patches.contains(&f.rel) {
                inv.patches += 1;
                continue;
            }
            let text = ctx.text(&f.rel);
            let Ok(t) = text.as_ref() else {
                continue;
            };
            let t = &t.text;
            if in_templates(&f.rel) && t.contains("{{") {
                let chart = chart_dirs
                    .iter()
                    .filter(|d| d.is_empty() || f.rel.starts_with(&format!("{d}/")))
                    .max_by_key(|d| d.len())
                    .cloned()
                    .unwrap_or_default();
                templates.entry(chart).or_default().push(f.rel.clone());
                continue;
            }
            if !(t.contains("apiVersion") && t.contains("kind")) {
                continue;
            }
            // A chart's own `templates/tests/` are the chart's; other non-product manifests
            // are not the service's.
            if !in_templates(&f.rel) && !scope::of(&f.rel).is_product() {
                inv.not_product += 1;
                continue;
            }
            // JSON manifests (YAML 1.2 reads JSON); other JSON is not looked at.
            if f.rel.ends_with(".json") && !(t.contains("\"apiVersion\"") && t.contains("\"kind\""))
            {
                continue;
            }
            inv.files_read += 1;
            inv.add_text(&f.rel, t);
        }
        for dir in &chart_dirs {
            let file = join(dir, "Chart.yaml");
            let values = join(dir, "values.yaml");
            let has_values = index.files.binary_search_by(|f| f.rel.cmp(&values)).is_ok();
            inv.charts.push(Chart {
                dir: dir.clone(),
                chart_file: file,
                values: has_values.then_some(values),
                templates: templates.remove(dir).unwrap_or_default(),
                rendered: false,
                render_note: None,
            });
        }
        inv.render_charts(ctx, helm);
        let groups = applied::kustomize_groups(ctx);
        for o in &mut inv.objects {
            if let Some(g) = groups.get(&o.file) {
                o.groups.extend(g.iter().cloned());
            }
        }
        inv
    }

    /// Render every top-level chart with `helm template` when helm is on PATH.
    fn render_charts(&mut self, ctx: &RunContext, helm: Option<std::path::PathBuf>) {
        let Some(helm) = helm else {
            for c in &mut self.charts {
                c.render_note = Some("helm is not on PATH".into());
            }
            return;
        };
        let dirs: Vec<String> = self.charts.iter().map(|c| c.dir.clone()).collect();
        for i in 0..self.charts.len() {
            let dir = &self.charts[i].dir.clone();
            // Subcharts (under another chart's `charts/`) are rendered with their parent.
            if dirs
                .iter()
                .any(|d| d != dir && dir.starts_with(&join(d, "charts/")))
            {
                self.charts[i].render_note = Some("subchart: rendered with its parent".into());
                continue;
            }
            match render(&helm, &ctx.repo.join(dir)) {
                Ok(out) => {
                    let before = self.objects.len();
                    self.add_rendered(dir, &out);
                    // One chart is one release: its objects share the release's namespace.
                    for o in &mut self.objects[before..] {
                        o.groups.push(Group {
                            id: format!("chart:{dir}"),
                            namespace: None,
                        });
                    }
                    self.charts[i].rendered = true;
                    self.charts[i].render_note = Some(format!(
                        "rendered with helm template: {} objects",
                        self.objects.len() - before
                    ));
                }
                Err(e) => self.charts[i].render_note = Some(e),
            }
        }
    }

    /// Objects of `helm template` output; each document is attributed to its `# Source:` file.
    fn add_rendered(&mut self, chart_dir: &str, out: &str) {
        for doc in out.split("\n---") {
            let source = doc
                .lines()
                .find_map(|l| l.trim().strip_prefix("# Source: "))
                .map(|s| {
                    // `<chart name>/templates/x.yaml` → the path in the repository.
                    let s = s.trim();
                    join(chart_dir, s.split_once('/').map_or(s, |(_, rest)| rest))
                })
                .unwrap_or_else(|| join(chart_dir, "(rendered)"));
            match yaml::parse(&source, doc) {
                Ok(file) => {
                    for d in &file.docs {
                        self.add_document(&source, d);
                    }
                }
                Err(e) => self.unparsed.push(format!("{e} (rendered by helm)")),
            }
        }
    }

    /// Parse a file's documents, one by one: documents of kinds no check reads (CRDs, RBAC,
    /// ConfigMaps… — most of a large repository's bytes) are counted, not parsed.
    fn add_text(&mut self, rel: &str, text: &str) {
        for (offset, chunk) in documents(text) {
            if unread_kind(chunk).is_some() {
                self.skipped_docs += 1;
                continue;
            }
            let before = self.objects.len();
            match yaml::parse(rel, chunk) {
                Ok(file) => {
                    for doc in &file.docs {
                        self.add_document(rel, doc);
                    }
                }
                // Go or Jinja templates outside charts are not manifests.
                Err(_) if chunk.contains("{{") => {}
                Err(e) => self.unparsed.push(shift_error(&e, rel, offset)),
            }
            for o in &mut self.objects[before..] {
                o.shift(offset);
            }
        }
    }

    /// Objects found, plus documents of kinds no check reads.
    pub fn total_objects(&self) -> usize {
        self.objects.len() + self.skipped_docs
    }

    fn add_document(&mut self, file: &str, doc: &Node) {
        let (Some(api), Some(kind)) = (
            get(doc, "apiVersion").and_then(as_str),
            get(doc, "kind").and_then(as_str),
        ) else {
            return;
        };
        if kind == "List" || kind.ends_with("List") && get(doc, "items").is_some() {
            for item in get(doc, "items").map(items).unwrap_or_default() {
                self.add_document(file, item);
            }
            return;
        }
        let meta = get(doc, "metadata");
        let name = meta
            .and_then(|m| get(m, "name").and_then(as_str))
            .or_else(|| meta.and_then(|m| get(m, "generateName").and_then(as_str)))
            .unwrap_or_else(|| "(unnamed)".into());
        // Placeholders filled in at deploy time (`$(NS)`, `${NS}`) are an unset namespace.
        let namespace = meta
            .and_then(|m| get(m, "namespace").and_then(as_str))
            .filter(|n| !n.contains('$') && !n.contains("{{"));
        let spec = get(doc, "spec");
        let spec = match kind.as_str() {
            k if WORKLOAD_KINDS.contains(&k) => Spec::Workload(Box::new(workload(k, doc))),
            "Service" => Spec::Service {
                service_type: spec
                    .and_then(|s| get(s, "type"))
                    .and_then(as_str)
                    .unwrap_or_else(|| "ClusterIP".into()),
                selector: spec
                    .and_then(|s| get(s, "selector"))
                    .map(|s| labels(Some(s)))
                    .filter(|l| !l.is_empty()),
            },
            "PodDisruptionBudget" => Spec::Pdb {
                selector: spec
                    .and_then(|s| get(s, "selector"))
                    .map(Selector::from_node),
            },
            "HorizontalPodAutoscaler" | "ScaledObject" => {
                let target = spec.and_then(|s| get(s, "scaleTargetRef"));
                Spec::Autoscaler {
                    target_kind: target
                        .and_then(|t| get(t, "kind"))
                        .and_then(as_str)
                        .unwrap_or_else(|| "Deployment".into()),
                    target_name: target
                        .and_then(|t| get(t, "name"))
                        .and_then(as_str)
                        .unwrap_or_default(),
                    min_replicas: spec
                        .and_then(|s| get(s, "minReplicas").or_else(|| get(s, "minReplicaCount")))
                        .and_then(as_i64),
                }
            }
            "NetworkPolicy" => Spec::NetworkPolicy {
                pod_selector: spec
                    .and_then(|s| get(s, "podSelector"))
                    .map(Selector::from_node)
                    .unwrap_or_default(),
            },
            "Secret" => {
                let mut keys = Vec::new();
                for field in ["data", "stringData"] {
                    for (k, v) in get(doc, field).map(entries).unwrap_or_default() {
                        let value = as_str(v).unwrap_or_default();
                        if !is_placeholder(&value) {
                            keys.push((as_str(k).unwrap_or_default(), line(k)));
                        }
                    }
                }
                Spec::Secret { keys }
            }
            "ServiceMonitor" | "PodMonitor" => Spec::Monitor {
                selector: spec
                    .and_then(|s| get(s, "selector"))
                    .map(Selector::from_node),
            },
            _ => Spec::Other,
        };
        self.objects.push(Object {
            file: file.to_string(),
            line: line(doc),
            api_version: api,
            kind,
            name,
            namespace,
            labels: labels(meta.and_then(|m| get(m, "labels"))),
            spec,
            groups: Vec::new(),
        });
    }

    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Object> + 'a {
        self.objects.iter().filter(move |o| o.kind == kind)
    }

    /// Objects that create pods, optionally only of some kinds.
    pub fn workloads<'a>(
        &'a self,
        kinds: &'a [&str],
    ) -> impl Iterator<Item = (&'a Object, &'a Workload)> + 'a {
        self.objects.iter().filter_map(move |o| {
            let w = o.workload()?;
            (kinds.is_empty() || kinds.contains(&o.kind.as_str())).then_some((o, w))
        })
    }

    /// The reason a check has nothing to look at, if it has not.
    pub fn nothing_to_check(&self) -> Option<String> {
        if !self.objects.is_empty() {
            return None;
        }
        let unrendered = self.charts.iter().filter(|c| !c.rendered).count();
        Some(if self.unparsed.is_empty() && unrendered > 0 {
            let why = self
                .charts
                .iter()
                .find_map(|c| c.render_note.clone())
                .unwrap_or_else(|| "not rendered".into());
            format!(
                "no Kubernetes manifests found, and {unrendered} Helm chart(s) could not be rendered ({why}), so there is nothing this check can read"
            )
        } else if self.unparsed.is_empty() && self.not_product > 0 {
            format!(
                "no Kubernetes manifests of the service found ({} YAML/JSON file(s) in tests, fixtures, examples or dev tooling were left out)",
                self.not_product
            )
        } else if self.unparsed.is_empty() {
            "no Kubernetes manifests found (YAML or JSON documents with apiVersion and kind)".into()
        } else {
            format!(
                "no Kubernetes manifest could be read: {} file(s) are not valid YAML",
                self.unparsed.len()
            )
        })
    }
}

/// Kinds some check reads; documents of other kinds are not parsed.
const READ_KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "Service",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "ScaledObject",
    "NetworkPolicy",
    "Secret",
    "ServiceMonitor",
    "PodMonitor",
    "PersistentVolumeClaim",
    "Namespace",
    "ResourceQuota",
    "LimitRange",
];

/// The documents of a multi-document text, each with the number of lines before it. A
/// document starts at a line `---` (alone or followed by a space) in the first column.
fn documents(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let (mut start_byte, mut start_line) = (0, 0);
    let mut pos = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        if i > 0 && (bare == "---" || bare.starts_with("--- ") || bare.starts_with("---\t")) {
            out.push((start_line, &text[start_byte..pos]));
            start_byte = pos;
            start_line = i;
        }
        pos += line.len();
    }
    out.push((start_line, &text[start_byte..]));
    out
}

/// The top-level kind of a document when no check reads it (and it cannot hold objects that
/// are read: no `List`, no Prometheus Operator resource), or `None` when it must be parsed.
fn unread_kind(doc: &str) -> Option<&str> {
    if doc.contains("monitoring.coreos.com") {
        return None;
    }
    let mut kinds = doc.lines().filter_map(|l| l.strip_prefix("kind:"));
    let kind = kinds.next()?.trim().trim_matches(['"', '\'']);
    let kind = kind.split(" #").next().unwrap_or(kind).trim();
    if kinds.next().is_some()
        || kind.is_empty()
        || kind.ends_with("List")
        || READ_KINDS.contains(&kind)
    {
        return None;
    }
    Some(kind)
}

/// A parse error of a document, with its line moved to the line in the whole file.
fn shift_error(e: &str, rel: &str, by: usize) -> String {
    if let Some(rest) = e.strip_prefix(&format!("{rel}:"))
        && let Some((n, msg)) = rest.split_once(':')
        && let Ok(n) = n.parse::<usize>()
    {
        return format!("{rel}:{}:{msg}", n + by);
    }
    e.to_string()
}

/// Files that kustomizations use as patches: partial objects that would read as workloads
/// missing everything.
fn kustomize_patches(ctx: &RunContext) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    let index = ctx.repo_index();
    for f in index.find(|name, _| applied::KUSTOMIZATION_NAMES.contains(&name)) {
        let loaded = yaml::load(ctx, &f.rel);
        let Ok(file) = loaded.as_ref() else {
            continue;
        };
        let dir = parent_dir(&f.rel);
        for doc in &file.docs {
            for field in ["patchesStrategicMerge", "patches", "patchesJson6902"] {
                for p in get(doc, field).map(items).unwrap_or_default() {
                    let rel = as_str(p).or_else(|| get(p, "path").and_then(as_str));
                    if let Some(rel) = rel
                        && !rel.contains('\n')
                    {
                        out.insert(normalise(&join(dir, rel.trim_start_matches("./"))));
                    }
                }
            }
        }
    }
    out
}

/// `a/b/../c` → `a/c`.
pub(crate) fn normalise(rel: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in rel.split('/') {
        match p {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn workload(kind: &str, doc: &Node) -> Workload {
    let spec = get(doc, "spec");
    let template = match kind {
        "Pod" => Some(doc),
        "CronJob" => spec.and_then(|s| path(s, &["jobTemplate", "spec", "template"])),
        _ => spec.and_then(|s| get(s, "template")),
    };
    let pod = template.and_then(|t| get(t, "spec"));
    let replicas_node = spec.and_then(|s| get(s, "replicas"));
    let mut w = Workload {
        replicas: replicas_node.and_then(as_i64),
        replicas_line: replicas_node.map(line),
        pod_labels: labels(template.and_then(|t| path(t, &["metadata", "labels"]))),
        claim_templates: spec
            .and_then(|s| get(s, "volumeClaimTemplates"))
            .map(|v| {
                items(v)
                    .iter()
                    .filter_map(|c| path(c, &["metadata", "name"]).and_then(as_str))
                    .collect()
            })
            .unwrap_or_default(),
        ..Workload::default()
    };
    let Some(pod) = pod else {
        return w;
    };
    let psc = get(pod, "securityContext");
    w.pod_run_as_non_root = psc.and_then(|s| get(s, "runAsNonRoot")).and_then(as_bool);
    w.pod_run_as_user = psc.and_then(|s| get(s, "runAsUser")).and_then(as_i64);
    w.anti_affinity =
        path(pod, &["affinity", "podAntiAffinity"]).is_some_and(|a| !entries(a).is_empty());
    w.topology_spread = get(pod, "topologySpreadConstraints").is_some_and(|t| !items(t).is_empty());
    for v in get(pod, "volumes").map(items).unwrap_or_default() {
        let vol = get(v, "name").and_then(as_str).unwrap_or_default();
        if let Some(claim) = path(v, &["persistentVolumeClaim", "claimName"]) {
            let claim_name = as_str(claim).unwrap_or_default();
            // A StatefulSet's claim template of the same name takes the volume's place.
            if !w.claim_templates.contains(&vol) && !w.claim_templates.contains(&claim_name) {
                w.claims.push((claim_name, line(claim)));
            }
        }
    }
    for (field, init) in [("initContainers", true), ("containers", false)] {
        for c in get(pod, field).map(items).unwrap_or_default() {
            w.containers.push(container(c, init));
        }
    }
    w
}

fn container(c: &Node, init: bool) -> Container {
    let present = |field: &str| -> Vec<String> {
        path(c, &["resources", field])
            .map(entries)
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, v)| as_str(v).is_some_and(|s| !s.trim().is_empty()))
            .filter_map(|(k, _)| as_str(k))
            .collect()
    };
    let sc = get(c, "securityContext");
    let sc_bool = |key: &str| sc.and_then(|s| get(s, key)).and_then(as_bool);
    let image = get(c, "image");
    Container {
        name: get(c, "name")
            .and_then(as_str)
            .unwrap_or_else(|| "(unnamed)".into()),
        init,
        line: line(c),
        image: image.and_then(as_str),
        image_line: image.map_or(line(c), line),
        requests: present("requests"),
        limits: present("limits"),
        probes: [
            ("livenessProbe", "liveness"),
            ("readinessProbe", "readiness"),
            ("startupProbe", "startup"),
        ]
        .into_iter()
        .filter(|(k, _)| get(c, k).is_some_and(|p| !yaml::is_null(p)))
        .map(|(_, n)| n)
        .collect(),
        run_as_non_root: sc_bool("runAsNonRoot"),
        run_as_user: sc.and_then(|s| get(s, "runAsUser")).and_then(as_i64),
        allow_privilege_escalation: sc_bool("allowPrivilegeEscalation"),
        privileged: sc_bool("privileged"),
        read_only_root_fs: sc_bool("readOnlyRootFilesystem"),
        drops_all_capabilities: sc
            .and_then(|s| path(s, &["capabilities", "drop"]))
            .is_some_and(|d| {
                items(d)
                    .iter()
                    .any(|c| as_str(c).is_some_and(|c| c.eq_ignore_ascii_case("all")))
            }),
    }
}

fn labels(node: Option<&Node>) -> Labels {
    node.map(entries)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| Some((as_str(k)?, as_str(v).unwrap_or_default())))
        .collect()
}

/// Values that are not secrets: empty, or substituted at deploy time (`${VAR}`, `$(VAR)`).
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || (v.starts_with("${") && v.ends_with('}'))
        || (v.starts_with("$(") && v.ends_with(')'))
}

pub(crate) fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

pub(crate) fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// `helm`'s path, if on PATH.
pub fn helm_on_path() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("helm"))
        .find(|p| p.is_file())
}

/// `helm template gonogo DIR`, with a time limit; the rendered YAML or why not.
pub fn render(helm: &Path, chart: &Path) -> Result<String, String> {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(helm)
        .arg("template")
        .arg("gonogo")
        .arg(chart)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("helm could not be started: {e}"))?;
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if start.elapsed() > Duration::from_secs(60) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err("helm template took over 60 s; stopped".into());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("helm template: {e}")),
        }
    };
    let out = out.join().unwrap_or_default();
    let err = err.join().unwrap_or_default();
    if status.success() {
        Ok(out)
    } else {
        let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        Err(format!("helm template failed: {first}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inv(files: &[(&str, &str)]) -> Inventory {
        let mut inv = Inventory::default();
        for (rel, text) in files {
            match yaml::parse(rel, text) {
                Ok(f) => f.docs.iter().for_each(|d| inv.add_document(rel, d)),
                Err(e) => inv.unparsed.push(e),
            }
        }
        inv
    }

    #[test]
    fn lists_cronjobs_and_init_containers_become_workloads() {
        let i = inv(&[(
            "k.yaml",
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: batch/v1\n  kind: CronJob\n  metadata: {name: nightly}\n  spec:\n    jobTemplate:\n      spec:\n        template:\n          metadata: {labels: {app: n}}\n          spec:\n            initContainers: [{name: init, image: busybox}]\n            containers: [{name: job, image: 'x:1', resources: {limits: {cpu: 1}}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: n}}\n",
        )]);
        assert_eq!(i.objects.len(), 2);
        let (o, w) = i.workloads(&[]).next().unwrap();
        assert_eq!(o.display(), "CronJob/nightly");
        assert_eq!(w.containers.len(), 2);
        assert!(w.containers[0].init);
        assert_eq!(w.containers[1].limits, vec!["cpu"]);
        assert_eq!(w.pod_labels.get("app").map(String::as_str), Some("n"));
        assert_eq!(i.objects[1].line, 16);
    }

    #[test]
    fn selectors_match_labels_and_expressions() {
        let pod: Labels = [("app".into(), "web".into()), ("tier".into(), "fe".into())].into();
        let f = yaml::parse(
            "s.yaml",
            "matchLabels: {app: web}\nmatchExpressions:\n- {key: tier, operator: In, values: [fe, be]}\n- {key: canary, operator: DoesNotExist}\n",
        )
        .unwrap();
        assert!(Selector::from_node(&f.docs[0]).matches(&pod));
        let f = yaml::parse("s.yaml", "matchLabels: {app: api}\n").unwrap();
        assert!(!Selector::from_node(&f.docs[0]).matches(&pod));
        assert!(Selector::default().matches(&pod));
        assert!(!Selector::from_map([("app".into(), "x".into())].into()).matches(&pod));
    }

    #[test]
    fn documents_are_split_with_their_line_offsets_and_unread_kinds_skipped() {
        let text = "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: 'a:1'}]\n--- # x\nkind: CustomResourceDefinition\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  k: dg==\n---\na: [\n";
        let docs = documents(text);
        assert_eq!(
            docs.iter().map(|d| d.0).collect::<Vec<_>>(),
            vec![0, 2, 10, 12, 18]
        );
        assert_eq!(unread_kind(docs[0].1), Some("ConfigMap"));
        assert_eq!(unread_kind(docs[1].1), None);
        assert_eq!(unread_kind(docs[2].1), Some("CustomResourceDefinition"));
        let mut inv = Inventory::default();
        inv.add_text("m.yaml", text);
        assert_eq!(inv.skipped_docs, 2);
        assert_eq!(inv.objects[0].line, 4);
        assert_eq!(inv.objects[0].workload().unwrap().containers[0].line, 10);
        match &inv.objects[1].spec {
            Spec::Secret { keys } => assert_eq!(keys[0].1, 18),
            other => panic!("{other:?}"),
        }
        assert!(
            inv.unparsed[0].starts_with("m.yaml:21:"),
            "{:?}",
            inv.unparsed
        );
    }

    #[test]
    fn paths_are_normalised() {
        assert_eq!(normalise("base/../overlays/./p.yaml"), "overlays/p.yaml");
    }

    #[test]
    fn secrets_keep_keys_not_values_and_ignore_placeholders() {
        let i = inv(&[(
            "s.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n  password: hunter2\n  user: ''\n  token: ${TOKEN}\n",
        )]);
        match &i.objects[0].spec {
            Spec::Secret { keys } => assert_eq!(keys, &vec![("password".to_string(), 5)]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rendered_output_is_attributed_to_its_template() {
        let mut i = Inventory::default();
        i.add_rendered(
            "charts/web",
            "---\n# Source: web/templates/deploy.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{name: a, image: 'a:1'}]}}}\n",
        );
        assert_eq!(i.objects[0].file, "charts/web/templates/deploy.yaml");
    }

    #[cfg(unix)]
    #[test]
    fn charts_are_rendered_when_helm_is_given() {
        use std::os::unix::fs::PermissionsExt;
        let repo = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let p = repo.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write(
            "deploy/chart/Chart.yaml",
            "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
        );
        write("deploy/chart/values.yaml", "image: a:1\n");
        write(
            "deploy/chart/templates/deployment.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: {{ .Release.Name }}}\n",
        );
        let bin = tempfile::tempdir().unwrap();
        let helm = bin.path().join("helm");
        std::fs::write(
            &helm,
            "#!/bin/sh\ncat <<'EOF'\n---\n# Source: shop/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: gonogo-shop}\nspec:\n  template:\n    spec:\n      containers: [{name: api, image: 'a:1'}]\nEOF\n",
        )
        .unwrap();
        std::fs::set_permissions(&helm, std::fs::Permissions::from_mode(0o755)).unwrap();
        let ctx = RunContext::new(repo.path().to_path_buf());
        let inv = Inventory::build_with(&ctx, Some(helm));
        assert_eq!(inv.objects.len(), 1, "{:?}", inv.unparsed);
        assert_eq!(
            inv.objects[0].file,
            "deploy/chart/templates/deployment.yaml"
        );
        assert_eq!(inv.objects[0].display(), "Deployment/gonogo-shop");
        assert!(inv.charts[0].rendered);
        let partial = Inventory::build_with(&ctx, None);
        assert!(partial.objects.is_empty());
        assert_eq!(
            partial.charts[0].render_note.as_deref(),
            Some("helm is not on PATH")
        );
    }

    #[cfg(unix)]
    #[test]
    fn helm_template_is_run_and_its_failure_reported() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("helm-ok");
        std::fs::write(
            &ok,
            "#!/bin/sh\necho 'apiVersion: v1'\necho 'kind: Service'\n",
        )
        .unwrap();
        let bad = dir.path().join("helm-bad");
        std::fs::write(
            &bad,
            "#!/bin/sh\necho 'Error: chart requires dependencies' >&2\nexit 1\n",
        )
        .unwrap();
        for p in [&ok, &bad] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        assert!(render(&ok, dir.path()).unwrap().contains("kind: Service"));
        let e = render(&bad, dir.path()).unwrap_err();
        assert!(e.contains("requires dependencies"), "{e}");
    }
}
