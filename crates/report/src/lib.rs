//! Report renderers. Only this crate knows output formats: colour, JSON wire types, Markdown.
//! Renderers take finished values (checklists, bindings, decision) and return text.

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod map;
pub mod markdown;
mod record;
pub mod sarif;

use std::time::Duration;

use gonogo_engine::bind::ItemBindings;
use gonogo_engine::decide::Decision;
use gonogo_engine::model::Checklist;

/// Everything a report of a `check` run is made from.
#[derive(Debug, Clone, Copy)]
pub struct RunReport<'a> {
    pub checklists: &'a [Checklist],
    pub bindings: &'a [Vec<ItemBindings>],
    pub decision: &'a Decision,
    pub duration: Duration,
}

/// Text as it may be shown: credential-shaped values masked. Checks mask what they capture;
/// this is the second net, applied to everything a report prints.
pub fn safe(s: &str) -> String {
    gonogo_engine::redact::redact(s)
}

/// A parameter value as it may be shown: a string masked like any other text.
fn safe_value(v: &serde_json::Value) -> std::borrow::Cow<'_, serde_json::Value> {
    match v {
        serde_json::Value::String(s) => std::borrow::Cow::Owned(serde_json::Value::String(safe(s))),
        other => std::borrow::Cow::Borrowed(other),
    }
}

/// Parameters as they may be shown: string values masked like any other text.
pub fn safe_params(p: &gonogo_engine::catalogue::Params) -> gonogo_engine::catalogue::Params {
    p.iter()
        .map(|(k, v)| (k.clone(), safe_value(v).into_owned()))
        .collect()
}

/// `safe_params`, masked while it is serialised rather than copied first.
pub(crate) struct SafeParams<'a>(pub &'a gonogo_engine::catalogue::Params);

impl serde::Serialize for SafeParams<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, safe_value(v))))
    }
}

/// Shorten to `n` characters with an ellipsis.
pub(crate) fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n.saturating_sub(1)).collect::<String>() + "…"
    }
}
