//! Item statuses, roll-up of sub-items and the verdict.

use std::time::Duration;

use gonogo_engine::bind::{BindSource, Binding, ItemBindings};
use gonogo_engine::catalogue::{CheckDocs, CheckMeta, Outcome, Params, TargetKind};
use gonogo_engine::config::DecideSettings;
use gonogo_engine::decide::{CheckRun, ItemStatus, Verdict, decide};
use gonogo_engine::parse::parse_str;

static META: CheckMeta = CheckMeta {
    id: "test.check",
    title: "Test",
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

fn binding() -> Binding {
    Binding {
        check: &META,
        params: Params::new(),
        reason: String::new(),
        source: BindSource::Auto,
    }
}

fn run(o: Outcome) -> CheckRun {
    CheckRun {
        binding: binding(),
        outcome: o,
        duration: Duration::ZERO,
    }
}

/// Decide a checklist given, per item, the outcomes of its checks (empty: unbound).
fn statuses(
    src: &str,
    outcomes: Vec<Vec<Outcome>>,
    settings: DecideSettings,
) -> (Vec<ItemStatus>, Verdict, Vec<bool>) {
    let cl = parse_str(src, "t.md").unwrap().checklist;
    assert_eq!(cl.items.len(), outcomes.len());
    let binds: Vec<ItemBindings> = outcomes
        .iter()
        .map(|o| ItemBindings {
            bindings: o.iter().map(|_| binding()).collect(),
            manual_reason: o.is_empty().then(|| "no check".to_string()),
        })
        .collect();
    let runs = vec![
        outcomes
            .into_iter()
            .map(|os| os.into_iter().map(run).collect())
            .collect(),
    ];
    let d = decide(&[cl], &[binds], runs, settings, false);
    (
        d.items[0].iter().map(|r| r.status).collect(),
        d.verdict,
        d.items[0].iter().map(|r| r.blocks).collect(),
    )
}

#[test]
fn worst_check_decides_an_item() {
    let (s, v, _) = statuses(
        "- [ ] a\n- [ ] b\n- [ ] c\n- [ ] d\n- [ ] e\n",
        vec![
            vec![Outcome::pass("ok"), Outcome::fail("no")],
            vec![Outcome::pass("ok"), Outcome::error("broke")],
            vec![Outcome::pass("ok"), Outcome::skipped("n/a")],
            vec![Outcome::skipped("n/a")],
            vec![],
        ],
        DecideSettings::default(),
    );
    assert_eq!(
        s,
        [
            ItemStatus::Fail,
            ItemStatus::Error,
            ItemStatus::Pass,
            ItemStatus::Skipped,
            ItemStatus::Manual
        ]
    );
    assert_eq!(v, Verdict::NoGo);
}

#[test]
fn go_needs_every_item_clear() {
    let (_, v, blocks) = statuses(
        "- [ ] a\n- [ ] b\n",
        vec![
            vec![Outcome::pass("ok")],
            vec![Outcome::skipped("no target")],
        ],
        DecideSettings::default(),
    );
    assert_eq!(v, Verdict::Go);
    assert_eq!(blocks, [false, false]);
}

#[test]
fn parents_without_checks_take_their_sub_items_status() {
    let src = "- [ ] parent\n  - [ ] a\n  - [ ] b\n- [ ] parent2\n  - [ ] c\n  - [ ] d\n- [ ] parent3\n  - [ ] e\n";
    let (s, _, blocks) = statuses(
        src,
        vec![
            vec![],
            vec![Outcome::pass("ok")],
            vec![Outcome::skipped("n/a")],
            vec![],
            vec![Outcome::pass("ok")],
            vec![],
            vec![Outcome::pass("ok")],
            vec![Outcome::fail("no")],
        ],
        DecideSettings::default(),
    );
    assert_eq!(s[0], ItemStatus::Pass, "all sub-items clear, one passing");
    assert_eq!(
        s[3],
        ItemStatus::Manual,
        "a manual sub-item keeps the parent manual"
    );
    assert_eq!(
        s[6],
        ItemStatus::Fail,
        "a failing sub-item fails a parent even with its own passing check"
    );
    assert!(blocks[6] && blocks[7]);
}

#[test]
fn config_can_let_manual_items_and_errors_only_warn() {
    let src = "- [ ] a\n- [ ] b\n- [ ] c\n";
    let outcomes = || {
        vec![
            vec![],
            vec![Outcome::error("down")],
            vec![Outcome::pass("ok")],
        ]
    };
    let (_, v, _) = statuses(
        src,
        outcomes(),
        DecideSettings {
            manual_warns: true,
            error_warns: false,
        },
    );
    assert_eq!(v, Verdict::NoGo);
    let (_, v, blocks) = statuses(
        src,
        outcomes(),
        DecideSettings {
            manual_warns: true,
            error_warns: true,
        },
    );
    assert_eq!(v, Verdict::Go);
    assert_eq!(blocks, [false, false, false]);
    let (_, _, blocks) = statuses(
        src,
        outcomes(),
        DecideSettings {
            manual_warns: false,
            error_warns: true,
        },
    );
    assert_eq!(blocks, [true, false, false]);
}

#[test]
fn an_interrupted_run_is_never_go() {
    let cl = parse_str("- [ ] a\n", "t.md").unwrap().checklist;
    let binds = vec![ItemBindings {
        bindings: vec![binding()],
        manual_reason: None,
    }];
    let runs = vec![vec![vec![run(Outcome::pass("ok"))]]];
    let d = decide(&[cl], &[binds], runs, DecideSettings::default(), true);
    assert_eq!(d.verdict, Verdict::NoGo);
}
