//! Property: the Markdown report is the input byte for byte, except that boxes follow the
//! statuses and status notes are appended; running it again on its own output changes nothing
//! but the notes it replaces.

use std::time::Duration;

use gonogo_engine::bind::{BindSource, Binding};
use gonogo_engine::catalogue::{CheckDocs, CheckMeta, Outcome, Params, TargetKind};
use gonogo_engine::decide::{CheckRun, ItemResult, ItemStatus};
use gonogo_engine::parse::parse_str;
use gonogo_report::markdown::render_checklist;
use proptest::prelude::*;

const STATUSES: [ItemStatus; 7] = [
    ItemStatus::Pass,
    ItemStatus::Fail,
    ItemStatus::Error,
    ItemStatus::Manual,
    ItemStatus::Signed,
    ItemStatus::Waived,
    ItemStatus::Skipped,
];

fn result(status: ItemStatus) -> ItemResult {
    ItemResult {
        status,
        checks: Vec::new(),
        note: None,
        rolled_up: false,
        blocks: false,
    }
}

/// One generated line of a checklist.
fn line() -> impl Strategy<Value = String> {
    let text = "[A-Za-z][A-Za-z0-9 ,.()/%<>≥✅-]{0,30}";
    prop_oneof![
        (
            0usize..4,
            any::<bool>(),
            text,
            prop::option::of("[a-z -]{1,12}")
        )
            .prop_map(|(depth, checked, t, code)| {
                let code = code.map(|c| format!(" (`{c}`)")).unwrap_or_default();
                format!(
                    "{}- [{}] {t}{code}",
                    "  ".repeat(depth),
                    if checked { "x" } else { " " }
                )
            }),
        (1usize..4, text).prop_map(|(n, t)| format!("{} {t}", "#".repeat(n))),
        text.prop_map(|t| format!("* [ ] **{t}**")),
        text.prop_map(|t| format!("1. [x] {t}")),
        text.prop_map(|t| format!("- plain {t}")),
        Just(String::new()),
        Just("| a | b |\n|---|---|\n| `x` | y |".to_string()),
        text.prop_map(|t| format!(
            "| Done | Item | Who |\n|---|---|---|\n| [ ] | {t} | ops |\n| [x] | b | |"
        )),
        Just("  ```bash\n  echo hi\n  # Expected: hi\n  ```".to_string()),
        text.prop_map(|t| format!("Some prose: {t}  ")),
    ]
}

fn checklist() -> impl Strategy<Value = (String, bool)> {
    (prop::collection::vec(line(), 1..40), any::<bool>()).prop_map(|(lines, crlf)| {
        let mut s = lines.join("\n");
        s.push_str("\n- [ ] last item\n");
        if crlf {
            s = s.replace('\n', "\r\n");
        }
        (s, crlf)
    })
}

fn strip_notes(s: &str) -> String {
    regex::Regex::new(r" <!-- gonogo-status: [^\n]*? -->")
        .unwrap()
        .replace_all(s, "")
        .into_owned()
}

fn unbox(s: &str) -> String {
    s.replace("[x]", "[ ]").replace("[X]", "[ ]")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn only_boxes_and_notes_change((src, _crlf) in checklist(), seed in any::<u64>()) {
        let cl = parse_str(&src, "gen.md").unwrap().checklist;
        let results: Vec<ItemResult> = (0..cl.items.len())
            .map(|i| result(STATUSES[((seed >> (i % 60)) as usize + i) % STATUSES.len()]))
            .collect();
        let out = render_checklist(&cl, &results, true);
        let stripped = strip_notes(&out);
        prop_assert_eq!(stripped.len(), src.len());
        prop_assert_eq!(unbox(&stripped), unbox(&src));
        // Each box follows its item's status.
        for (item, r) in cl.items.iter().zip(&results) {
            let want = if matches!(r.status, ItemStatus::Pass | ItemStatus::Signed) { "[x]" } else { "[ ]" };
            prop_assert_eq!(&stripped[item.marker.clone()], want);
        }
        prop_assert_eq!(out.matches("<!-- gonogo-status:").count(), cl.items.len());

        // Parsing the output finds the same items with the same ids, and a second report
        // replaces the notes instead of adding more.
        let again = parse_str(&out, "gen.md").unwrap().checklist;
        let ids: Vec<&str> = cl.items.iter().map(|i| i.id.as_str()).collect();
        let ids2: Vec<&str> = again.items.iter().map(|i| i.id.as_str()).collect();
        prop_assert_eq!(&ids, &ids2);
        let out2 = render_checklist(&again, &results, true);
        prop_assert_eq!(out2, out);
    }
}

static META: CheckMeta = CheckMeta {
    id: "docs.example",
    title: "Example",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "",
        why: "",
        fix: "",
        example: "",
        binds: &[],
        not_binds: &[],
    },
};

#[test]
fn notes_say_why_an_item_fails_and_replace_earlier_notes() {
    let src = "- [x] one\n- [ ] two -- <b>\n";
    let cl = parse_str(src, "t.md").unwrap().checklist;
    let failing = ItemResult {
        checks: vec![CheckRun {
            binding: Binding {
                check: &META,
                params: Params::new(),
                reason: String::new(),
                source: BindSource::Auto,
            },
            outcome: Outcome::fail("no README found --> add one"),
            duration: Duration::ZERO,
        }],
        ..result(ItemStatus::Fail)
    };
    let out = render_checklist(&cl, &[failing.clone(), result(ItemStatus::Pass)], true);
    assert_eq!(
        out,
        "- [ ] one <!-- gonogo-status: fail — docs.example: no README found –› add one -->\n- [x] two -- <b> <!-- gonogo-status: pass -->\n"
    );
    // A later run replaces the notes rather than piling them up.
    let again = parse_str(&out, "t.md").unwrap().checklist;
    let out2 = render_checklist(
        &again,
        &[result(ItemStatus::Manual), result(ItemStatus::Pass)],
        true,
    );
    assert_eq!(
        out2,
        "- [ ] one <!-- gonogo-status: manual -->\n- [x] two -- <b> <!-- gonogo-status: pass -->\n"
    );
}
