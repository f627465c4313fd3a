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

    /// Whether the catalogue's `i`-th binder declares no triggers, and so is always asked.
    pub fn always_asked(&self, i: usize) -> bool {
        self.always.contains(&i)
    }

    /// `ask[i]` tells whether the catalogue's `i`-th binder may bind this item. `memo` carries
    /// what the section headings triggered from one item to the next: items come in file
    /// order, so a section's headings are scanned once, not once per item under them.
    pub fn candidates(&self, view: &ItemView<'_>, memo: &mut SectionMemo) -> Vec<bool> {
        let mut ask = vec![false; self.checks];
        for &i in &self.always {
            ask[i] = true;
        }
        let Some(ac) = &self.automaton else {
            return ask;
        };
        let section = &view.item.section;
        if memo.section.as_ref() != Some(section) {
            memo.hits.clear();
            for text in section {
                for m in ac.find_overlapping_iter(text.as_str()) {
                    memo.hits.extend(&self.owners[m.pattern().as_usize()]);
                }
            }
            memo.hits.sort_unstable();
            memo.hits.dedup();
            memo.section = Some(section.clone());
        }
        for &i in &memo.hits {
            ask[i] = true;
        }
        for text in item_haystacks(view) {
            for m in ac.find_overlapping_iter(text) {
                for &i in &self.owners[m.pattern().as_usize()] {
                    ask[i] = true;
                }
            }
        }
        ask
    }
}

/// The checks the headings of the last section seen triggered (see `Prefilter::candidates`).
#[derive(Default)]
pub struct SectionMemo {
    section: Option<Vec<String>>,
    hits: Vec<usize>,
}

/// The texts an item's triggers are looked for in.
pub fn haystacks<'a>(view: &'a ItemView<'a>) -> impl Iterator<Item = &'a str> + 'a {
    item_haystacks(view).chain(view.item.section.iter().map(String::as_str))
}

/// `haystacks` without the section headings, which items of one section share.
fn item_haystacks<'a>(view: &'a ItemView<'a>) -> impl Iterator<Item = &'a str> + 'a {
    let item = view.item;
    std::iter::once(view.lower)
        .chain(view.parent_lower)
        .chain(item.notes.iter().map(String::as_str))
        .chain(item.code_spans.iter().map(String::as_str))
        .chain(item.code_blocks.iter().map(|b| b.content.as_str()))
}
