//! Checkboxes in table cells: `| [ ] | Container runs as non-root | platform |`.
//!
//! GitHub renders no task list inside a table, but teams keep readiness matrices this way
//! (a "Done" column of `[ ]`, one requirement per row). Such a row is an item like any other:
//! its text is the requirement column, its marker the `[ ]` bytes (so the Markdown report ticks
//! it in place), and a status note goes at the end of the requirement cell, inside the table.

use std::ops::Range;

use super::lines::LineIndex;
use super::markdown::{annotations, collapse};
use super::mojibake::repair;
use crate::model::Item;

/// One body cell as read: its source range, plain text, code spans and HTML comments.
pub(super) struct CellSrc {
    pub range: Range<usize>,
    pub text: String,
    pub code_spans: Vec<String>,
    pub html: Vec<(usize, String)>,
}

impl CellSrc {
    pub fn new(range: Range<usize>) -> Self {
        CellSrc {
            range,
            text: String::new(),
            code_spans: Vec::new(),
            html: Vec::new(),
        }
    }
}

/// Header words of a column that holds what is to be done or checked.
const ITEM_HEADS: &[&str] = &[
    "item",
    "items",
    "check",
    "checks",
    "check name",
    "requirement",
    "requirements",
    "task",
    "tasks",
    "control",
    "criterion",
    "criteria",
    "what",
    "name",
    "title",
    "step",
    "practice",
    "action",
    "activity",
    "topic",
    "area",
    "goal",
    "rule",
    "guideline",
    "recommendation",
];

/// Header words of a column that explains the item column.
const DESCRIPTION_HEADS: &[&str] = &[
    "description",
    "short description",
    "details",
    "detail",
    "explanation",
    "definition",
    "summary",
];

/// Header words of a column that is about the item, not part of what it says.
const ASIDE_HEADS: &[&str] = &[
    "owner",
    "owners",
    "team",
    "who",
    "assignee",
    "responsible",
    "status",
    "state",
    "done",
    "notes",
    "note",
    "comment",
    "comments",
    "priority",
    "severity",
    "level",
    "links",
    "link",
    "reference",
    "references",
    "ref",
    "date",
    "due",
    "evidence",
    "ticket",
    "issue",
    "result",
    "tier",
    "id",
    "#",
];

/// The item a body row stands for, when one of its cells starts with a checkbox.
pub(super) fn row_item(
    header: &[String],
    row: &[CellSrc],
    src: &str,
    lines: &LineIndex,
) -> Option<Item> {
    let (marker_col, marker, checked) = row
        .iter()
        .enumerate()
        .find_map(|(i, c)| checkbox(src, &c.range).map(|(m, ticked)| (i, m, ticked)))?;
    let head = |i: usize| {
        header
            .get(i)
            .map(|h| {
                collapse(&h.to_lowercase())
                    .trim_matches([':', '*'])
                    .to_string()
            })
            .unwrap_or_default()
    };
    // The requirement may share the checkbox's cell ("| [ ] Runs as non-root |").
    let own = src[marker.end..row[marker_col].range.end].trim();
    let text_cols: Vec<usize> = if !own.is_empty() {
        vec![marker_col]
    } else {
        let named: Vec<usize> = (0..row.len())
            .filter(|&i| i != marker_col && !row[i].text.is_empty())
            .filter(|&i| ITEM_HEADS.contains(&head(i).as_str()))
            .collect();
        let described: Vec<usize> = (0..row.len())
            .filter(|&i| i != marker_col && !row[i].text.is_empty())
            .filter(|&i| DESCRIPTION_HEADS.contains(&head(i).as_str()))
            .collect();
        match (named.first(), described.first()) {
            (Some(&n), Some(&d)) => vec![n.min(d), n.max(d)],
            (Some(&n), None) => vec![n],
            (None, Some(&d)) => vec![d],
            // No header says which: the first cell after the checkbox that is not an aside
            // (owner, status, notes…), else the longest.
            (None, None) => {
                let candidates = (0..row.len())
                    .filter(|&i| i != marker_col && !row[i].text.is_empty())
                    .filter(|&i| !ASIDE_HEADS.contains(&head(i).as_str()));
                let first = candidates.clone().find(|&i| i > marker_col);
                let pick = first.or_else(|| candidates.max_by_key(|&i| row[i].text.len()))?;
                vec![pick]
            }
        }
    };
    let text = if text_cols == [marker_col] {
        collapse(strip_marker(&row[marker_col].text))
    } else {
        text_cols
            .iter()
            .map(|&i| row[i].text.trim_end_matches([':', '.']).to_string())
            .collect::<Vec<_>>()
            .join(": ")
    };
    if text.is_empty() {
        return None;
    }
    let last = &row[*text_cols.last().expect("one column")];
    let content_end = last.range.start + src[last.range.clone()].trim_end().len();
    let code_spans = text_cols
        .iter()
        .flat_map(|&i| row[i].code_spans.iter().cloned())
        .collect();
    let html: Vec<(usize, String)> = row.iter().flat_map(|c| c.html.iter().cloned()).collect();
    Some(Item {
        id: String::new(),
        line: lines.line_of(marker.start),
        section: Vec::new(),
        parent: None,
        children: Vec::new(),
        display_text: repair(&text),
        text,
        checked,
        note_at: content_end,
        marker,
        code_spans,
        code_blocks: Vec::new(),
        annotations: annotations(&html, lines),
        notes: Vec::new(),
    })
}

/// The `[ ]` / `[x]` at the start of a cell, with whether it is ticked.
fn checkbox(src: &str, cell: &Range<usize>) -> Option<(Range<usize>, bool)> {
    let text = &src[cell.clone()];
    let lead = text.len() - text.trim_start().len();
    let b = text.as_bytes();
    if b.len() < lead + 3 || b[lead] != b'[' || b[lead + 2] != b']' {
        return None;
    }
    let ticked = match b[lead + 1] {
        b' ' => false,
        b'x' | b'X' => true,
        _ => return None,
    };
    // "[ ]" must stand alone or be followed by a space: "[x]: link" is a reference.
    if b.get(lead + 3).is_some_and(|&c| !c.is_ascii_whitespace()) {
        return None;
    }
    let start = cell.start + lead;
    Some((start..start + 3, ticked))
}

fn strip_marker(text: &str) -> &str {
    let t = text.trim_start();
    t.get(3..).map_or("", str::trim_start)
}
