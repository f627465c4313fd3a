//! Report renderers. Only this crate knows output formats: colour, JSON wire types, Markdown.
//! Renderers take finished values (checklists, bindings, decision) and return text.

pub mod human;
pub mod json;
pub mod map;
pub mod markdown;

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

/// Shorten to `n` characters with an ellipsis.
pub(crate) fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n.saturating_sub(1)).collect::<String>() + "…"
    }
}
