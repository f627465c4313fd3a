//! `[checks."ID"]` in gonogo.toml: values only the team knows complete the bindings of every
//! item that names the check, and a check that recognised an item but lacks such a value says
//! which one, and where to give it.

use gonogo_engine::bind::{ItemBindings, bind_all};
use gonogo_engine::config::Config;
use gonogo_engine::parse::parse_str;

fn bind(src: &str, toml: &str) -> Vec<ItemBindings> {
    let cl = parse_str(src, "c.md").unwrap().checklist;
    let cfg = Config::parse(toml, "gonogo.toml").unwrap();
    bind_all(std::slice::from_ref(&cl), &gonogo_checks::catalogue(), &cfg)
        .unwrap()
        .remove(0)
}

fn bound<'a>(b: &'a ItemBindings, id: &str) -> Option<&'a gonogo_engine::bind::Binding> {
    b.bindings.iter().find(|x| x.check.id == id)
}

const ITEMS: &str = "# Data\n- [ ] Backups fresh\n- [ ] Backups every 6 hours\n- [ ] Nightly database dump lands in `/srv/pg/`\n- [ ] Restore from the latest backup tested\n- [ ] Restore procedure written down in the runbook\n- [ ] Backups fresh <!-- gonogo: backup.fresh -->\n";

const TEAM: &str = "[checks.\"backup.fresh\"]\npath = \"/var/backups/db\"\n\n[checks.\"backup.restore-tested\"]\nrestore = \"./restore.sh scratch\"\nverify = \"psql scratch -Atc 'select 1'\"\n";

#[test]
fn without_team_values_a_recognised_item_says_which_value_is_missing() {
    let b = bind(&ITEMS.replace(" <!-- gonogo: backup.fresh -->", ""), "");
    assert!(b[0].bindings.is_empty());
    let why = b[0].manual_reason.as_deref().unwrap();
    assert!(
        why.contains("`path`") && why.contains("[checks.\"backup.fresh\"]"),
        "{why}"
    );
    // A path in the item is enough without settings.
    let own = bound(&b[2], "backup.fresh").expect("the item names its location");
    assert_eq!(own.params["path"], "/srv/pg/");
    let restore = b[3].manual_reason.as_deref().unwrap();
    assert!(
        restore.contains("`restore`") && restore.contains("`verify`"),
        "{restore}"
    );
}

#[test]
fn team_values_complete_automatic_and_annotated_bindings_without_overriding_the_item() {
    let b = bind(ITEMS, TEAM);
    let fresh = bound(&b[0], "backup.fresh").expect("bound with the team's path");
    assert_eq!(fresh.params["path"], "/var/backups/db");
    let every = bound(&b[1], "backup.fresh").unwrap();
    assert_eq!(every.params["path"], "/var/backups/db");
    // Every 6 hours, with a twelfth of slack for the job's own run time.
    assert_eq!(every.params["max_age_ms"], 6 * 3_600_000 + 1_800_000);
    assert_eq!(
        bound(&b[2], "backup.fresh").unwrap().params["path"],
        "/srv/pg/",
        "what the item says wins over the team's default"
    );
    let restore = bound(&b[3], "backup.restore-tested").expect("restore bound");
    assert_eq!(restore.params["restore"], "./restore.sh scratch");
    let ids: Vec<&str> = b[4].bindings.iter().map(|x| x.check.id).collect();
    assert_eq!(
        ids,
        ["docs.runbook"],
        "a documented procedure is a document's claim, not a restore's"
    );
    let annotated = bound(&b[5], "backup.fresh").expect("annotation");
    assert_eq!(annotated.params["path"], "/var/backups/db");
}

#[test]
fn bad_team_settings_name_the_file_and_line() {
    let cl = parse_str(ITEMS, "c.md").unwrap().checklist;
    let cat = gonogo_checks::catalogue();
    for (toml, says) in [
        (
            "\n[checks.\"backup.nope\"]\npath = \"x\"\n",
            "unknown check `backup.nope`",
        ),
        ("[checks.\"backup.fresh\"]\npth = \"x\"\n", "pth"),
        (
            "[checks.\"backup.fresh\"]\nmax_age_ms = \"soon\"\n",
            "max_age_ms",
        ),
    ] {
        let cfg = Config::parse(toml, "gonogo.toml").unwrap();
        let err = bind_all(std::slice::from_ref(&cl), &cat, &cfg)
            .err()
            .unwrap_or_else(|| panic!("{toml} is refused"));
        let shown = err.to_string();
        assert!(
            shown.contains("gonogo.toml:") && shown.contains(says),
            "{shown}"
        );
    }
}

#[test]
fn a_load_test_without_a_threshold_takes_the_teams_or_says_what_it_lacks() {
    let src = "# Perf\n- [ ] Load tested before launch\n- [ ] p95 under 200 ms under load\n- [ ] Load test plan reviewed by the team\n";
    let without = bind(src, "");
    assert!(without[0].bindings.is_empty());
    let why = without[0].manual_reason.as_deref().unwrap();
    assert!(
        why.contains("`max_ms`") && why.contains("[checks.\"load.latency-under-load\"]"),
        "{why}"
    );
    // An item that states its threshold needs no settings.
    let own = bound(&without[1], "load.latency-under-load").expect("threshold stated");
    assert_eq!(own.params["max_ms"], 200.0);

    let with = bind(src, "[checks.\"load.latency-under-load\"]\nmax_ms = 300\n");
    let team = bound(&with[0], "load.latency-under-load").expect("the team's threshold");
    assert_eq!(team.params["max_ms"], 300.0);
    // The item's own threshold wins over the team's.
    assert_eq!(
        bound(&with[1], "load.latency-under-load").unwrap().params["max_ms"],
        200.0
    );
    assert!(with[2].bindings.is_empty(), "a plan reviewed is a person's");
}

#[test]
fn an_item_whose_claims_each_lack_a_team_value_names_every_value_it_needs() {
    // Split into claims, each recognised by its own check, neither can run without the
    // team's values: the item's reason names both, not "no check recognises this wording".
    let b = bind("- [ ] Database backups automated and tested\n", "");
    assert!(b[0].bindings.is_empty());
    let why = b[0].manual_reason.as_deref().unwrap();
    assert!(
        why.contains("[checks.\"backup.fresh\"]")
            && why.contains("[checks.\"backup.restore-tested\"]"),
        "{why}"
    );
    let with = bind("- [ ] Database backups automated and tested\n", TEAM);
    let ids: Vec<&str> = with[0].bindings.iter().map(|x| x.check.id).collect();
    assert_eq!(ids, ["backup.fresh", "backup.restore-tested"]);
}
