//! Stage 2: bind each item to checks. Precedence: an inline annotation, then a `[[bind]]`
//! rule of `gonogo.toml`, then automatic binding from the wording. The first that applies
//! decides alone, so a user can always override or silence an automatic binding.

mod annotation;
mod prefilter;

pub use prefilter::{Prefilter, SectionMemo, haystacks};

use std::collections::HashMap;

use serde_json::Value;

use crate::catalogue::{
    AutoBinding, BindVerdict, Catalogue, Check, CheckMeta, ItemView, Params, check_param_value,
    parse_param,
};
use crate::config::Config;
use crate::error::InputError;
use crate::model::{Checklist, Section, Table};
use crate::parse::collapse;
use crate::understand::{Understanding, person_act, understand};

/// Where a binding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindSource {
    Annotation,
    Config,
    Auto,
}

impl BindSource {
    pub fn as_str(self) -> &'static str {
        match self {
            BindSource::Annotation => "annotation",
            BindSource::Config => "config",
            BindSource::Auto => "auto",
        }
    }
}

/// One check bound to one item, with complete parameters.
#[derive(Debug, Clone)]
pub struct Binding {
    pub check: &'static CheckMeta,
    pub params: Params,
    pub reason: String,
    pub source: BindSource,
}

/// The bindings of one item, and why it has none when it has none.
#[derive(Debug, Clone, Default)]
pub struct ItemBindings {
    pub bindings: Vec<Binding>,
    /// Why the item, or the part of it no check covers, is left to a person (shown by `map`
    /// and the reports). Set beside bindings when the item is only partly automated.
    pub manual_reason: Option<String>,
    /// The claims the item makes and what covers each (automatic binding only; empty for
    /// items bound by an annotation or a rule, which cover the item as a whole).
    pub claims: Vec<ClaimCover>,
    /// How sure automatic binding is of its choice.
    pub confidence: Confidence,
}

impl ItemBindings {
    /// Bound to checks, with claims that only a person can cover: the checks run, and the
    /// item needs a sign-off as well.
    pub fn is_partial(&self) -> bool {
        !self.bindings.is_empty() && self.manual_reason.is_some()
    }

    /// The claims no check covers.
    pub fn uncovered(&self) -> impl Iterator<Item = &ClaimCover> {
        self.claims.iter().filter(|c| c.uncovered.is_some())
    }
}

/// One claim of an item, and what covers it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimCover {
    /// The claim as binders read it (normalised, canonical words).
    pub text: String,
    /// Ids of the checks bound for it.
    pub checks: Vec<&'static str>,
    /// Why nothing covers it, when nothing does.
    pub uncovered: Option<Uncovered>,
}

/// Why no check covers a claim.
#[derive(Debug, Clone, PartialEq)]
pub enum Uncovered {
    /// Only a person can vouch for it; the act that says so ("rehearse").
    NeedsPerson(String),
    /// A check covers what the claim is about; these words of it are beyond what the check
    /// shows, for a person to vouch for.
    Beyond(String),
    /// A check recognised it and declined, for this reason.
    Declined(String),
    /// No check recognises it.
    NoCheck,
}

impl Uncovered {
    pub fn kind(&self) -> &'static str {
        match self {
            Uncovered::NeedsPerson(_) | Uncovered::Beyond(_) => "needs-person",
            Uncovered::Declined(_) => "declined",
            Uncovered::NoCheck => "no-check",
        }
    }

    pub fn reason(&self) -> String {
        match self {
            Uncovered::NeedsPerson(act) => format!("\"{act}\" is for a person to vouch for"),
            Uncovered::Beyond(words) => {
                format!("\"{words}\" is more than its check shows: a person vouches for it")
            }
            Uncovered::Declined(why) => why.clone(),
            Uncovered::NoCheck => "no check recognises it".into(),
        }
    }
}

/// How an item came to be bound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Confidence {
    /// Not bound.
    #[default]
    None,
    /// Chosen by the team: an annotation or a `[[bind]]` rule.
    Explicit,
    /// A check recognised the item's own words.
    High,
    /// A check recognised the words after the vocabulary rewrote synonyms or framing.
    Medium,
    /// Bound claim by claim after splitting the item.
    Low,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::None => "none",
            Confidence::Explicit => "explicit",
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

/// Bind every item of every checklist. Errors are the user's: a bad annotation or rule.
pub fn bind_all(
    checklists: &[Checklist],
    catalogue: &Catalogue,
    config: &Config,
) -> Result<Vec<Vec<ItemBindings>>, InputError> {
    // Unknown checks in config rules are reported even when no item matches them.
    for rule in &config.binds {
        if let Some(id) = &rule.check
            && catalogue.get(id).is_none()
        {
            return Err(InputError::new(
                config.path.clone().unwrap_or_default(),
                Some(rule.line),
                unknown_check(id),
            ));
        }
    }
    let prefilter = Prefilter::new(catalogue);
    let defaults = Defaults::new(catalogue, config)?;
    let auto = Auto {
        prefilter: &prefilter,
        defaults: &defaults,
    };
    checklists
        .iter()
        .map(|cl| {
            let views = ViewParts::new(cl);
            let bind_range = |range: std::ops::Range<usize>| {
                let mut memo = SectionMemo::default();
                range
                    .map(|i| {
                        let view = views.view(cl, i);
                        let said = views.understood(i);
                        bind_item(cl, &view, said, catalogue, &auto, &mut memo, config)
                    })
                    .collect::<Vec<_>>()
            };
            // Items bind independently: large checklists use every core.
            let n = cl.items.len();
            let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
            let bound: Vec<_> = if n < 2_000 || threads == 1 {
                bind_range(0..n)
            } else {
                let chunk = n.div_ceil(threads);
                std::thread::scope(|scope| {
                    let handles: Vec<_> = (chunk..n)
                        .step_by(chunk)
                        .map(|start| {
                            let bind_range = &bind_range;
                            scope.spawn(move || bind_range(start..(start + chunk).min(n)))
                        })
                        .collect();
                    // This thread takes the first share itself rather than wait: besides
                    // saving a thread, its allocations come from the main heap, which grows in
                    // large steps, where a new thread's heap grows a page at a time.
                    let mut all = bind_range(0..chunk);
                    for h in handles {
                        all.extend(h.join().expect("binding thread"));
                    }
                    all
                })
            };
            let mut bound = bound.into_iter().collect::<Result<Vec<_>, _>>()?;
            defer_headings(cl, &views, &mut bound);
            Ok(bound)
        })
        .collect()
}

/// "TLS" over sub-items that bind other checks ("TLS 1.2 minimum") is a heading: they say
/// what it asks, and decide it; a check they bind as well stays the heading's. When no
/// sub-item binds a check ("SAST" over "Results block the pipeline"), the heading's own
/// words are the only claim a machine can judge, and they keep their binding.
fn defer_headings(cl: &Checklist, views: &ViewParts, bound: &mut [ItemBindings]) {
    // "Ready" says the heading's subject is there and claims nothing of its own: "CI is
    // ready" over its sub-items is the heading "CI is".
    const BEING: &[&str] = &["ready", "prepared"];
    for (i, item) in cl.items.iter().enumerate() {
        let heading_like = !item.children.is_empty()
            && views
                .understood(i)
                .text
                .split_whitespace()
                .filter(|w| !BEING.contains(w))
                .count()
                <= 2;
        let automatic = bound[i]
            .bindings
            .iter()
            .all(|b| b.source == BindSource::Auto);
        if heading_like
            && automatic
            && !bound[i].bindings.is_empty()
            && item.children.iter().any(|&c| !bound[c].bindings.is_empty())
        {
            // A check the sub-items bind too is what the heading names ("SAST" over "SAST
            // runs on every PR"): it stays, and both show the same run. Same check with other
            // values ("Backups" over "dumps under /var/backups/pg") is not the same run: the
            // sub-item's values decide.
            let shared: Vec<bool> = bound[i]
                .bindings
                .iter()
                .map(|b| {
                    item.children.iter().any(|&c| {
                        bound[c]
                            .bindings
                            .iter()
                            .any(|x| x.check.id == b.check.id && x.params == b.params)
                    })
                })
                .collect();
            let mut keep = shared.into_iter();
            bound[i].bindings.retain(|_| keep.next().unwrap_or(false));
            if bound[i].bindings.is_empty() {
                bound[i] = ItemBindings {
                    manual_reason: Some("a heading over its sub-items, which decide it".into()),
                    ..ItemBindings::default()
                };
            }
        }
    }
}

/// What automatic binding needs besides the item: which binders to ask, and the defaults
/// that complete their parameters.
struct Auto<'a> {
    prefilter: &'a Prefilter,
    defaults: &'a Defaults,
}

/// Each check's parameter defaults, parsed once: tens of thousands of bindings would
/// otherwise parse the same default strings again for every one.
struct Defaults(HashMap<&'static str, Vec<(&'static str, Value)>>);

impl Defaults {
    /// The team's `[checks."ID"]` values first (they win over a check's own defaults), then
    /// the check's defaults. A table naming an unknown check or parameter is the user's error.
    fn new(catalogue: &Catalogue, config: &Config) -> Result<Self, InputError> {
        let mut team: HashMap<&'static str, Vec<(&'static str, Value)>> = HashMap::new();
        for set in &config.check_settings {
            let cfg_path = config.path.clone().unwrap_or_else(|| "gonogo.toml".into());
            let at = |msg: String| InputError::new(&cfg_path, Some(set.line), msg);
            let check = catalogue.get(&set.check).ok_or_else(|| {
                at(format!(
                    "[checks.\"{}\"]: {}",
                    set.check,
                    unknown_check(&set.check)
                ))
            })?;
            let meta = check.meta();
            let values = team.entry(meta.id).or_default();
            for (k, v) in &set.params {
                let spec = meta.param(k).ok_or_else(|| {
                    at(format!(
                        "[checks.\"{}\"]: {}",
                        meta.id,
                        unknown_param(meta, k)
                    ))
                })?;
                let v = check_param_value(spec, v)
                    .map_err(|m| at(format!("[checks.\"{}\"]: {m}", meta.id)))?;
                values.push((spec.name, v));
            }
        }
        Ok(Defaults(
            catalogue
                .iter()
                .map(|check| {
                    let meta = check.meta();
                    let mut values = team.remove(meta.id).unwrap_or_default();
                    values.extend(meta.params.iter().filter_map(|spec| {
                        let v = parse_param(spec, spec.default?).ok()?;
                        Some((spec.name, v))
                    }));
                    (meta.id, values)
                })
                .collect(),
        ))
    }

    /// `with_defaults`, from the parsed defaults.
    fn fill(&self, meta: &CheckMeta, mut params: Params) -> Params {
        for (name, v) in self.0.get(meta.id).into_iter().flatten() {
            if !params.contains_key(*name) {
                params.insert(name.to_string(), v.clone());
            }
        }
        params
    }
}

/// What the `ItemView`s of one checklist share, computed once per checklist.
pub struct ViewParts {
    section_of: Vec<usize>,
    all_tables: Vec<Table>,
    /// What each item says (`understand`): binders read its text, not the item's own.
    understood: Vec<Understanding>,
}

impl ViewParts {
    pub fn new(cl: &Checklist) -> Self {
        ViewParts {
            section_of: section_index(cl),
            all_tables: cl
                .sections
                .iter()
                .flat_map(|s| s.tables.iter().cloned())
                .collect(),
            understood: understand_all(cl),
        }
    }

    /// What the checklist's `i`-th item says.
    pub fn understood(&self, i: usize) -> &Understanding {
        &self.understood[i]
    }

    /// What binders see of the checklist's `i`-th item.
    pub fn view<'a>(&'a self, cl: &'a Checklist, i: usize) -> ItemView<'a> {
        let item = &cl.items[i];
        let sec = &cl.sections[self.section_of[i]];
        ItemView {
            item,
            lower: &self.understood[i].text,
            parent_lower: item.parent.map(|p| self.understood[p].text.as_str()),
            section_blocks: &sec.code_blocks,
            section_tables: &sec.tables,
            checklist_tables: &self.all_tables,
            checklist_sections: &cl.sections,
        }
    }
}

/// Every item understood; a large checklist on every core.
fn understand_all(cl: &Checklist) -> Vec<Understanding> {
    let one = |item: &crate::model::Item| {
        let text = collapse(&item.display_text);
        let parent = item.parent.map(|p| cl.items[p].display_text.as_str());
        // Most items stand under no list of alerts: lowercase only those that do.
        if under_alerts(item.section.last().map(String::as_str), parent) && {
            let lower = text.to_lowercase();
            !lower.split(|c: char| !c.is_alphanumeric()).any(alert_word) && states_condition(&lower)
        } {
            understand(&format!("Alert on {text}"))
        } else {
            understand(&text)
        }
    };
    let n = cl.items.len();
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    if n < 2_000 || threads == 1 {
        return cl.items.iter().map(one).collect();
    }
    let chunk = n.div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = cl.items[chunk..]
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(one).collect::<Vec<_>>()))
            .collect();
        let mut all: Vec<Understanding> = cl.items[..chunk].iter().map(one).collect();
        for h in handles {
            all.extend(h.join().expect("understanding thread"));
        }
        all
    })
}

/// A word that names alerting ("alerts", "alarm", "paged").
fn alert_word(w: &str) -> bool {
    w.starts_with("alert")
        || w.starts_with("alarm")
        || matches!(w, "page" | "pages" | "paging" | "paged")
}

/// Whether `lower` reads as a condition to alert on ("Memory usage > 90%", "Health check
/// failure", "Service down"), not as a part of alerting set up ("Slack notifications
/// configured", "On-call rotation set up").
fn states_condition(lower: &str) -> bool {
    const CONDITION: &[&str] = &[
        "above",
        "below",
        "over",
        "under",
        "exceeds",
        "exceeded",
        "failure",
        "failures",
        "fails",
        "failing",
        "failed",
        "down",
        "error",
        "errors",
        "usage",
        "high",
        "low",
        "spike",
        "spikes",
        "drop",
        "drops",
        "latency",
        "expires",
        "expiry",
        "expiring",
        "full",
        "crash",
        "crashes",
        "restarts",
        "lag",
        "unreachable",
        "unavailable",
        "saturation",
        "slow",
    ];
    lower.contains(['>', '<', '%', '≥', '≤'])
        || lower.chars().any(|c| c.is_ascii_digit())
        || lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| CONDITION.contains(&w))
}

/// Whether an item stands in a list of alert conditions: under a heading that names alerts
/// and nothing else ("Alerts to Configure", "Alerting rules"), or below a short parent item
/// that does ("Alerts configured for:"). Such an item ("Memory usage > 90% of limit",
/// "Health check failure") is a condition to alert on, not a claim about the service itself.
fn under_alerts(heading: Option<&str>, parent: Option<&str>) -> bool {
    const ABOUT: &[&str] = &[
        "alert",
        "alerts",
        "alerting",
        "alarm",
        "alarms",
        "rules",
        "rule",
        "to",
        "configure",
        "configured",
        "create",
        "set",
        "up",
        "add",
        "required",
        "recommended",
        "key",
        "critical",
        "for",
        "paging",
        "conditions",
        "defined",
        "in",
        "place",
        "on",
    ];
    let words = |text: &str| -> Vec<String> {
        text.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
            .map(str::to_string)
            .collect()
    };
    let only_alerts = |text: &str, most: usize| {
        let words = words(text);
        !words.is_empty()
            && words.len() <= most
            && words.iter().all(|w| ABOUT.contains(&w.as_str()))
            && words
                .iter()
                .any(|w| w.starts_with("alert") || w.starts_with("alarm"))
    };
    // A parent that introduces a list ("Pages go to on-call for:") names its conditions.
    let introduces = |p: &str| {
        let p = p.trim();
        p.ends_with(':')
            && p.split_whitespace().count() <= 10
            && words(p).iter().any(|w| alert_word(w))
    };
    heading.is_some_and(|h| only_alerts(h, 5))
        || parent.is_some_and(|p| only_alerts(p, 6) || introduces(p))
}

/// For each item, the section (heading) it is under.
fn section_index(cl: &Checklist) -> Vec<usize> {
    cl.items
        .iter()
        .map(|item| {
            let heading_line = |s: &Section| s.line;
            match cl
                .sections
                .partition_point(|s| heading_line(s) <= item.line)
            {
                0 => 0,
                n => n - 1,
            }
        })
        .collect()
}

fn bind_item(
    cl: &Checklist,
    view: &ItemView<'_>,
    said: &Understanding,
    catalogue: &Catalogue,
    auto: &Auto<'_>,
    memo: &mut SectionMemo,
    config: &Config,
) -> Result<ItemBindings, InputError> {
    let item = view.item;
    if !item.annotations.is_empty() {
        let mut out = ItemBindings::default();
        for ann in &item.annotations {
            let at = |msg: String| InputError::new(&cl.path, Some(ann.line), msg);
            let parsed = annotation::parse(&ann.body).map_err(at)?;
            if parsed.check == "manual" {
                out.manual_reason = Some("marked manual by an annotation".into());
                continue;
            }
            let check = catalogue
                .get(&parsed.check)
                .ok_or_else(|| at(unknown_check(&parsed.check)))?;
            let meta = check.meta();
            let mut given = Params::new();
            for (k, v) in &parsed.params {
                let spec = meta.param(k).ok_or_else(|| at(unknown_param(meta, k)))?;
                given.insert(k.clone(), parse_param(spec, v).map_err(at)?);
            }
            for b in overlay(check.bind(view), &given) {
                let params = complete(meta, auto.defaults.fill(meta, b.params)).map_err(at)?;
                out.bindings.push(Binding {
                    check: meta,
                    params,
                    reason: format!("annotation on line {}", ann.line),
                    source: BindSource::Annotation,
                });
            }
        }
        out.confidence = explicit(&out);
        return Ok(out);
    }

    let rules: Vec<_> = config
        .binds
        .iter()
        .filter(|r| r.matches(&item.id, &item.display_text))
        .collect();
    if !rules.is_empty() {
        let cfg_path = config.path.clone().unwrap_or_else(|| "gonogo.toml".into());
        let mut out = ItemBindings::default();
        for rule in rules {
            let at = |msg: String| InputError::new(&cfg_path, Some(rule.line), msg);
            let Some(id) = &rule.check else {
                out.manual_reason = Some(format!("kept manual by {cfg_path}:{}", rule.line));
                continue;
            };
            let check = catalogue.get(id).ok_or_else(|| at(unknown_check(id)))?;
            let meta = check.meta();
            let mut given = Params::new();
            for (k, v) in &rule.params {
                let spec = meta.param(k).ok_or_else(|| at(unknown_param(meta, k)))?;
                given.insert(k.clone(), check_param_value(spec, v).map_err(at)?);
            }
            for b in overlay(check.bind(view), &given) {
                out.bindings.push(Binding {
                    check: meta,
                    params: complete(meta, auto.defaults.fill(meta, b.params)).map_err(at)?,
                    reason: format!("[[bind]] rule at {cfg_path}:{}", rule.line),
                    source: BindSource::Config,
                });
            }
        }
        out.confidence = explicit(&out);
        return Ok(out);
    }

    Ok(bind_auto(view, said, catalogue, auto, memo))
}

/// What the binders asked about one text found: bindings, and the reasons of those that
/// declined.
#[derive(Default)]
struct Asked {
    bindings: Vec<Binding>,
    declined: Vec<String>,
}

/// A binder that recognised the text but declined for words it does not know: the words,
/// and what it would have bound.
struct SaidMore<'c> {
    check: &'c dyn Check,
    extra: Vec<String>,
    candidates: Vec<AutoBinding>,
}

/// How a jointly covering binding's reason starts.
const JOINTLY: &str = "covered jointly with ";

/// How the reason of a binding that covers part of its claim starts; the words beyond
/// follow in brackets.
const PARTLY: &str = "shows part of it, a person vouches for the rest ";

/// Words beyond a check's that make the item about another thing than the check's subject,
/// which a FAIL of the check does not disprove: a record of it ("load test results
/// documented and published"), who may use it ("a replication-only user created"), its
/// absence or opposite ("network policies disabled"), or another environment ("in staging").
const ABOUT_ANOTHER_THING: &[&str] = &[
    "not",
    "no",
    "never",
    "without",
    "except",
    "unless",
    "optional",
    "disabled",
    "off",
    "removed",
    "deleted",
    "staging",
    "dev",
    "development",
    "sandbox",
    "local",
    "locally",
    "documented",
    "published",
    "recorded",
    "reported",
    "shared",
    "committed",
    "versioned",
    "result",
    "results",
    "user",
    "users",
    "role",
    "roles",
    "account",
    "accounts",
    "permission",
    "permissions",
];

/// The most words beyond its own a check that `shows_part` may leave to a person: more, and
/// the item is about something else that merely names the check's subject.
const PART_EXTRA_WORDS: usize = 3;

/// The words a `SAYS_MORE` decline names: `… can show (word word)`.
fn extra_words(why: &str) -> Option<Vec<String>> {
    let rest = why.strip_prefix(crate::catalogue::SAYS_MORE)?;
    let (_, words) = rest.rsplit_once(" (")?;
    let words = words.strip_suffix(')')?;
    Some(words.split_whitespace().map(str::to_string).collect())
}

/// Joint coverage: binders that each declined only for words another of them shows ("A
/// /healthz endpoint for the liveness probe": the probe check leaves "healthz endpoint", the
/// health check leaves "liveness probe") cover the item together. The smallest such set
/// wins; a word every one of them leaves over keeps the item a person's.
fn jointly<'a, 'c>(said: &'a [SaidMore<'c>]) -> Option<Vec<&'a SaidMore<'c>>> {
    let n = said.len().min(6);
    let covers = |set: &[&SaidMore]| {
        set.len() >= 2
            && set.iter().all(|s| !s.extra.is_empty())
            && set.iter().all(|s| {
                s.extra
                    .iter()
                    .all(|w| set.iter().any(|o| !o.extra.contains(w)))
            })
    };
    for i in 0..n {
        for j in i + 1..n {
            let pair = [&said[i], &said[j]];
            if covers(&pair) {
                return Some(pair.to_vec());
            }
        }
    }
    for i in 0..n {
        for j in i + 1..n {
            for k in j + 1..n {
                let three = [&said[i], &said[j], &said[k]];
                if covers(&three) {
                    return Some(three.to_vec());
                }
            }
        }
    }
    None
}

/// Ask the binders the prefilter picks about `view`.
fn ask(
    view: &ItemView<'_>,
    catalogue: &Catalogue,
    auto: &Auto<'_>,
    memo: &mut SectionMemo,
) -> Asked {
    ask_except(view, catalogue, auto, memo, None)
}

/// `ask`, leaving out the checks `known` already bound and the binders asked about every
/// text (they read the item's code, which its claims share): what a claim adds to a whole
/// item's binding. Most claims name no other check, and then no binder is asked at all.
fn ask_except(
    view: &ItemView<'_>,
    catalogue: &Catalogue,
    auto: &Auto<'_>,
    memo: &mut SectionMemo,
    known: Option<&[&'static str]>,
) -> Asked {
    let mut out = Asked::default();
    let ask = auto.prefilter.candidates(view, memo);
    let wanted = |i: usize, id: &str| {
        ask[i] && known.is_none_or(|k| !auto.prefilter.always_asked(i) && !k.contains(&id))
    };
    // Checks whose answer stands: not asked again in a topic's canonical words.
    let mut settled: Vec<&'static str> = Vec::new();
    let mut said_more: Vec<SaidMore> = Vec::new();
    for (_, check) in catalogue
        .iter()
        .enumerate()
        .filter(|(i, c)| wanted(*i, c.meta().id))
    {
        match check.bind(view) {
            BindVerdict::No => {}
            BindVerdict::Declined { why, candidates } => {
                // Declined for words it does not know, which a topic may show are only
                // words of existence; any other reason stands.
                if !why.starts_with(crate::catalogue::SAYS_MORE) {
                    settled.push(check.meta().id);
                } else if let Some(extra) = extra_words(&why)
                    && !candidates.is_empty()
                {
                    said_more.push(SaidMore {
                        check: check.as_ref(),
                        extra,
                        candidates,
                    });
                }
                out.declined.push(why);
            }
            BindVerdict::Bind(found) => {
                // Recognised, even if a value is missing: asking again adds nothing.
                settled.push(check.meta().id);
                for b in found {
                    out.offer(check.as_ref(), auto, b);
                }
            }
        }
    }
    if known.is_none()
        && out.bindings.is_empty()
        && let Some(set) = jointly(&said_more)
    {
        let names: Vec<&str> = set.iter().map(|s| s.check.meta().id).collect();
        for s in &set {
            for mut b in s.candidates.clone() {
                b.reason = format!("{JOINTLY}{}: {}", names.join(", "), b.reason);
                out.offer(s.check, auto, b);
            }
        }
        return out;
    }
    // Still nothing: a check that declined only for words beyond what it shows, and shows a
    // part the item cannot hold without, covers that part; the words beyond go to a person.
    // Not when another check recognised words this one leaves over: the item names that
    // check's subject too, and which of them it is about is for the claims to settle.
    if known.is_none() && out.bindings.is_empty() {
        let names_another = |s: &SaidMore| {
            said_more.iter().any(|o| {
                o.check.meta().id != s.check.meta().id
                    && s.extra.iter().any(|w| !o.extra.contains(w))
            })
        };
        for s in said_more.iter().filter(|s| {
            s.extra.len() <= PART_EXTRA_WORDS
                && !s
                    .extra
                    .iter()
                    .any(|w| ABOUT_ANOTHER_THING.contains(&w.as_str()))
                && !s.extra.join(" ").contains("version control")
                && !names_another(s)
                && s.check.shows_part(view)
        }) {
            for mut b in s.candidates.clone() {
                b.reason = format!("{PARTLY}({}): {}", s.extra.join(" "), b.reason);
                out.offer(s.check, auto, b);
            }
        }
        if !out.bindings.is_empty() {
            return out;
        }
    }
    // No binder knows the wording, yet it names only what some checks declare they show
    // ("Networking policies", "SAST implementation"): those checks are asked again with the
    // concepts' canonical words alone, so their own judgement of context still holds.
    if known.is_none()
        && out.bindings.is_empty()
        && let Some((named, in_repository)) = crate::understand::topic(view.lower)
    {
        let canonical = crate::understand::canonical_of(&named).join(" and ");
        let as_named = ItemView {
            lower: &canonical,
            ..*view
        };
        for check in catalogue.iter().filter(|c| {
            !settled.contains(&c.meta().id)
                && c.concepts().iter().any(|k| named.contains(k))
                && (!in_repository || c.meta().target == crate::catalogue::TargetKind::Repository)
        }) {
            if let BindVerdict::Bind(found) = check.bind(&as_named) {
                for mut b in found {
                    b.reason = format!("names {canonical} and no more: {}", b.reason);
                    out.offer(check.as_ref(), auto, b);
                }
            }
        }
    }
    out
}

impl Asked {
    /// Take a binder's proposal, with the values it needs, or say which it lacks.
    fn offer(&mut self, check: &dyn Check, auto: &Auto<'_>, b: AutoBinding) {
        let meta = check.meta();
        // A value only the team knows (where backups are written) and neither the item nor
        // `[checks."ID"]` gives: the check recognised the item, but cannot run without it.
        // Say which value, and where to give it.
        match complete(meta, auto.defaults.fill(meta, b.params)).and_then(|p| {
            match check.lacks(&p) {
                Some(what) => Err(what),
                None => Ok(p),
            }
        }) {
            Ok(params) => self.bindings.push(Binding {
                check: meta,
                params,
                reason: b.reason,
                source: BindSource::Auto,
            }),
            Err(missing) => self.declined.push(format!(
                "{missing}: give it under [checks.\"{}\"] in gonogo.toml, or annotate the item",
                meta.id
            )),
        }
    }
}

/// Automatic binding. The whole item first: when checks recognise it as it stands, they
/// cover all it says. Otherwise each claim on its own, so an item naming three checks runs
/// all three, and what no check covers is left to a person beside them.
fn bind_auto(
    view: &ItemView<'_>,
    said: &Understanding,
    catalogue: &Catalogue,
    auto: &Auto<'_>,
    memo: &mut SectionMemo,
) -> ItemBindings {
    let item = view.item;
    if let Some(wh) = asks_which(&item.display_text) {
        return ItemBindings {
            manual_reason: Some(format!(
                "a \"{wh} …\" question or title asks a person for an answer; no check can give it"
            )),
            ..ItemBindings::default()
        };
    }
    let mut whole = ask(view, catalogue, auto, memo);
    // An item of several claims that binds only jointly, or only for a part of it, is judged
    // claim by claim instead, so each claim names the check that covers it.
    if said.claims.len() > 1
        && !whole.bindings.is_empty()
        && whole
            .bindings
            .iter()
            .all(|b| b.reason.starts_with(JOINTLY) || b.reason.starts_with(PARTLY))
    {
        whole.bindings.clear();
    }
    let mut acts: Vec<Option<&'static str>> =
        said.claims.iter().map(|c| person_act(&c.text)).collect();
    // "Identify KPIs and metrics", "understand the implications to data persistence, backup
    // and recovery": a claim that opens with a person's act governs the short noun phrases
    // listed after it ("metrics", "backup" are to be identified or understood, not checked).
    let mut governing: Option<&'static str> = None;
    for (k, c) in said.claims.iter().enumerate() {
        match acts[k] {
            Some(act)
                if c.text
                    .split_whitespace()
                    .next()
                    .zip(act.split_whitespace().next())
                    .is_some_and(|(w, a)| crate::understand::same_word(w, a)) =>
            {
                governing = Some(act);
            }
            Some(_) => governing = None,
            None if c.text.split_whitespace().count() <= 3 => acts[k] = governing,
            None => governing = None,
        }
    }
    // What a concept's canonical words leave to a person does not split the item: the
    // whole is bound as said, and that part signed.
    let split = said.claims.iter().filter(|c| !c.rest).count() > 1
        && (whole.bindings.is_empty()
            || said
                .claims
                .iter()
                .zip(&acts)
                .any(|(c, a)| a.is_some() && !c.rest));
    if !split {
        let mut out = ItemBindings {
            confidence: if whole.bindings.is_empty() {
                Confidence::None
            } else if said.rewritten {
                Confidence::Medium
            } else {
                Confidence::High
            },
            ..ItemBindings::default()
        };
        let mut whole = whole;
        // Checks that accept the whole item may tolerate a claim they do not judge ("README
        // present and /health returns 200" is a health check's as written): a claim that
        // binds another check on its own brings that check too.
        let mut own: Vec<Vec<&'static str>> = vec![Vec::new(); said.claims.len()];
        let first = ids_of(&whole.bindings);
        if said.claims.len() > 1 && !whole.bindings.is_empty() {
            // A defined term adds nothing to an item that binds as a whole.
            for (k, claim) in said.claims.iter().enumerate().filter(|(_, c)| !c.topic) {
                let claim_view = ItemView {
                    lower: &claim.text,
                    ..*view
                };
                for b in ask_except(&claim_view, catalogue, auto, memo, Some(&first)).bindings {
                    if !first.contains(&b.check.id) {
                        own[k].push(b.check.id);
                        if !whole
                            .bindings
                            .iter()
                            .any(|o| o.check.id == b.check.id && o.params == b.params)
                        {
                            whole.bindings.push(b);
                        }
                    }
                }
            }
        }
        let ids = ids_of(&whole.bindings);
        out.claims = said
            .claims
            .iter()
            .zip(&acts)
            .zip(&own)
            .map(|((c, act), own)| ClaimCover {
                text: c.text.clone(),
                checks: if own.is_empty() {
                    first.clone()
                } else {
                    own.clone()
                },
                uncovered: match act {
                    // Bound, yet a person's act: the checks run and a person signs too.
                    Some(act) => Some(Uncovered::NeedsPerson(act.to_string())),
                    None if ids.is_empty() => Some(uncovered_why(&whole.declined)),
                    None => None,
                },
            })
            .collect();
        out.bindings = whole.bindings;
        mark_beyond(&mut out);
        out.manual_reason = if out.bindings.is_empty() {
            Some(manual_why(item, &whole.declined, first_act(&acts), false))
        } else {
            person_part(&out.claims)
        };
        return out;
    }

    let mut out = ItemBindings::default();
    let long_passage = said.text.split_whitespace().count() > LONG_PASSAGE_WORDS;
    for (claim, act) in said.claims.iter().zip(&acts) {
        let mut cover = ClaimCover {
            text: claim.text.clone(),
            checks: Vec::new(),
            uncovered: None,
        };
        if let Some(act) = act {
            cover.uncovered = Some(Uncovered::NeedsPerson(act.to_string()));
            out.claims.push(cover);
            continue;
        }
        // In a long passage, a bare noun of a list ("… include virus scans, secret
        // rotations, backups, reindexing databases") is an example of what the passage is
        // about, not a claim of its own.
        if long_passage && claim.text.split_whitespace().count() <= 2 && !claim.topic {
            cover.uncovered = Some(Uncovered::Declined(
                "one noun of a list in a long passage: an example, not a claim of its own".into(),
            ));
            out.claims.push(cover);
            continue;
        }
        let claim_view = ItemView {
            lower: &claim.text,
            ..*view
        };
        let asked = crate::understand::strictly(|| ask(&claim_view, catalogue, auto, memo));
        // A term no check knows is still said by every claim about it: nothing of its own
        // is left uncovered.
        if claim.topic && asked.bindings.is_empty() {
            continue;
        }
        cover.checks = ids_of(&asked.bindings);
        if asked.bindings.is_empty() {
            cover.uncovered = Some(uncovered_why(&asked.declined));
        } else if let Some(words) = asked.bindings.iter().find_map(|b| beyond_words(&b.reason)) {
            cover.uncovered = Some(Uncovered::Beyond(words));
        }
        for b in asked.bindings {
            let seen = out
                .bindings
                .iter()
                .any(|o| o.check.id == b.check.id && o.params == b.params);
            if !seen {
                out.bindings.push(b);
            }
        }
        out.claims.push(cover);
    }
    if out.bindings.is_empty() {
        // No claim alone binds either: the item is a person's, for the reasons the whole
        // item gave (they name the item as written).
        // When the whole item raised nothing, its claims' own declines say why ("backups
        // automated and tested": each claim's check lacks a value the team must give).
        let declined = if whole.declined.is_empty() {
            let mut own: Vec<String> = Vec::new();
            for c in &out.claims {
                if let Some(Uncovered::Declined(why)) = &c.uncovered
                    && !own.contains(why)
                {
                    own.push(why.clone());
                }
            }
            own
        } else {
            whole.declined
        };
        let mut alone = ItemBindings {
            claims: out.claims,
            ..ItemBindings::default()
        };
        alone.manual_reason = Some(manual_why(item, &declined, first_act(&acts), true));
        return alone;
    }
    out.confidence = Confidence::Low;
    out.manual_reason = person_part(&out.claims);
    out
}

/// The words a binding that covers part of its claim leaves to a person (`PARTLY`).
fn beyond_words(reason: &str) -> Option<String> {
    let (words, _) = reason
        .strip_prefix(PARTLY)?
        .strip_prefix('(')?
        .split_once("): ")?;
    Some(words.to_string())
}

/// A binding of the whole item that covers part of its claim (`PARTLY`) leaves the words
/// beyond to a person: the claims it covers say so, so the item waits for a sign-off as well.
/// (Bound claim by claim, each claim says so where it is asked.)
fn mark_beyond(out: &mut ItemBindings) {
    for b in &out.bindings {
        let Some(words) = beyond_words(&b.reason) else {
            continue;
        };
        let mut marked = false;
        for c in out
            .claims
            .iter_mut()
            .filter(|c| c.checks.contains(&b.check.id))
        {
            marked = true;
            if c.uncovered.is_none() {
                c.uncovered = Some(Uncovered::Beyond(words.clone()));
            }
        }
        if !marked {
            out.claims.push(ClaimCover {
                text: words.clone(),
                checks: Vec::new(),
                uncovered: Some(Uncovered::Beyond(words)),
            });
        }
    }
}

/// Words beyond which an item is a passage of prose rather than a checklist line: its bare
/// list nouns are examples (the longest real checklist lines that list claims, such as
/// "Security design review, security code audit, spam risk, authentication, SSL", are well
/// under this).
const LONG_PASSAGE_WORDS: usize = 24;

/// The opening word of a question that asks for a choice or a name ("What platform do we use
/// for alerting?", "Who owns the service?"), not whether something holds: no check's PASS
/// answers it. "How often…?" and "Is…?" questions are left to the binders.
/// A short title worded like one ("What SAST detects", "Which tools to use") names a topic
/// the same way and claims nothing either.
fn asks_which(text: &str) -> Option<&'static str> {
    let t = text.trim().trim_matches('*').trim();
    let words: Vec<String> = t.split_whitespace().map(str::to_lowercase).collect();
    let question = t.ends_with('?') && !t[..t.len() - 1].contains(['?', '.']);
    let title = words.len() <= 4
        && !t.contains(['?', '.', ',', ':'])
        && !words.iter().any(|w| {
            matches!(
                w.as_str(),
                "is" | "are" | "was" | "were" | "be" | "has" | "have"
            )
        });
    if !question && !title {
        return None;
    }
    let first = words.first()?;
    ["what", "which", "who", "whom", "where"]
        .into_iter()
        .find(|w| first == w)
}

fn first_act(acts: &[Option<&'static str>]) -> Option<&'static str> {
    acts.iter().flatten().next().copied()
}

/// Why an item no check binds is left to a person. With `act_first` (the item was split
/// because of a person's act) that act outranks the binders' declines.
fn manual_why(
    item: &crate::model::Item,
    declined: &[String],
    act: Option<&str>,
    act_first: bool,
) -> String {
    let by_act =
        act.map(|a| format!("\"{a}\" is for a person to vouch for: a person must sign it off"));
    match by_act {
        Some(why) if act_first => why,
        _ if !declined.is_empty() => declined.join("; "),
        _ if !item.children.is_empty() => {
            "no check recognises this wording; judged by its sub-items".into()
        }
        Some(why) => why,
        None => "no check recognises this wording: a person must sign it off".into(),
    }
}

/// The checks' ids, each once, in order.
fn ids_of(bindings: &[Binding]) -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = Vec::new();
    for b in bindings {
        if !ids.contains(&b.check.id) {
            ids.push(b.check.id);
        }
    }
    ids
}

fn uncovered_why(declined: &[String]) -> Uncovered {
    match declined.first() {
        Some(why) => Uncovered::Declined(why.clone()),
        None => Uncovered::NoCheck,
    }
}

/// The manual reason of a bound item some of whose claims no check covers.
fn person_part(claims: &[ClaimCover]) -> Option<String> {
    let parts: Vec<String> = claims
        .iter()
        .filter_map(|c| {
            Some(format!(
                "\"{}\" ({})",
                c.text,
                c.uncovered.as_ref()?.reason()
            ))
        })
        .collect();
    (!parts.is_empty()).then(|| format!("left to a person: {}", parts.join("; ")))
}

fn explicit(out: &ItemBindings) -> Confidence {
    if out.bindings.is_empty() {
        Confidence::None
    } else {
        Confidence::Explicit
    }
}

/// Explicit parameters win over what the binder read from the wording. When the binder had
/// nothing, the explicit parameters alone make one binding.
fn overlay(verdict: BindVerdict, given: &Params) -> Vec<AutoBinding> {
    let found = match verdict {
        BindVerdict::Bind(found)
        | BindVerdict::Declined {
            candidates: found, ..
        } if !found.is_empty() => found,
        _ => vec![AutoBinding::new("")],
    };
    found
        .into_iter()
        .map(|mut b| {
            for (k, v) in given {
                b.params.insert(k.clone(), v.clone());
            }
            b
        })
        .collect()
}

/// The parameters, defaults filled in, if every required one is there; otherwise which
/// are missing.
fn complete(meta: &CheckMeta, params: Params) -> Result<Params, String> {
    let missing: Vec<String> = meta
        .params
        .iter()
        .filter(|p| p.required)
        .filter(|spec| params.get(spec.name).is_none_or(Value::is_null))
        .map(|spec| format!("`{}`", spec.name))
        .collect();
    if missing.is_empty() {
        return Ok(params);
    }
    let list = match missing.len() {
        1 => format!("the parameter {}", missing[0]),
        _ => format!("the parameters {}", missing.join(" and ")),
    };
    Err(format!(
        "`{}` needs {list} (`gonogo checks explain {}` says what it takes)",
        meta.id, meta.id
    ))
}

fn unknown_check(id: &str) -> String {
    format!("unknown check `{id}` (see `gonogo checks` for the catalogue)")
}

fn unknown_param(meta: &CheckMeta, name: &str) -> String {
    let known: Vec<&str> = meta.params.iter().map(|p| p.name).collect();
    if known.is_empty() {
        format!("`{}` takes no parameters, but `{name}` was given", meta.id)
    } else {
        format!(
            "`{}` has no parameter `{name}` (it takes: {})",
            meta.id,
            known.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::asks_which;

    #[test]
    fn a_question_asking_which_or_what_is_for_a_person_to_answer() {
        assert_eq!(
            asks_which("What platform are we using for alerting ?"),
            Some("what")
        );
        assert_eq!(asks_which("Who owns the service?"), Some("who"));
        // Whether something holds is a check's question; so is anything more than one question.
        assert_eq!(asks_which("Are alerts version controlled?"), None);
        assert_eq!(asks_which("How often are backups taken?"), None);
        assert_eq!(asks_which("What is monitored? Alerts exist."), None);
        assert_eq!(asks_which("What we monitor is documented"), None);
        assert_eq!(asks_which("What SAST Detects"), Some("what"));
        assert_eq!(asks_which("**Which tools to use**"), Some("which"));
        assert_eq!(asks_which("What gets deployed is what was tested"), None);
    }
}

#[cfg(test)]
mod joint_tests {
    use super::extra_words;
    use crate::catalogue::SAYS_MORE;

    #[test]
    fn a_says_more_decline_names_its_words() {
        assert_eq!(
            extra_words(&format!(
                "{SAYS_MORE}probe definitions show (healthz endpoint)"
            )),
            Some(vec!["healthz".to_string(), "endpoint".to_string()])
        );
        // Other reasons name no words to cover.
        assert_eq!(extra_words("\"reviewed\" is a person's judgement"), None);
    }
}
