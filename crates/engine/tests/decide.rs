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
            ..ItemBindings::default()
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
        ..ItemBindings::default()
    }];
    let runs = vec![vec![vec![run(Outcome::pass("ok"))]]];
    let d = decide(&[cl], &[binds], runs, DecideSettings::default(), true);
    assert_eq!(d.verdict, Verdict::NoGo);
}

mod attestations {
    use super::*;
    use gonogo_engine::attest::{Attestations, SignOff, Waiver, wording_hash};
    use gonogo_engine::decide::decide_with;

    const NOW: i64 = 1_800_000_000;

    fn decide_attested(
        src: &str,
        outcomes: Vec<Vec<Outcome>>,
        a: &Attestations,
    ) -> gonogo_engine::decide::Decision {
        let cl = parse_str(src, "t.md").unwrap().checklist;
        let binds: Vec<ItemBindings> = outcomes
            .iter()
            .map(|o| ItemBindings {
                bindings: o.iter().map(|_| binding()).collect(),
                manual_reason: o.is_empty().then(|| "no check".to_string()),
                ..ItemBindings::default()
            })
            .collect();
        let runs = vec![
            outcomes
                .into_iter()
                .map(|os| os.into_iter().map(run).collect())
                .collect(),
        ];
        decide_with(&[cl], &[binds], runs, DecideSettings::default(), false, a)
    }

    fn id_of(src: &str, i: usize) -> String {
        parse_str(src, "t.md").unwrap().checklist.items[i]
            .id
            .clone()
    }

    fn signoff(item: &str, wording: &str, expires: Option<i64>) -> SignOff {
        SignOff {
            entry: 1,
            item: Some(item.into()),
            wording: Some(wording_hash(wording)),
            role: None,
            by: "Ada".into(),
            note: None,
            at: NOW - 10,
            expires,
        }
    }

    #[test]
    fn a_valid_sign_off_signs_a_manual_item_only() {
        let src = "- [ ] Team training completed\n- [ ] Tests pass\n";
        let a = Attestations {
            now: NOW,
            signoffs: vec![
                signoff(&id_of(src, 0), "Team training completed", Some(NOW + 5)),
                signoff(&id_of(src, 1), "Tests pass", None),
            ],
            waivers: vec![],
        };
        let d = decide_attested(src, vec![vec![], vec![Outcome::fail("red")]], &a);
        assert_eq!(d.items[0][0].status, ItemStatus::Signed);
        assert_eq!(
            d.items[0][1].status,
            ItemStatus::Fail,
            "signing never hides a failing check"
        );
        assert_eq!(d.summary.signed, 1);
        assert_eq!(d.record.signoffs.len(), 1);
    }

    #[test]
    fn expired_or_reworded_sign_offs_do_not_count_and_are_reported() {
        let src = "- [ ] Team training completed\n- [ ] Recovery tested\n";
        let a = Attestations {
            now: NOW,
            signoffs: vec![
                signoff(&id_of(src, 0), "Team training completed", Some(NOW - 1)),
                signoff(&id_of(src, 1), "Recovery procedures tested", None),
            ],
            waivers: vec![],
        };
        let d = decide_attested(src, vec![vec![], vec![]], &a);
        assert_eq!(d.items[0][0].status, ItemStatus::Manual);
        assert_eq!(d.items[0][1].status, ItemStatus::Manual);
        assert_eq!(d.record.expired.len(), 2, "{:?}", d.record.expired);
        assert!(d.record.expired.iter().any(|e| e.contains("expired on")));
        assert!(
            d.record
                .expired
                .iter()
                .any(|e| e.contains("wording changed"))
        );
    }

    #[test]
    fn a_waiver_lets_a_failing_sub_item_and_its_parent_through() {
        let src = "- [ ] Docs\n  - [ ] README present\n";
        let w = Waiver {
            entry: 2,
            item: id_of(src, 1),
            wording: wording_hash("README present"),
            by: "Linus".into(),
            reason: "next sprint".into(),
            at: NOW - 10,
            expires: NOW + 100,
        };
        let a = Attestations {
            now: NOW,
            signoffs: vec![],
            waivers: vec![w.clone()],
        };
        let d = decide_attested(src, vec![vec![], vec![Outcome::fail("missing")]], &a);
        assert_eq!(d.items[0][1].status, ItemStatus::Waived);
        assert_eq!(d.items[0][0].status, ItemStatus::Pass);
        assert_eq!(d.verdict, Verdict::Go);
        assert_eq!(d.record.waivers, vec![w.clone()]);
        let expired = Attestations {
            now: NOW + 100,
            ..a
        };
        let d = decide_attested(src, vec![vec![], vec![Outcome::fail("missing")]], &expired);
        assert_eq!(d.items[0][1].status, ItemStatus::Fail);
        assert_eq!(d.verdict, Verdict::NoGo);
    }
}
