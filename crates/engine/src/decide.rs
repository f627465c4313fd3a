//! Stage 4: from check outcomes to item statuses and the verdict.
//!
//! An item's status is the worst of its checks (fail, then error, then pass; skipped only when
//! every check skipped). A task item with sub-items and no checks of its own takes the status of
//! its sub-items. GO needs every item pass, signed, waived or skipped, unless the config lets
//! manual items or errors only warn.

use std::time::Duration;

use crate::attest::{Applied, Applier, Attestations, Record};
use crate::bind::{Binding, ItemBindings};
use crate::catalogue::{CheckStatus, Outcome, TargetKind};
use crate::config::DecideSettings;
use crate::model::Checklist;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemStatus {
    Pass,
    Fail,
    Error,
    Manual,
    Signed,
    Waived,
    Skipped,
}

impl ItemStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Pass => "pass",
            ItemStatus::Fail => "fail",
            ItemStatus::Error => "error",
            ItemStatus::Manual => "manual",
            ItemStatus::Signed => "signed",
            ItemStatus::Waived => "waived",
            ItemStatus::Skipped => "skipped",
        }
    }

    /// Whether it lets GO through by itself.
    pub fn is_clear(self) -> bool {
        matches!(
            self,
            ItemStatus::Pass | ItemStatus::Signed | ItemStatus::Waived | ItemStatus::Skipped
        )
    }

    /// Severity for ordering reports: fail first.
    pub fn rank(self) -> u8 {
        match self {
            ItemStatus::Fail => 0,
            ItemStatus::Error => 1,
            ItemStatus::Manual => 2,
            ItemStatus::Waived => 3,
            ItemStatus::Skipped => 4,
            ItemStatus::Signed => 5,
            ItemStatus::Pass => 6,
        }
    }
}

/// One check run for an item.
#[derive(Debug, Clone)]
pub struct CheckRun {
    pub binding: Binding,
    pub outcome: Outcome,
    pub duration: Duration,
}

/// An item's decided status.
#[derive(Debug, Clone)]
pub struct ItemResult {
    pub status: ItemStatus,
    pub checks: Vec<CheckRun>,
    /// Why the item is what it is when no check says so (manual reason, sub-item roll-up).
    pub note: Option<String>,
    /// The status came from sub-items, not from checks of its own.
    pub rolled_up: bool,
    /// Whether this item stands between the user and GO.
    pub blocks: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub items: usize,
    pub pass: usize,
    pub fail: usize,
    pub error: usize,
    pub manual: usize,
    pub signed: usize,
    pub waived: usize,
    pub skipped: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Go,
    NoGo,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Go => "go",
            Verdict::NoGo => "no-go",
        }
    }
}

/// The decision over all checklists.
#[derive(Debug, Clone)]
pub struct Decision {
    pub verdict: Verdict,
    pub summary: Summary,
    /// Per checklist, per item.
    pub items: Vec<Vec<ItemResult>>,
    /// The run was interrupted; results are partial.
    pub interrupted: bool,
    /// Sign-offs, waivers and roles the decision rests on (see [`crate::attest`]).
    pub record: Record,
}

/// Decide from bindings and the outcomes of their checks (`runs[c][i]` lists the runs of
/// item `i` of checklist `c`, in binding order).
pub fn decide(
    checklists: &[Checklist],
    bindings: &[Vec<ItemBindings>],
    runs: Vec<Vec<Vec<CheckRun>>>,
    settings: DecideSettings,
    interrupted: bool,
) -> Decision {
    decide_with(
        checklists,
        bindings,
        runs,
        settings,
        interrupted,
        &Attestations::default(),
    )
}

/// [`decide`], with people's sign-offs and waivers: a manual item with a valid sign-off is
/// `signed`, a failing or erroring item with a waiver in force is `waived`.
pub fn decide_with(
    checklists: &[Checklist],
    bindings: &[Vec<ItemBindings>],
    runs: Vec<Vec<Vec<CheckRun>>>,
    settings: DecideSettings,
    interrupted: bool,
    attest: &Attestations,
) -> Decision {
    let mut applier = Applier::new(attest, checklists);
    let mut summary = Summary::default();
    let mut all = Vec::with_capacity(checklists.len());
    for ((cl, binds), runs) in checklists.iter().zip(bindings).zip(runs) {
        let mut results: Vec<ItemResult> = runs
            .into_iter()
            .zip(binds)
            .map(|(checks, b)| own_result(checks, b))
            .collect();
        let c = all.len();
        attest_all(&mut applier, c, cl, &mut results);
        // Children come after their parent in file order, so walk backwards.
        for i in (0..cl.items.len()).rev() {
            let children = &cl.items[i].children;
            let Some(worst) = children
                .iter()
                .map(|&c| results[c].status)
                .min_by_key(|&s| rollup_rank(s))
            else {
                continue;
            };
            let all_clear = children.iter().all(|&c| results[c].status.is_clear());
            let any_judged = children
                .iter()
                .any(|&c| results[c].status != ItemStatus::Skipped);
            let n = children.len();
            let r = &mut results[i];
            if r.checks.is_empty() && r.status == ItemStatus::Manual && !forced_manual(&binds[i]) {
                r.status = match (all_clear, any_judged) {
                    (true, true) => ItemStatus::Pass,
                    (true, false) => ItemStatus::Skipped,
                    (false, _) => worst,
                };
                r.rolled_up = true;
                r.note = Some(format!(
                    "judged by its {n} sub-item{}",
                    if n == 1 { "" } else { "s" }
                ));
            } else if rollup_rank(worst) < 2 && rollup_rank(worst) < rollup_rank(r.status) {
                r.status = worst;
                r.note = Some("a sub-item does not pass".into());
            }
        }
        // Again, for parents whose status their sub-items decided.
        attest_all(&mut applier, c, cl, &mut results);
        for r in results.iter_mut() {
            let warns_only = (r.status == ItemStatus::Manual && settings.manual_warns)
                || (r.status == ItemStatus::Error && settings.error_warns);
            r.blocks = !r.status.is_clear() && !warns_only;
            summary.items += 1;
            match r.status {
                ItemStatus::Pass => summary.pass += 1,
                ItemStatus::Fail => summary.fail += 1,
                ItemStatus::Error => summary.error += 1,
                ItemStatus::Manual => summary.manual += 1,
                ItemStatus::Signed => summary.signed += 1,
                ItemStatus::Waived => summary.waived += 1,
                ItemStatus::Skipped => summary.skipped += 1,
            }
        }
        all.push(results);
    }
    let blocked = all.iter().flatten().any(|r| r.blocks);
    Decision {
        verdict: if blocked || interrupted {
            Verdict::NoGo
        } else {
            Verdict::Go
        },
        summary,
        items: all,
        interrupted,
        record: applier.finish(),
    }
}

fn attest_all(applier: &mut Applier, c: usize, cl: &Checklist, results: &mut [ItemResult]) {
    for (i, r) in results.iter_mut().enumerate() {
        let manual = r.status == ItemStatus::Manual;
        let failing = matches!(r.status, ItemStatus::Fail | ItemStatus::Error);
        match applier.apply(c, i, &cl.items[i], manual, failing) {
            Some(Applied::Signed(note)) => {
                r.status = ItemStatus::Signed;
                r.note = Some(note);
            }
            Some(Applied::Waived(note)) => {
                r.status = ItemStatus::Waived;
                r.note = Some(note);
            }
            None => {}
        }
    }
}

fn forced_manual(b: &ItemBindings) -> bool {
    b.manual_reason
        .as_deref()
        .is_some_and(|r| r.starts_with("marked manual") || r.starts_with("kept manual"))
}

/// For roll-up: fail worst, then error, then manual, then the clear ones.
fn rollup_rank(s: ItemStatus) -> u8 {
    match s {
        ItemStatus::Fail => 0,
        ItemStatus::Error => 1,
        ItemStatus::Manual => 2,
        _ => 3,
    }
}

/// An item's status from its own checks. Honest: every bound check must pass. A check
/// skipped because its target was not given (a live, datastore or command check) leaves
/// that part unproved, so the item is `skipped`, not `pass`; and an item with claims only a
/// person can cover stays `manual` until signed, however its checks fare.
fn own_result(checks: Vec<CheckRun>, b: &ItemBindings) -> ItemResult {
    let any = |s: CheckStatus| checks.iter().any(|c| c.outcome.status == s);
    let unproved: Vec<&CheckRun> = checks
        .iter()
        .filter(|c| {
            c.outcome.status == CheckStatus::Skipped
                && c.binding.check.target != TargetKind::Repository
        })
        .collect();
    let mut note = None;
    let status = if checks.is_empty() {
        note = b.manual_reason.clone();
        ItemStatus::Manual
    } else if any(CheckStatus::Fail) {
        ItemStatus::Fail
    } else if any(CheckStatus::Error) {
        ItemStatus::Error
    } else if b.is_partial() {
        let done = if any(CheckStatus::Pass) && unproved.is_empty() {
            "the automated part passes"
        } else {
            "the automated part is not proved"
        };
        note = b.manual_reason.as_ref().map(|why| format!("{done}; {why}"));
        ItemStatus::Manual
    } else if any(CheckStatus::Pass) && !unproved.is_empty() {
        let parts: Vec<String> = unproved
            .iter()
            .map(|c| format!("{} ({})", c.binding.check.id, c.outcome.message))
            .collect();
        note = Some(format!(
            "only part of the item was checked; not run: {}",
            parts.join("; ")
        ));
        ItemStatus::Skipped
    } else if any(CheckStatus::Pass) {
        ItemStatus::Pass
    } else {
        ItemStatus::Skipped
    };
    ItemResult {
        status,
        checks,
        note,
        rolled_up: false,
        blocks: false,
    }
}
