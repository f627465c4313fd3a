//! Properties of the whole catalogue: ids, documentation, and that the wordings each check
//! documents really bind (or really do not).

use std::collections::HashSet;

use gonogo_engine::bind::bind_all;
use gonogo_engine::config::Config;
use gonogo_engine::parse::parse_str;

/// Whether the check recognises the wording on its own: it binds, or declines with a reason
/// (checks that need configuration, such as a backup location, decline and say what to add).
fn recognises(check: &std::sync::Arc<dyn gonogo_engine::catalogue::Check>, wording: &str) -> bool {
    use gonogo_engine::bind::ViewParts;
    use gonogo_engine::catalogue::BindVerdict;
    let cl = parse_str(&format!("- [ ] {wording}\n"), "doc.md")
        .unwrap()
        .checklist;
    let parts = ViewParts::new(&cl);
    !matches!(check.bind(&parts.view(&cl, 0)), BindVerdict::No)
}

fn bound_checks(wording: &str) -> Vec<&'static str> {
    let cl = parse_str(&format!("- [ ] {wording}\n"), "doc.md")
        .unwrap()
        .checklist;
    let b = bind_all(&[cl], &gonogo_checks::catalogue(), &Config::default()).unwrap();
    b[0][0].bindings.iter().map(|x| x.check.id).collect()
}

/// The checks that cover the whole wording by themselves: bound, with no claim left to a
/// person. A documented non-wording may be covered in part ("Helm chart created and tested":
/// the chart check covers "created", a person "tested"), never wholly.
fn covering_checks(wording: &str) -> Vec<&'static str> {
    let cl = parse_str(&format!("- [ ] {wording}\n"), "doc.md")
        .unwrap()
        .checklist;
    let b = bind_all(&[cl], &gonogo_checks::catalogue(), &Config::default()).unwrap();
    let item = &b[0][0];
    if item.is_partial() {
        return Vec::new();
    }
    item.bindings.iter().map(|x| x.check.id).collect()
}

#[test]
fn ids_are_unique_permanent_shapes() {
    let re = regex::Regex::new(r"^[a-z][a-z0-9]*\.[a-z0-9]+(-[a-z0-9]+)*$").unwrap();
    let mut seen = HashSet::new();
    for c in gonogo_checks::catalogue().iter() {
        let m = c.meta();
        assert!(re.is_match(m.id), "{} is not family.kebab-name", m.id);
        assert!(seen.insert(m.id), "{} is registered twice", m.id);
    }
}

#[test]
fn every_check_is_documented() {
    for c in gonogo_checks::catalogue().iter() {
        let m = c.meta();
        let d = &m.docs;
        for (name, text) in [
            ("title", m.title),
            ("what", d.what),
            ("why", d.why),
            ("fix", d.fix),
            ("example", d.example),
        ] {
            assert!(
                text.trim().len() >= 10,
                "{}: `{name}` is missing or too short",
                m.id
            );
        }
        assert!(
            !m.title.ends_with('.'),
            "{}: a title is not a sentence",
            m.id
        );
        for (name, text) in [("what", d.what), ("why", d.why), ("fix", d.fix)] {
            assert!(
                text.trim_end().ends_with('.'),
                "{}: `{name}` should be whole sentences",
                m.id
            );
        }
        assert!(
            !d.binds.is_empty(),
            "{}: document wordings it binds to",
            m.id
        );
        assert!(
            !d.not_binds.is_empty(),
            "{}: document wordings it must not bind to",
            m.id
        );
        for p in m.params {
            assert!(
                !p.doc.is_empty(),
                "{}: parameter {} has no doc",
                m.id,
                p.name
            );
        }
    }
}

#[test]
fn documented_wordings_bind_and_documented_non_wordings_do_not() {
    let mut problems = Vec::new();
    for c in gonogo_checks::catalogue().iter() {
        let m = c.meta();
        for w in m.docs.binds {
            if !bound_checks(w).contains(&m.id) && !recognises(c, w) {
                problems.push(format!("{}: should bind \"{w}\"", m.id));
            }
        }
        for w in m.docs.not_binds {
            if covering_checks(w).contains(&m.id) {
                problems.push(format!("{}: must not bind \"{w}\"", m.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// An item that says a little more than a check shows, about a subject the item cannot hold
/// without (the check `shows_part`), binds that check for its part: the check runs and the
/// words beyond wait for a person. A record of the subject, or who may use it, is another
/// thing, and a check that does not show a part leaves the item wholly to a person.
#[test]
fn a_check_that_shows_part_of_an_item_binds_it_partly() {
    use gonogo_engine::bind::Uncovered;
    let bind = |wording: &str| {
        let cl = parse_str(&format!("- [ ] {wording}\n"), "doc.md")
            .unwrap()
            .checklist;
        bind_all(&[cl], &gonogo_checks::catalogue(), &Config::default())
            .unwrap()
            .remove(0)
            .remove(0)
    };
    for (wording, check, beyond) in [
        (
            "The API documentation MUST describe every error code.",
            "docs.api",
            "describe error code",
        ),
        (
            "Lockfiles refreshed weekly",
            "repo.lockfiles",
            "refreshed weekly",
        ),
    ] {
        let item = bind(wording);
        let ids: Vec<_> = item.bindings.iter().map(|b| b.check.id).collect();
        assert_eq!(ids, [check], "{wording}");
        assert!(item.is_partial(), "{wording}: a person signs the rest");
        let words: Vec<_> = item
            .claims
            .iter()
            .filter_map(|c| match &c.uncovered {
                Some(Uncovered::Beyond(w)) => Some(w.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(words, [beyond], "{wording}");
    }
    for wording in [
        "Load test results published to the wiki",
        "Replication user has its own password",
        "rate limiting version controlled",
    ] {
        let item = bind(wording);
        assert!(item.bindings.is_empty(), "{wording}: {:?}", item.bindings);
    }
}
