//! `Check::triggers` is a promise: a binder whose trigger words are absent from an item would
//! have answered `No`. Binding skips such binders, so a broken promise silently loses a
//! binding. This test asks every binder about every item of every checklist we know (the
//! seeds, the built-in checklist, the example, and each check's documented wordings, alone and
//! as sub-items) and fails when a binder answers for an item its triggers did not select.

use std::path::{Path, PathBuf};

use gonogo_engine::bind::{Prefilter, SectionMemo, ViewParts};
use gonogo_engine::catalogue::BindVerdict;
use gonogo_engine::model::Checklist;
use gonogo_engine::parse::parse_str;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn parse(text: &str, name: &str) -> Checklist {
    parse_str(text, name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .checklist
}

/// Id prefixes of checks whose binders read the parent item's wording.
const PARENT_READERS: &[&str] = &[
    "docs", "ci", "docker", "compose", "http", "k8s", "postgres", "redis",
];

fn corpus() -> Vec<Checklist> {
    let mut out = Vec::new();
    let seeds = root().join("../shared/seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .unwrap_or_else(|e| panic!("{}: {e}", seeds.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.push(root().join("examples/checkout-service/PRODUCTION_CHECKLIST.md"));
    files.sort();
    assert!(files.len() >= 6, "the seeds are missing");
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        out.push(parse(
            &String::from_utf8_lossy(&bytes),
            &f.display().to_string(),
        ));
    }
    out.push(parse(
        gonogo_engine::builtin::BUILTIN_CHECKLIST,
        "builtin.md",
    ));
    // Every documented wording, alone, as a sub-item of each other check's first wording
    // (binders read their parent: "Installation instructions" under "README.md updated"),
    // and under a heading named after its family.
    let catalogue = gonogo_checks::catalogue();
    let wordings: Vec<&str> = catalogue
        .iter()
        .flat_map(|c| c.meta().docs.binds.iter().chain(c.meta().docs.not_binds))
        .copied()
        .collect();
    let mut doc = String::new();
    let mut families = Vec::new();
    for c in catalogue.iter() {
        let m = c.meta();
        let family = m.id.split('.').next().unwrap();
        doc.push_str(&format!("## {family}\n\n"));
        for w in m.docs.binds.iter().chain(m.docs.not_binds) {
            doc.push_str(&format!("- [ ] {w}\n"));
        }
        // Sub-items under one parent per family whose binders read the parent item keep the
        // corpus small enough for a debug build.
        if PARENT_READERS.contains(&family)
            && !families.contains(&family)
            && let Some(parent) = m.docs.binds.first()
        {
            families.push(family);
            doc.push_str(&format!("\n- [ ] {parent}\n"));
            for w in &wordings {
                doc.push_str(&format!("  - [ ] {w}\n"));
            }
        }
        doc.push('\n');
    }
    out.push(parse(&doc, "documented-wordings.md"));
    out
}

#[test]
fn binders_answer_only_items_their_triggers_select() {
    let catalogue = gonogo_checks::catalogue();
    let prefilter = Prefilter::new(&catalogue);
    let mut broken = Vec::new();
    let mut asked = 0usize;
    let mut items = 0usize;
    for cl in corpus() {
        let parts = ViewParts::new(&cl);
        let mut memo = SectionMemo::default();
        for i in 0..cl.items.len() {
            let view = parts.view(&cl, i);
            let ask = prefilter.candidates(&view, &mut memo);
            items += 1;
            asked += ask.iter().filter(|a| **a).count();
            for (j, check) in catalogue.iter().enumerate() {
                if ask[j] || matches!(check.bind(&view), BindVerdict::No) {
                    continue;
                }
                broken.push(format!(
                    "{}: {}:{} `{}` binds or declines, but none of its triggers {:?} occur",
                    check.meta().id,
                    cl.path,
                    cl.items[i].line,
                    cl.items[i].display_text,
                    check.triggers()
                ));
            }
        }
    }
    assert!(items > 5_000, "the corpus shrank to {items} items");
    assert!(
        broken.is_empty(),
        "{} broken trigger promises:\n{}",
        broken.len(),
        broken.join("\n")
    );
    // The prefilter must prune, or it is only overhead.
    let per_item = asked as f64 / items as f64;
    assert!(
        per_item < catalogue.len() as f64 / 4.0,
        "{per_item:.1} binders asked per item of {}",
        catalogue.len()
    );
}

#[test]
fn every_check_declares_lowercase_triggers() {
    // `exec.command` binds any item with code in it, which no word announces; its first
    // question (is there code?) is as cheap as the prefilter's.
    const ALWAYS_ASKED: &[&str] = &["exec.command"];
    for c in gonogo_checks::catalogue().iter() {
        let id = c.meta().id;
        assert!(
            ALWAYS_ASKED.contains(&id) || !c.triggers().is_empty(),
            "{id} declares no triggers, so every item asks its binder"
        );
        for t in c.triggers() {
            assert!(
                !t.is_empty() && !t.contains(char::is_whitespace) && t == t.to_ascii_lowercase(),
                "{id}: trigger {t:?} must be one lowercase word (a phrase can match across punctuation)"
            );
        }
    }
}

#[test]
fn section_memo_gives_what_a_fresh_scan_gives() {
    // The memo carries a section's heading triggers from item to item; carried over into the
    // next section, it would ask binders the item does not mention, or skip ones it does.
    let catalogue = gonogo_checks::catalogue();
    let prefilter = Prefilter::new(&catalogue);
    let mut compared = 0usize;
    for cl in corpus() {
        let parts = ViewParts::new(&cl);
        let mut memo = SectionMemo::default();
        for i in 0..cl.items.len() {
            let view = parts.view(&cl, i);
            let carried = prefilter.candidates(&view, &mut memo);
            let fresh = prefilter.candidates(&view, &mut SectionMemo::default());
            assert_eq!(
                carried, fresh,
                "{}:{} `{}`",
                cl.path, cl.items[i].line, cl.items[i].display_text
            );
            compared += 1;
        }
    }
    assert!(compared > 5_000, "the corpus shrank to {compared} items");
}
