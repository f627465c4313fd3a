//! What a check is: its declared metadata (id, docs, parameters, target), how it binds to an
//! item's wording, and how it runs. Checks report outcomes; they never print, format or exit.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use crate::context::RunContext;
use crate::model::{CodeBlock, Item, Table};

/// What a check needs in order to run; without it the check is `skipped`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// The repository directory (`--repo`, default: the current directory).
    Repository,
    /// A running deployment (`--target URL`).
    Http,
    /// PostgreSQL (`--postgres URL`).
    Postgres,
    /// Redis (`--redis URL`).
    Redis,
    /// A command from the checklist (`--allow-exec`).
    Command,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Repository => "repository",
            TargetKind::Http => "http target",
            TargetKind::Postgres => "postgres",
            TargetKind::Redis => "redis",
            TargetKind::Command => "command",
        }
    }
}

/// The type of a check parameter; values are validated and normalised to JSON by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// A duration such as `30s`, `200ms`, `2m`; stored as whole milliseconds.
    DurationMs,
    Text,
    Bool,
    /// A list of text values (comma-separated when written inline).
    TextList,
}

/// One parameter a check accepts.
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    pub name: &'static str,
    pub kind: ParamKind,
    /// The default, as it would be written in an annotation.
    pub default: Option<&'static str>,
    /// A binding without this parameter is refused (auto-binders always supply it).
    pub required: bool,
    pub doc: &'static str,
}

/// A check's documentation, shown by `gonogo checks explain ID`. Every field is required; a
/// catalogue test fails when one is empty.
#[derive(Debug, Clone, Copy)]
pub struct CheckDocs {
    /// What it checks, in a sentence or two.
    pub what: &'static str,
    /// Why it matters in production.
    pub why: &'static str,
    /// How to make it pass.
    pub fix: &'static str,
    /// A small example of something that passes (file layout, config, command…).
    pub example: &'static str,
    /// Checklist wordings that bind to this check automatically (tested).
    pub binds: &'static [&'static str],
    /// Similar wordings that must not bind to it (tested).
    pub not_binds: &'static [&'static str],
}

/// How a binder's decline begins when the item says words the binder does not know
/// (`Declined { why }`); binding may ask again with the item's concepts alone.
pub const SAYS_MORE: &str = "the item claims more than ";

/// Everything declared about a check.
#[derive(Debug, Clone, Copy)]
pub struct CheckMeta {
    /// `family.kebab-name`, naming the property that must hold. Permanent once released.
    pub id: &'static str,
    pub title: &'static str,
    pub target: TargetKind,
    pub params: &'static [ParamSpec],
    pub docs: CheckDocs,
}

impl CheckMeta {
    pub fn family(&self) -> &'static str {
        self.id.split('.').next().unwrap_or(self.id)
    }

    pub fn param(&self, name: &str) -> Option<&'static ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// Parameter values, by name, already validated against the check's `ParamSpec`s.
pub type Params = BTreeMap<String, Value>;

/// What a check proposes when an item's wording fits it.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoBinding {
    pub params: Params,
    /// Why it bound, for `gonogo map` ("wording mentions README").
    pub reason: String,
}

impl AutoBinding {
    pub fn new(reason: impl Into<String>) -> Self {
        AutoBinding {
            params: Params::new(),
            reason: reason.into(),
        }
    }

    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.params.insert(name.to_string(), value.into());
        self
    }
}

/// The answer of a check's binder for one item.
#[derive(Debug, Clone, PartialEq)]
pub enum BindVerdict {
    /// Not about this check.
    No,
    /// Bind with these parameters; several bindings (e.g. one per command) are allowed.
    Bind(Vec<AutoBinding>),
    /// Close, but deliberately not bound automatically: `why` explains the item's `manual`
    /// status, and `candidates` are what an explicit annotation or rule naming this check binds.
    Declined {
        why: String,
        candidates: Vec<AutoBinding>,
    },
}

/// What binding sees of an item: the item plus what surrounds it.
#[derive(Debug, Clone, Copy)]
pub struct ItemView<'a> {
    pub item: &'a Item,
    /// Lowercased display text with whitespace collapsed (the common input of matchers).
    pub lower: &'a str,
    /// The enclosing task item's lowercased display text, for sub-items ("Installation
    /// instructions" under "README.md updated").
    pub parent_lower: Option<&'a str>,
    /// Code blocks of the item's section that are not inside any item.
    pub section_blocks: &'a [CodeBlock],
    /// Tables of the item's section.
    pub section_tables: &'a [Table],
    /// Every table of the checklist, in file order (a "Health Check Endpoints" table in one
    /// section states what a "Health checks passing" item in another expects).
    pub checklist_tables: &'a [Table],
    /// Every section of the checklist, for what an item refers to elsewhere (a "Required
    /// Environment Variables" block in another section).
    pub checklist_sections: &'a [crate::model::Section],
}

/// A check's result (the run stage adds its duration).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: CheckStatus,
    /// One line a person can act on.
    pub message: String,
    pub evidence: Vec<Evidence>,
    /// Values the check measured, with the limit each was judged against, so reports can
    /// show them side by side (and the HTML report can chart latency percentiles).
    pub measures: Vec<Measure>,
}

/// One measured value: `p95 = 87.2 ms` against `limit 200 ms`.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// What was measured: `p95`, `error rate`, `days left`, `throughput`.
    pub name: String,
    pub value: f64,
    /// `ms`, `%`, `days`, `req/s`, `connections`… (empty for a bare count).
    pub unit: String,
    /// The threshold from the item or parameters, when this value was judged.
    pub limit: Option<Limit>,
}

/// A threshold and its direction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// The value must be below this.
    Below(f64),
    /// The value may reach this, not pass it.
    AtMost(f64),
    /// The value must be at least this.
    AtLeast(f64),
}

impl Limit {
    pub fn value(self) -> f64 {
        match self {
            Limit::Below(v) | Limit::AtMost(v) | Limit::AtLeast(v) => v,
        }
    }
    /// `<` or `≥`, as a report shows it.
    pub fn symbol(self) -> &'static str {
        match self {
            Limit::Below(_) => "<",
            Limit::AtMost(_) => "≤",
            Limit::AtLeast(_) => "≥",
        }
    }
    pub fn holds(self, value: f64) -> bool {
        match self {
            Limit::Below(l) => value < l,
            Limit::AtMost(l) => value <= l,
            Limit::AtLeast(l) => value >= l,
        }
    }
}

impl Measure {
    pub fn new(name: impl Into<String>, value: f64, unit: impl Into<String>) -> Self {
        Measure {
            name: name.into(),
            value,
            unit: unit.into(),
            limit: None,
        }
    }
    pub fn limit(mut self, limit: Limit) -> Self {
        self.limit = Some(limit);
        self
    }
}

impl Outcome {
    pub fn pass(message: impl Into<String>) -> Self {
        Self::of(CheckStatus::Pass, message)
    }
    pub fn fail(message: impl Into<String>) -> Self {
        Self::of(CheckStatus::Fail, message)
    }
    pub fn error(message: impl Into<String>) -> Self {
        Self::of(CheckStatus::Error, message)
    }
    pub fn skipped(message: impl Into<String>) -> Self {
        Self::of(CheckStatus::Skipped, message)
    }
    fn of(status: CheckStatus, message: impl Into<String>) -> Self {
        Outcome {
            status,
            message: message.into(),
            evidence: Vec::new(),
            measures: Vec::new(),
        }
    }
    pub fn with_evidence(mut self, evidence: Evidence) -> Self {
        self.evidence.push(evidence);
        self
    }
    pub fn with_measure(mut self, measure: Measure) -> Self {
        self.measures.push(measure);
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CheckStatus {
    Pass,
    Fail,
    Error,
    Skipped,
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "fail",
            CheckStatus::Error => "error",
            CheckStatus::Skipped => "skipped",
        }
    }
}

/// Where something was seen, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub detail: String,
}

impl Evidence {
    pub fn detail(detail: impl Into<String>) -> Self {
        Evidence {
            file: None,
            line: None,
            detail: detail.into(),
        }
    }
    pub fn at(file: impl Into<String>, line: Option<usize>, detail: impl Into<String>) -> Self {
        Evidence {
            file: Some(file.into()),
            line,
            detail: detail.into(),
        }
    }
}

/// A check: declared metadata, a binder over wording, and an async run.
#[async_trait::async_trait]
pub trait Check: Send + Sync + 'static {
    fn meta(&self) -> &'static CheckMeta;

    /// Automatic binding from the item's wording. Precision first: a wrong binding is worse
    /// than none, so answer `No` (or `Declined` with a reason) when in doubt.
    fn bind(&self, item: &ItemView<'_>) -> BindVerdict;

    /// Words that make the binder worth asking: whenever `bind` could answer anything but
    /// `No`, one of them occurs (ASCII case ignored, as a substring) in the item's text, its
    /// parent's, its notes, its code or its section headings. One Aho-Corasick pass per item
    /// over every check's triggers picks the binders to ask, so binding cost follows the
    /// checks an item mentions, not the size of the catalogue. Empty (the default): always
    /// asked. `tests/triggers.rs` in the checks crate proves the promise over every known
    /// wording.
    fn triggers(&self) -> Vec<&'static str> {
        Vec::new()
    }

    /// Vocabulary concepts (`understand/vocabulary.toml` ids) this check shows when an item
    /// names nothing else: "Network policies", "SAST implementation", "Dashboards in place".
    /// Binding falls back on them when no binder recognises the item and this check's own
    /// binder did not decline it (`understand::topic`); a concept a check only partly shows
    /// is not declared. Empty (the default): the check binds by its own wording only.
    fn concepts(&self) -> &'static [&'static str] {
        &[]
    }

    /// Whether the check still shows a part of an item it declined only for claiming more
    /// than it can show (`SAYS_MORE`): what the item is about must exist and work as the
    /// check judges it for the item to hold at all, so the check's FAIL fails the item too,
    /// and the words beyond are a person's to vouch for ("Is there an alert for every key
    /// metric?": without alert rules there is none). The item is then partly automated: the
    /// check runs and a person signs the rest. `false` (the default): such an item stays
    /// wholly a person's, as for checks whose subject an item can hold without (a CI file
    /// for "deployed via the CI solution" may live in another repository).
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        false
    }

    /// What a binding still lacks once the item's, the team's and the check's own values are
    /// in, when the check needs one of several parameters none of which is `required` alone
    /// ("max_ms or max_error_rate"). `None`: it can run. An automatic binding that lacks
    /// something is declined with this reason, so the item says where to give it.
    fn lacks(&self, _params: &Params) -> Option<String> {
        None
    }

    /// Run with validated parameters. Problems with the thing inspected are `error` outcomes.
    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome;
}

/// The set of checks known to this build.
#[derive(Clone, Default)]
pub struct Catalogue {
    checks: Vec<Arc<dyn Check>>,
}

impl fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.checks.iter().map(|c| c.meta().id))
            .finish()
    }
}

impl Catalogue {
    pub fn new(checks: Vec<Arc<dyn Check>>) -> Self {
        let mut checks = checks;
        checks.sort_by_key(|c| c.meta().id);
        Catalogue { checks }
    }

    pub fn get(&self, id: &str) -> Option<&Arc<dyn Check>> {
        self.checks
            .binary_search_by_key(&id, |c| c.meta().id)
            .ok()
            .map(|i| &self.checks[i])
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<dyn Check>> {
        self.checks.iter()
    }

    pub fn len(&self) -> usize {
        self.checks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.checks.is_empty()
    }
}

/// Validate and normalise a parameter value written as text (annotation or config).
pub fn parse_param(spec: &ParamSpec, raw: &str) -> Result<Value, String> {
    let raw = raw.trim();
    match spec.kind {
        ParamKind::Integer => raw
            .replace('_', "")
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("`{}` takes a whole number, not `{raw}`", spec.name)),
        ParamKind::Number => raw
            .trim_end_matches('%')
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("`{}` takes a number, not `{raw}`", spec.name)),
        ParamKind::DurationMs => crate::extract::parse_duration_ms(raw)
            .map(Value::from)
            .ok_or_else(|| {
                format!(
                    "`{}` takes a duration such as 500ms, 30s or 2m, not `{raw}`",
                    spec.name
                )
            }),
        ParamKind::Bool => match raw.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Ok(Value::Bool(true)),
            "false" | "no" | "off" | "0" => Ok(Value::Bool(false)),
            _ => Err(format!("`{}` takes true or false, not `{raw}`", spec.name)),
        },
        ParamKind::Text => Ok(Value::String(raw.to_string())),
        ParamKind::TextList => Ok(Value::Array(
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        )),
    }
}

/// Validate a JSON value (from TOML config) against the spec, normalising it.
pub fn check_param_value(spec: &ParamSpec, value: &Value) -> Result<Value, String> {
    match (spec.kind, value) {
        (ParamKind::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(value.clone()),
        (ParamKind::Number, Value::Number(_)) => Ok(value.clone()),
        (ParamKind::DurationMs, Value::Number(n)) if n.is_u64() => Ok(value.clone()),
        (ParamKind::Bool, Value::Bool(_)) => Ok(value.clone()),
        (ParamKind::Text, Value::String(_)) => Ok(value.clone()),
        (ParamKind::TextList, Value::Array(a)) if a.iter().all(Value::is_string) => {
            Ok(value.clone())
        }
        (_, Value::String(s)) => parse_param(spec, s),
        _ => Err(format!(
            "`{}` has the wrong type ({})",
            spec.name,
            match spec.kind {
                ParamKind::Integer => "expected a whole number",
                ParamKind::Number => "expected a number",
                ParamKind::DurationMs => "expected a duration string such as \"30s\"",
                ParamKind::Bool => "expected true or false",
                ParamKind::Text => "expected a string",
                ParamKind::TextList => "expected a list of strings",
            }
        )),
    }
}

/// The text values of a list parameter (`ParamKind::TextList`), in order; none when absent.
pub fn text_list(params: &Params, name: &str) -> Vec<String> {
    params
        .get(name)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Fill in declared defaults for parameters that were not given.
pub fn with_defaults(meta: &CheckMeta, mut params: Params) -> Params {
    for spec in meta.params {
        if let (false, Some(default)) = (params.contains_key(spec.name), spec.default)
            && let Ok(v) = parse_param(spec, default)
        {
            params.insert(spec.name.to_string(), v);
        }
    }
    params
}
