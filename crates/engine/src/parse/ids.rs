//! Stable item ids.
//!
//! An id is a hash of the item's meaning in context: its normalised text, its section path with
//! numbering stripped, and the texts of the task items above it. Position, indentation, numbering,
//! emphasis and the box's state do not enter it, so reordering, re-indenting, renumbering or adding
//! items leaves ids alone; rewording an item (or its parent or heading) may change it. Equal keys
//! (the same item twice under the same heading) get `-2`, `-3`, … in file order.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::hex::hex;
use crate::model::Item;

/// Lowercase letters and digits of the text, words separated by one space; leading section
/// numbering ("2.1", "3)", "IV.") removed.
pub(crate) fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            // Most words: lowercase byte by byte, without Unicode case tables.
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    out
}

fn strip_numbering(heading: &str) -> &str {
    let t = heading.trim_start();
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ')'))
        .unwrap_or(t.len());
    let rest = &t[end..];
    let numbered = end > 0 && t[..end].chars().any(|c| c.is_ascii_digit());
    if numbered && (rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        rest
    } else {
        t
    }
}

pub(crate) fn assign_ids(items: &mut [Item]) {
    // Each text is normalised once, though a parent's enters the key of every child.
    let texts: Vec<String> = items.iter().map(|i| normalise(&i.display_text)).collect();
    let mut seen: HashMap<[u8; 6], usize> = HashMap::with_capacity(items.len());
    // Items of one section share its normalised path; compute it once per section.
    let mut section_key: Option<(usize, String)> = None;
    let mut key = String::new();
    let mut chain = Vec::new();
    for i in 0..items.len() {
        if section_key
            .as_ref()
            .is_none_or(|&(from, _)| items[from].section != items[i].section)
        {
            let mut k = String::new();
            for s in &items[i].section {
                k.push_str(&normalise(strip_numbering(&super::mojibake::repair(s))));
                k.push('\u{1f}');
            }
            section_key = Some((i, k));
        }
        key.clear();
        key.push_str(section_key.as_ref().map_or("", |(_, k)| k.as_str()));
        chain.clear();
        let mut p = items[i].parent;
        while let Some(pi) = p {
            chain.push(pi);
            p = items[pi].parent;
        }
        for &pi in chain.iter().rev() {
            key.push_str(&texts[pi]);
            key.push('\u{1e}');
        }
        key.push_str(&texts[i]);
        let digest = Sha256::digest(key.as_bytes());
        let short: [u8; 6] = digest[..6].try_into().expect("six bytes of a digest");
        let mut id = hex(&short);
        let n = seen.entry(short).or_insert(0);
        *n += 1;
        if *n > 1 {
            id.push('-');
            id.push_str(&n.to_string());
        }
        items[i].id = id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_drops_markup_and_case() {
        assert_eq!(
            normalise("**All tests passing** (`pytest -q`)"),
            "all tests passing pytest q"
        );
    }

    #[test]
    fn numbering_is_not_part_of_a_heading() {
        assert_eq!(strip_numbering("2.1 Authentication"), " Authentication");
        assert_eq!(strip_numbering("3) Data"), " Data");
        assert_eq!(strip_numbering("Phase 2"), "Phase 2");
        assert_eq!(strip_numbering("2FA"), "2FA");
    }
}
