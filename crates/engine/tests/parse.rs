//! The parser on the shapes checklists take, and on broken input.

use gonogo_engine::model::Checklist;
use gonogo_engine::parse::{parse_bytes, parse_str};

fn parse(src: &str) -> Checklist {
    parse_str(src, "t.md").expect("parses").checklist
}

#[test]
fn task_items_of_every_list_form_nested_to_any_depth() {
    let cl = parse(
        "# T\n\n- [ ] dash\n* [x] star\n+ [X] plus\n1. [ ] numbered\n2) [ ] paren\n\n- [ ] a\n  - [ ] b\n    - [ ] c\n      - [ ] d\n- plain bullet\n",
    );
    let texts: Vec<&str> = cl.items.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "dash", "star", "plus", "numbered", "paren", "a", "b", "c", "d"
        ]
    );
    assert!(cl.items[1].checked && cl.items[2].checked && !cl.items[0].checked);
    let d = &cl.items[8];
    assert_eq!(d.parent, Some(7));
    assert_eq!(cl.items[5].children, vec![6]);
    assert_eq!(d.line, 12);
}

#[test]
fn sections_include_headings_and_plain_parent_bullets() {
    let cl = parse(
        "# Top\n## 2.1 Security\n### Keys\n- [ ] rotated\n\n1. Code & Repo\n   - [ ] linted\n",
    );
    assert_eq!(cl.items[0].section, ["Top", "2.1 Security", "Keys"]);
    assert_eq!(
        cl.items[1].section,
        ["Top", "2.1 Security", "Keys", "Code & Repo"]
    );
    assert_eq!(cl.title, "Top");
}

#[test]
fn text_is_stripped_of_markup_and_code_spans_are_kept() {
    let cl = parse("- [ ] **All tests** passing (`pytest -q`) and [docs](http://x)\n");
    let item = &cl.items[0];
    assert_eq!(item.text, "All tests passing (pytest -q) and docs");
    assert_eq!(item.code_spans, ["pytest -q"]);
}

#[test]
fn fenced_blocks_belong_to_their_item_with_expectations() {
    let src = "## Tests\n- [ ] **All tests passing**\n  ```bash\n  pytest tests/ -v\n  # Expected: 318+ tests passing\n  ```\n\n- [ ] next\n\n```bash\nkubectl apply -f x\n```\n";
    let cl = parse(src);
    let b = &cl.items[0].code_blocks;
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].lang, "bash");
    assert_eq!(b[0].commands, ["pytest tests/ -v"]);
    assert_eq!(b[0].expected, ["318+ tests passing"]);
    assert_eq!(b[0].line, 3);
    assert!(cl.items[1].code_blocks.is_empty());
    // The block outside any item belongs to its section.
    let sec = cl.sections.iter().find(|s| s.path == ["Tests"]).unwrap();
    assert_eq!(sec.code_blocks[0].commands, ["kubectl apply -f x"]);
}

#[test]
fn tables_under_a_heading_are_kept() {
    let cl = parse(
        "## Health\n\n| Endpoint | Expected Response |\n|---|---|\n| `GET /health` | `{\"status\": \"healthy\"}` |\n\n- [ ] ok\n",
    );
    let sec = cl.sections.iter().find(|s| s.path == ["Health"]).unwrap();
    assert_eq!(sec.tables[0].header, ["Endpoint", "Expected Response"]);
    assert_eq!(
        sec.tables[0].rows[0],
        ["GET /health", "{\"status\": \"healthy\"}"]
    );
}

#[test]
fn annotations_and_plain_notes() {
    let cl = parse(
        "- [ ] README ok <!-- gonogo: docs.readme sections=usage -->\n  - ✅ Installation instructions\n  - Usage examples\n",
    );
    let item = &cl.items[0];
    assert_eq!(item.annotations.len(), 1);
    assert_eq!(item.annotations[0].body, "docs.readme sections=usage");
    assert_eq!(item.annotations[0].line, 1);
    assert_eq!(
        item.notes,
        ["✅ Installation instructions", "Usage examples"]
    );
    assert_eq!(item.text, "README ok");
}

#[test]
fn markers_and_note_positions_are_exact_bytes() {
    let src = "- [ ] one\r\n- [x] two `code`\r\n  continued\r\n";
    let cl = parse(src);
    assert_eq!(&src[cl.items[0].marker.clone()], "[ ]");
    assert_eq!(&src[cl.items[1].marker.clone()], "[x]");
    // The note goes before the CR LF of the line where the item's text ends.
    assert_eq!(&src[..cl.items[0].note_at], "- [ ] one");
    assert!(src[..cl.items[1].note_at].ends_with("continued"));
}

#[test]
fn mis_decoded_utf8_is_repaired_for_display_only() {
    let cl = parse("## âœ… **Deployment**\n- [ ] Coverage â‰¥90%\n");
    assert_eq!(cl.items[0].text, "Coverage â‰¥90%");
    assert_eq!(cl.items[0].display_text, "Coverage ≥90%");
}

fn ids(src: &str) -> Vec<(String, String)> {
    parse(src)
        .items
        .into_iter()
        .map(|i| (i.text, i.id))
        .collect()
}

#[test]
fn ids_survive_reordering_reindenting_renumbering_and_insertion() {
    let base = ids(
        "# C\n## 1. Security\n- [ ] TLS on\n- [ ] HSTS on\n  - [ ] preload\n## 2. Docs\n- [ ] README\n",
    );
    let moved = ids(
        "# C\n## 2. Docs\n- [ ] README\n## 1. Security\n* [ ] HSTS on\n    * [ ] preload\n* [ ] TLS on\n",
    );
    let grown = ids(
        "# C\n## 3) Security\n- [ ] New item\n- [ ] TLS on\n- [x] **HSTS on**\n  - [ ] preload\n## 4. Docs\n- [ ] README\n",
    );
    for (text, id) in &base {
        for other in [&moved, &grown] {
            let found = other.iter().find(|(t, _)| t == text).map(|(_, i)| i);
            assert_eq!(found, Some(id), "id of {text:?} changed");
        }
    }
    let reworded = ids("# C\n## 1. Security\n- [ ] TLS 1.3 on\n");
    assert!(base.iter().all(|(_, id)| *id != reworded[0].1));
}

#[test]
fn duplicate_items_get_distinct_ids() {
    let cl = parse("## A\n- [ ] same\n- [ ] same\n## B\n- [ ] same\n");
    let ids: Vec<&str> = cl.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids[1], format!("{}-2", ids[0]));
    assert_ne!(ids[0], ids[2]);
}

#[test]
fn broken_inputs_are_clear_errors() {
    let e = parse_bytes(b"- [ ] a\x00b\n", "bin.md").unwrap_err();
    assert!(
        e.to_string().starts_with("bin.md:1: is a binary file"),
        "{e}"
    );
    let e = parse_bytes(b"# ok\n- [ ] caf\xe9\n", "latin1.md").unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(
        e.message.contains("not valid UTF-8") && e.message.contains("column 10"),
        "{e}"
    );
    let e = parse_bytes(b"", "empty.md").unwrap_err();
    assert!(e.message.contains("is empty"), "{e}");
    let e = parse_bytes(b"# Notes\n- just a bullet\n", "plain.md").unwrap_err();
    assert!(e.message.contains("no task items"), "{e}");
}

#[test]
fn an_unterminated_fence_is_a_warning_and_commonmark_semantics() {
    let out = parse_str("- [ ] before\n\n```bash\nls\n- [ ] swallowed\n", "f.md").unwrap();
    assert_eq!(out.checklist.items.len(), 1);
    assert_eq!(out.warnings.len(), 1);
    assert_eq!(out.warnings[0].line, Some(3));
    assert!(out.warnings[0].message.contains("never closed"));
}

#[test]
fn all_seeds_parse_to_the_expected_item_counts() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("../shared/seeds beside the repository")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let counts: Vec<usize> = files
        .iter()
        .map(|f| {
            gonogo_engine::parse::parse_file(f, "seed")
                .unwrap()
                .checklist
                .items
                .len()
        })
        .collect();
    assert_eq!(counts, [23, 122, 94, 59, 177]);
    // Every task-list line is exactly one item.
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let lines: Vec<usize> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                let t = l.trim_start();
                let rest = t
                    .strip_prefix("- ")
                    .or_else(|| t.strip_prefix("* "))
                    .or_else(|| {
                        t.split_once(". ")
                            .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
                            .map(|(_, r)| r)
                    });
                rest.is_some_and(|r| r.starts_with("[ ]") || r.starts_with("[x]"))
            })
            .map(|(i, _)| i + 1)
            .collect();
        let items: Vec<usize> = gonogo_engine::parse::parse_file(f, "seed")
            .unwrap()
            .checklist
            .items
            .iter()
            .map(|i| i.line)
            .collect();
        assert_eq!(items, lines, "{}", f.display());
    }
}

#[test]
fn checkboxes_in_table_cells_are_items_of_the_requirement_column() {
    let src = "# Matrix\n\n## Platform\n\n| Done | Requirement | Owner |\n|---|---|---|\n| [ ] | Runs as a `non-root` user | platform |\n| [x] | Has a HEALTHCHECK <!-- gonogo: docker.healthcheck --> | sre |\n| no box | not an item | x |\n| [ ] Pinned base image | me |\n\n| Check name | Short description | Done |\n|---|---|---|\n| License | The repository has a LICENSE file. | [X] |\n\n| Owner | What |\n|---|---|\n| ops | [link]: not a box |\n\n- [ ] a list item still counts\n";
    let cl = parse(src);
    let texts: Vec<&str> = cl.items.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Runs as a non-root user",
            "Has a HEALTHCHECK",
            "Pinned base image",
            "License: The repository has a LICENSE file",
            "a list item still counts",
        ]
    );
    let first = &cl.items[0];
    assert_eq!(first.line, 7);
    assert_eq!(first.section, ["Matrix", "Platform"]);
    assert_eq!(&src[first.marker.clone()], "[ ]");
    assert_eq!(first.code_spans, ["non-root"]);
    // A status note goes at the end of the requirement cell, inside the table.
    assert!(src[..first.note_at].ends_with("Runs as a `non-root` user"));
    assert!(cl.items[1].checked && cl.items[3].checked && !cl.items[2].checked);
    assert_eq!(cl.items[1].annotations[0].body, "docker.healthcheck");
    assert!(src[..cl.items[3].note_at].ends_with("LICENSE file."));
    assert_eq!(&src[cl.items[3].marker.clone()], "[X]");
}
