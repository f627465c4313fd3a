//! Stage 2: bind each item to checks. Precedence: an inline annotation, then a `[[bind]]`
//! rule of `gonogo.toml`, then automatic binding from the wording. The first that applies
//! decides alone, so a user can always override or silence an automatic binding.

mod annotation;
mod prefilter;

pub use prefilter::{Prefilter, SectionMemo, haystacks};

use std::collections::HashMap;

use serde_json::Value;

use crate::catalogue::{
    AutoBinding, BindVerdict, Catalogue, CheckMeta, ItemView, Params, check_param_value,
    parse_param, with_defaults,
};
use crate::config::Config;
use crate::error::InputError;
use crate::model::{Checklist, Section, Table};
use crate::parse::collapse;

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
    /// Why the item is left to a person (shown by `map` and the reports).
    pub manual_reason: Option<String>,
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
    let defaults = Defaults::new(catalogue);
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
                    .map(|i| bind_item(cl, &views.view(cl, i), catalogue, &auto, &mut memo, config))
                    .collect::<Vec<_>>()
            };
            // Items bind independently: large checklists use every core.
            let n = cl.items.len();
            let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
            if n < 2_000 || threads == 1 {
                return bind_range(0..n).into_iter().collect();
            }
            let chunk = n.div_ceil(threads);
            std::thread::scope(|scope| {
                let handles: Vec<_> = (chunk..n)
                    .step_by(chunk)
                    .map(|start| {
                        let bind_range = &bind_range;
                        scope.spawn(move || bind_range(start..(start + chunk).min(n)))
                    })
                    .collect();
                // This thread takes the first share itself rather than wait: besides saving a
                // thread, its allocations come from the main heap, which grows in large steps,
                // where a new thread's heap grows a page at a time.
                let mut all = bind_range(0..chunk);
                for h in handles {
                    all.extend(h.join().expect("binding thread"));
                }
                all.into_iter().collect()
            })
        })
        .collect()
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
    fn new(catalogue: &Catalogue) -> Self {
        Defaults(
            catalogue
                .iter()
                .map(|check| {
                    let meta = check.meta();
                    let parsed = meta
                        .params
                        .iter()
                        .filter_map(|spec| {
                            let v = parse_param(spec, spec.default?).ok()?;
                            Some((spec.name, v))
                        })
                        .collect();
                    (meta.id, parsed)
                })
                .collect(),
        )
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
    lowers: Vec<String>,
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
            lowers: cl
                .items
                .iter()
                .map(|item| collapse(&item.display_text.to_lowercase()))
                .collect(),
        }
    }

    /// What binders see of the checklist's `i`-th item.
    pub fn view<'a>(&'a self, cl: &'a Checklist, i: usize) -> ItemView<'a> {
        let item = &cl.items[i];
        let sec = &cl.sections[self.section_of[i]];
        ItemView {
            item,
            lower: &self.lowers[i],
            parent_lower: item.parent.map(|p| self.lowers[p].as_str()),
            section_blocks: &sec.code_blocks,
            section_tables: &sec.tables,
            checklist_tables: &self.all_tables,
            checklist_sections: &cl.sections,
        }
    }
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
                let params = complete(meta, with_defaults(meta, b.params)).map_err(at)?;
                out.bindings.push(Binding {
                    check: meta,
                    params,
                    reason: format!("annotation on line {}", ann.line),
                    source: BindSource::Annotation,
                });
            }
        }
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
                    params: complete(meta, with_defaults(meta, b.params)).map_err(at)?,
                    reason: format!("[[bind]] rule at {cfg_path}:{}", rule.line),
                    source: BindSource::Config,
                });
            }
        }
        return Ok(out);
    }

    let mut out = ItemBindings::default();
    let mut declined = Vec::new();
    let ask = auto.prefilter.candidates(view, memo);
    for (_, check) in catalogue.iter().enumerate().filter(|(i, _)| ask[*i]) {
        match check.bind(view) {
            BindVerdict::No => {}
            BindVerdict::Declined { why, .. } => declined.push(why),
            BindVerdict::Bind(found) => {
                let meta = check.meta();
                for b in found {
                    // An auto-binder that omits a required parameter is a bug; skip it quietly.
                    if let Ok(params) = complete(meta, auto.defaults.fill(meta, b.params)) {
                        out.bindings.push(Binding {
                            check: meta,
                            params,
                            reason: b.reason,
                            source: BindSource::Auto,
                        });
                    }
                }
            }
        }
    }
    if out.bindings.is_empty() {
        out.manual_reason = Some(if !declined.is_empty() {
            declined.join("; ")
        } else if !item.children.is_empty() {
            "no check recognises this wording; judged by its sub-items".into()
        } else {
            "no check recognises this wording: a person must sign it off".into()
        });
    }
    Ok(out)
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

/// The parameters, defaults filled in, if every required one is there.
fn complete(meta: &CheckMeta, params: Params) -> Result<Params, String> {
    for spec in meta.params.iter().filter(|p| p.required) {
        if !params.contains_key(spec.name) || params[spec.name] == Value::Null {
            return Err(format!(
                "`{}` needs the parameter `{}` ({})",
                meta.id, spec.name, spec.doc
            ));
        }
    }
    Ok(params)
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
