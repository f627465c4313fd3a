//! The built-in checklist binds every item, each to the check its annotation names.

use gonogo_engine::bind::bind_all;
use gonogo_engine::builtin::{BUILTIN_CHECKLIST, BUILTIN_NAME};
use gonogo_engine::config::Config;
use gonogo_engine::parse::parse_str;

#[test]
fn every_built_in_item_is_bound() {
    let cl = parse_str(BUILTIN_CHECKLIST, BUILTIN_NAME)
        .unwrap()
        .checklist;
    let b = bind_all(
        std::slice::from_ref(&cl),
        &gonogo_checks::catalogue(),
        &Config::default(),
    )
    .unwrap();
    for (item, binds) in cl.items.iter().zip(&b[0]) {
        assert!(!binds.bindings.is_empty(), "{} is not bound", item.text);
        let named = item.annotations[0].body.split_whitespace().next().unwrap();
        assert_eq!(binds.bindings[0].check.id, named);
    }
    assert!(cl.items.len() >= 8);
}
