//! `gonogo map --format json` on each seed, as snapshots: a change in parsing or binding shows
//! as a diff to review. Bless with `INSTA_UPDATE=always cargo test --test map_snapshots`.

use std::path::Path;

use gonogo_engine::bind::bind_all;
use gonogo_engine::config::Config;
use gonogo_engine::parse::parse_file;

#[test]
fn map_of_each_seed() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let mut files: Vec<_> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let catalogue = gonogo_checks::catalogue();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let cl = parse_file(&f, &format!("seeds/{name}")).unwrap().checklist;
        let bindings = bind_all(std::slice::from_ref(&cl), &catalogue, &Config::default()).unwrap();
        let json = gonogo_report::map::render_json(std::slice::from_ref(&cl), &bindings);
        let stem = name.split('_').next().unwrap().to_string();
        insta::assert_snapshot!(format!("map_seed_{stem}"), json);
    }
}
