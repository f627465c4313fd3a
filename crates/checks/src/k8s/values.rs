//! Partial checks of Helm charts that could not be rendered (no `helm` on PATH): what a chart's
//! `values.yaml` sets, and what its templates mention. Checks that use this say so.

use gonogo_engine::catalogue::{Evidence, Outcome};
use gonogo_engine::context::RunContext;

use super::objects::{Chart, Inventory};
use crate::yaml::{self, Node, entries, line};

/// Charts whose objects are not in the inventory (not rendered).
pub(crate) fn unrendered(inv: &Inventory) -> Vec<&Chart> {
    inv.charts.iter().filter(|c| !c.rendered).collect()
}

/// Every value under a mapping key named `key`, anywhere in the tree, with its dotted path.
pub(crate) fn find<'a>(node: &'a Node, key: &str) -> Vec<(String, &'a Node)> {
    let mut out = Vec::new();
    walk(node, key, "", 0, &mut out);
    out
}

fn walk<'a>(node: &'a Node, key: &str, at: &str, depth: usize, out: &mut Vec<(String, &'a Node)>) {
    if depth > 32 {
        return;
    }
    for (k, v) in entries(node) {
        let Some(name) = yaml::as_str(k) else {
            continue;
        };
        let here = if at.is_empty() {
            name.clone()
        } else {
            format!("{at}.{name}")
        };
        if name == key {
            out.push((here.clone(), v));
        }
        walk(v, key, &here, depth + 1, out);
    }
}

/// A chart's values (first document), or the evidence of why not.
pub(crate) fn load_values(
    ctx: &RunContext,
    chart: &Chart,
) -> Result<Option<std::sync::Arc<Result<yaml::YamlFile, String>>>, Evidence> {
    let Some(rel) = &chart.values else {
        return Ok(None);
    };
    let f = yaml::load(ctx, rel);
    if let Err(e) = f.as_ref() {
        return Err(Evidence::at(rel.clone(), None, format!("not parsed: {e}")));
    }
    Ok(Some(f))
}

/// The first template of the chart whose text holds `word`, with its line.
pub(crate) fn template_mention(
    ctx: &RunContext,
    chart: &Chart,
    word: &str,
) -> Option<(String, usize)> {
    chart.templates.iter().find_map(|rel| {
        let t = ctx.text(rel);
        let t = t.as_ref().as_ref().ok()?;
        let n = t.text.lines().position(|l| l.contains(word))?;
        Some((rel.clone(), n + 1))
    })
}

/// "4 containers" or "4 containers and 1 Helm chart" — what a partial check looked at.
pub(crate) fn subjects(n: usize, one: &str, many: &str, charts: &[&Chart]) -> String {
    let c = super::count(n, one, many);
    match charts.len() {
        0 => c,
        k if n == 0 => super::count(k, "Helm chart", "Helm charts"),
        k => format!("{c} and {}", super::count(k, "Helm chart", "Helm charts")),
    }
}

/// The line of a node, for evidence.
pub(crate) fn at(node: &Node) -> Option<usize> {
    Some(line(node))
}

/// Add the "partial" note to an outcome that looked at unrendered charts.
pub(crate) fn mark_partial(out: &mut Outcome, charts: &[&Chart]) {
    if charts.is_empty() {
        return;
    }
    let why = charts
        .iter()
        .find_map(|c| c.render_note.clone())
        .unwrap_or_else(|| "not rendered".into());
    out.message.push_str(&format!(
        " (partial: {} not rendered ({why}), so values.yaml and template text were checked instead)",
        super::count(charts.len(), "Helm chart", "Helm charts")
    ));
}
