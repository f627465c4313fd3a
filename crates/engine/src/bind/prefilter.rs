//! Which binders to ask about an item: one Aho-Corasick pass over the item's texts finds every
//! check's trigger words at once (see `Check::triggers`). Binders without triggers are always
//! asked, so a check that declares none is slower, never wrong.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::catalogue::{Catalogue, ItemView};

pub struct Prefilter {
    automaton: Option<AhoCorasick>,
    /// For each pattern of the automaton, the catalogue indices of the checks it triggers.
    owners: Vec<Vec<usize>>,
    /// Catalogue indices of checks with no triggers.
    always: Vec<usize>,
    checks: usize,
}

impl Prefilter {
    pub fn new(catalogue: &Catalogue) -> Self {
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (i, check) in catalogue.iter().enumerate() {
            let triggers = check.triggers();
            if triggers.is_empty() {
                always.push(i);
            }
            for t in triggers {
                let t = t.to_ascii_lowercase();
                match patterns.iter().position(|p| *p == t) {
                    Some(at) => owners[at].push(i),
                    None => {
                        patterns.push(t);
                        owners.push(vec![i]);
                    }
                }
            }
        }
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                // A few hundred short words: a full DFA is small and the fastest to scan.
                .kind(Some(AhoCorasickKind::DFA))
                .build(&patterns)
                .expect("trigger words form a valid automaton")
        });
        Prefilter {
            automaton,
            owners,
            always,
            checks: catalogue.len(),
        }
    }

    /// `ask[i]` tells whether the catalogue's `i`-th binder may bind this item.
    pub fn candidates(&self, view: &ItemView<'_>) -> Vec<bool> {
        let mut ask = vec![false; self.checks];
        for &i in &self.always {
            ask[i] = true;
        }
        if let Some(ac) = &self.automaton {
            for text in haystacks(view) {
                for m in ac.find_overlapping_iter(text) {
                    for &i in &self.owners[m.pattern().as_usize()] {
                        ask[i] = true;
                    }
                }
            }
        }
        ask
    }
}

/// The texts an item's triggers are looked for in.
pub fn haystacks<'a>(view: &'a ItemView<'a>) -> impl Iterator<Item = &'a str> + 'a {
    let item = view.item;
    std::iter::once(view.lower)
        .chain(view.parent_lower)
        .chain(item.notes.iter().map(String::as_str))
        .chain(item.code_spans.iter().map(String::as_str))
        .chain(item.code_blocks.iter().map(|b| b.content.as_str()))
        .chain(item.section.iter().map(String::as_str))
}
