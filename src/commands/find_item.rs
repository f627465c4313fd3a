//! Finding the item `sign` and `waive` name: in the checklists of this invocation (the
//! repository's own by default), else in the last stored run, so an id copied from any report
//! works without its checklist's path being repeated.

use gonogo_store::{Location, Store, views};
use serde_json::Value;

use crate::cli_store::StoreArgs;
use crate::commands::store::location;
use crate::inputs::Loaded;

/// The item an id names: its wording (what a sign-off is tied to) and whether checks are bound.
pub struct Found {
    pub text: String,
    /// Checks cover the whole item: a sign-off only counts while it is manual.
    pub automated: bool,
}

/// The item with this id, from the loaded checklists or the last stored run. Prints why not
/// (with close ids, when there are any) when there is none.
pub async fn find_item(loaded: &Loaded, id: &str, store: &StoreArgs) -> Option<Found> {
    for (cl, binds) in loaded.checklists.iter().zip(&loaded.bindings) {
        if let Some(i) = cl.items.iter().position(|it| it.id == id) {
            return Some(Found {
                text: cl.items[i].text.clone(),
                // A partly automated item waits for a sign-off by design.
                automated: !binds[i].bindings.is_empty() && !binds[i].is_partial(),
            });
        }
    }
    let last = last_run(store, loaded).await;
    if let Some(run) = &last
        && let Some(item) = run_items(&run.report).find(|i| i["id"] == id)
    {
        let text = item["text"].as_str().unwrap_or_default().to_string();
        eprintln!(
            "gonogo: {id} is not in {}; found in the last stored run (run {}, {})",
            names(loaded).join(", "),
            run.id,
            item["checklist"].as_str().unwrap_or("?")
        );
        return Some(Found {
            text,
            automated: item["checks"].as_array().is_some_and(|c| !c.is_empty())
                && item["automation"] != "partial",
        });
    }

    // Unknown: say where we looked, and offer the ids it might have meant.
    let mut known: Vec<(String, String)> = loaded
        .checklists
        .iter()
        .flat_map(|cl| cl.items.iter().map(|i| (i.id.clone(), i.text.clone())))
        .collect();
    if let Some(run) = &last {
        known.extend(run_items(&run.report).filter_map(|i| {
            Some((
                i["id"].as_str()?.to_string(),
                i["text"].as_str()?.to_string(),
            ))
        }));
    }
    let mut looked = names(loaded);
    if last.is_some() {
        looked.push("the last stored run".into());
    }
    let files: Vec<&str> = loaded
        .checklists
        .iter()
        .map(|c| c.path.as_str())
        .filter(|n| !n.starts_with('<'))
        .collect();
    eprintln!(
        "gonogo: error: {id}: no item with this id in {}; `gonogo map {}` lists the ids",
        looked.join(" or "),
        files.join(" ")
    );
    let close = close_ids(id, &known);
    if !close.is_empty() {
        eprintln!("gonogo: did you mean:");
        for (cid, text) in close {
            eprintln!("  {cid}  {}", gonogo_report::safe(&clip(&text, 70)));
        }
    }
    None
}

fn names(loaded: &Loaded) -> Vec<String> {
    loaded.checklists.iter().map(|c| c.path.clone()).collect()
}

fn run_items(report: &Value) -> impl Iterator<Item = &Value> {
    report["items"].as_array().into_iter().flatten()
}

/// The last `check` run kept in the store, if there is a store and a run. Problems opening
/// it are not this lookup's to report: the command opens the store again and says why.
async fn last_run(args: &StoreArgs, loaded: &Loaded) -> Option<views::Run> {
    let loc = location(args, &loaded.repo);
    if let Location::Sqlite(p) = &loc
        && !p.exists()
    {
        return None;
    }
    let store = Store::open(&loc, false).await.ok()?;
    let (entries, _) = store.read().await.ok()?;
    views::runs(&entries).pop()
}

/// Up to three ids that the given one may be a mistyping of: ids it is a prefix of, or
/// within two edits of (ids are short hex strings, so a slip is one or two characters).
fn close_ids(id: &str, known: &[(String, String)]) -> Vec<(String, String)> {
    let want = id.to_ascii_lowercase();
    let mut scored: Vec<(usize, &(String, String))> = known
        .iter()
        .filter_map(|k| {
            let d = if want.len() >= 4 && k.0.starts_with(&want) {
                0
            } else {
                edits(&want, &k.0)
            };
            (d <= 2).then_some((d, k))
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.0.cmp(&b.1.0)));
    scored.dedup_by(|a, b| a.1.0 == b.1.0);
    scored.into_iter().take(3).map(|(_, k)| k.clone()).collect()
}

/// Levenshtein distance of two short strings.
fn edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_ids_are_prefixes_and_slips() {
        let known = vec![
            ("3cd61a6fede1".to_string(), "All tests passing".to_string()),
            ("c0e85712867d".to_string(), "Coverage".to_string()),
        ];
        let ids =
            |id: &str| -> Vec<String> { close_ids(id, &known).into_iter().map(|k| k.0).collect() };
        assert_eq!(ids("3cd6"), ["3cd61a6fede1"]);
        assert_eq!(ids("3cd61a6fedel"), ["3cd61a6fede1"]);
        assert_eq!(ids("c0e8571286d"), ["c0e85712867d"]);
        assert!(ids("ffffffffffff").is_empty());
        assert_eq!(edits("kitten", "sitting"), 3);
    }
}
