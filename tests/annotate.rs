//! `gonogo map --annotate`: the bindings written back into the checklist bind the same way,
//! nothing but the annotations changes, a second run changes nothing, and secrets stay out.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

fn gonogo() -> Command {
    let mut c = Command::cargo_bin("gonogo").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The committed fixture: CRLF-free, with trailing spaces, an item over two lines, sub-items,
/// an item in a block quote, ordered items, a status note, an annotated item, a `[[bind]]`
/// item and unbound items.
fn fixture_repo() -> TempDir {
    let t = TempDir::new().unwrap();
    for f in ["CHECKLIST.md", "gonogo.toml"] {
        std::fs::copy(
            root().join("tests/fixtures/annotate").join(f),
            t.path().join(f),
        )
        .unwrap();
    }
    t
}

/// What must survive annotation, per item: id, wording, checks with parameters, and
/// whether part of it is left to a person.
fn bindings_of(file: &Path, repo: &Path) -> Vec<Value> {
    let out = gonogo()
        .args(["map", "--format", "json", "--repo"])
        .arg(repo)
        .arg(file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: Value = serde_json::from_slice(&out.stdout).unwrap();
    m["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|it| {
            let checks: Vec<Value> = it["bindings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| serde_json::json!([b["check"], normalise(&b["params"])]))
                .collect();
            serde_json::json!({
                "id": it["id"], "line": it["line"], "text": it["text"], "checks": checks,
                "manual": it["manual_reason"].is_string(),
            })
        })
        .collect()
}

/// Numbers as floats: a threshold of `90` read back from an annotation is `90.0`, the same
/// value for every check.
fn normalise(v: &Value) -> Value {
    match v {
        Value::Number(n) => serde_json::json!(n.as_f64()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (k.clone(), normalise(v))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        other => other.clone(),
    }
}

fn bound_by(file: &Path, repo: &Path) -> Vec<String> {
    let out = gonogo()
        .args(["map", "--format", "json", "--repo"])
        .arg(repo)
        .arg(file)
        .output()
        .unwrap();
    let m: Value = serde_json::from_slice(&out.stdout).unwrap();
    m["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|it| it["bindings"].as_array().unwrap().clone())
        .map(|b| b["bound_by"].as_str().unwrap().to_string())
        .collect()
}

fn annotate(file: &Path, repo: &Path) -> std::process::Output {
    gonogo()
        .args(["map", "--annotate", "--repo"])
        .arg(repo)
        .arg(file)
        .output()
        .unwrap()
}

/// `new` is `old` with only annotations inserted: line by line (insertions add no line), each
/// changed line is the old one with one run of `<!-- gonogo: … -->` comments put in.
fn assert_only_annotations_inserted(old: &str, new: &str) {
    let ins = regex::Regex::new(r"^ ?<!-- gonogo: .*?-->(?: <!-- gonogo: .*?-->)*$").unwrap();
    let (a, b): (Vec<&str>, Vec<&str>) = (old.split('\n').collect(), new.split('\n').collect());
    assert_eq!(a.len(), b.len(), "annotations add no line");
    for (o, n) in a.iter().zip(&b) {
        if o == n {
            continue;
        }
        assert!(
            !o.contains("<!-- gonogo:"),
            "an annotated line is left alone:\n{o}\n{n}"
        );
        let d = n.len() - o.len();
        let fits = (0..=o.len()).any(|k| {
            o.is_char_boundary(k)
                && n.is_char_boundary(k)
                && n.is_char_boundary(k + d)
                && n[..k] == o[..k]
                && n[k + d..] == o[k..]
                && ins.is_match(&n[k..k + d])
        });
        assert!(fits, "only annotations are inserted:\n{o:?}\n{n:?}");
    }
}

/// Annotate `file` in `repo` and hold it to every promise; returns the annotated text.
fn round_trip(file: &Path, repo: &Path) -> String {
    let before_text = std::fs::read_to_string(file).unwrap();
    let before = bindings_of(file, repo);
    let out = annotate(file, repo);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("annotated in"), "{stdout}");
    let after_text = std::fs::read_to_string(file).unwrap();
    // (a) the same bindings and parameters, item by item.
    let after = bindings_of(file, repo);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a, "{}", file.display());
    }
    // (b) every other byte unchanged.
    assert_only_annotations_inserted(&before_text, &after_text);
    // (c) a second run changes nothing.
    let out = annotate(file, repo);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("0 items annotated in"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(std::fs::read_to_string(file).unwrap(), after_text);
    // Nothing is left behind beside the file.
    let dir = file.parent().unwrap();
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "temporary file left: {name}");
    }
    after_text
}

#[test]
fn annotate_round_trips_the_committed_fixture() {
    let repo = fixture_repo();
    let file = repo.path().join("CHECKLIST.md");
    let text = round_trip(&file, repo.path());
    // Automatic bindings are now annotations; the [[bind]] item is still bound by its rule.
    let sources = bound_by(&file, repo.path());
    assert!(
        sources.iter().all(|s| s == "annotation" || s == "config"),
        "{sources:?}"
    );
    assert_eq!(sources.iter().filter(|s| *s == "config").count(), 1);
    let line = |start: &str| {
        text.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("{start}"))
            .to_string()
    };
    // Parameters that differ from the defaults, quoted where needed; defaults left out.
    assert_eq!(
        line("- [ ] All tests passing"),
        r#"- [ ] All tests passing <!-- gonogo: exec.command command=./scripts/test.sh expect="40+ tests passing" -->"#
    );
    assert!(line("- [ ] `/health`").ends_with(
        r#"<!-- gonogo: http.health-endpoint paths=/health body='{"status":"ok"}' -->"#
    ));
    // Trailing spaces kept, the annotation after them.
    assert!(line("- [ ] Coverage").contains(".sh`)   <!-- gonogo: exec.command"));
    // An item over two lines is annotated at the end of its last line.
    assert_eq!(line("  present"), "  present <!-- gonogo: docs.license -->");
    // Sub-items, block quotes and ordered items each get their own.
    assert!(
        line("  - [ ] GitHub Actions")
            .ends_with("<!-- gonogo: ci.workflow-present provider=github-actions -->")
    );
    assert!(line("> - [ ] `.env.example`").ends_with("<!-- gonogo: config.env-example -->"));
    assert!(line("1. [ ] HSTS").ends_with("<!-- gonogo: http.security-headers require=hsts -->"));
    // Before the Markdown report's status note, which that report replaces on its next run.
    assert_eq!(
        line("- [x] README.md"),
        "- [x] README.md with installation and usage <!-- gonogo: docs.readme --> <!-- gonogo-status: pass -->"
    );
    // Left alone: annotated, bound by a rule, unbound (no `manual` needed), a parent judged
    // by its sub-items.
    assert_eq!(
        line("- [ ] Runbooks"),
        "- [ ] Runbooks created <!-- gonogo: docs.runbook -->"
    );
    assert_eq!(line("- [ ] Backups"), "- [ ] Backups verified by the DBA");
    assert_eq!(
        line("- [ ] Team trained"),
        "- [ ] Team trained on the new payment flow"
    );
    assert_eq!(line("- [ ] CI is ready"), "- [ ] CI is ready");
}

#[test]
fn annotate_keeps_crlf_line_endings() {
    let repo = fixture_repo();
    let file = repo.path().join("CHECKLIST.md");
    let lf = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, lf.replace('\n', "\r\n")).unwrap();
    let text = round_trip(&file, repo.path());
    assert!(
        text.contains("<!-- gonogo: docs.changelog -->\r\n"),
        "{text}"
    );
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
}

#[test]
fn annotate_round_trips_every_seed() {
    let seeds = root().join("../shared/seeds");
    let Ok(dir) = std::fs::read_dir(&seeds) else {
        // Outside the project's workspace there are no seeds; CI always has them.
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI must have ../shared/seeds"
        );
        eprintln!("skipped: {} is absent", seeds.display());
        return;
    };
    let mut files: Vec<PathBuf> = dir.map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 5);
    let repo = TempDir::new().unwrap();
    let mut annotated = 0;
    for seed in files {
        let copy = repo
            .path()
            .join(seed.file_name().unwrap())
            .with_extension("md");
        std::fs::copy(&seed, &copy).unwrap();
        let text = round_trip(&copy, repo.path());
        annotated += text.matches("<!-- gonogo: ").count();
    }
    assert!(
        annotated > 100,
        "the seeds have many bound items ({annotated})"
    );
}

#[test]
fn annotate_never_writes_a_credential() {
    let repo = TempDir::new().unwrap();
    // Built at run time, so the repository holds nothing shaped like a credential.
    let secret = format!("{}{}", "s3cr3t", "Passw0rdX".repeat(2));
    let list = format!(
        "# L\n\n- [ ] Smoke test passes (`./smoke.sh --token={secret}`)\n- [ ] Coverage at least 90% (`./scripts/coverage.sh`)\n"
    );
    let file = repo.path().join("CHECKLIST.md");
    std::fs::write(&file, &list).unwrap();
    let out = annotate(&file, repo.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text.matches(&secret).count(),
        1,
        "only where the author wrote it:\n{text}"
    );
    assert!(stderr.contains("CHECKLIST.md:3: not annotated"), "{stderr}");
    assert!(stderr.contains("looks like a credential"), "{stderr}");
    assert!(!stderr.contains(&secret), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 item annotated"));
    assert!(
        text.contains("coverage.sh`) <!-- gonogo: exec.command"),
        "{text}"
    );
}

#[test]
fn annotate_refuses_json_and_the_built_in_checklist() {
    let repo = TempDir::new().unwrap();
    let out = gonogo()
        .args(["map", "--annotate"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("built-in"));
    std::fs::write(repo.path().join("list.md"), "- [ ] LICENSE file present\n").unwrap();
    let out = gonogo()
        .args(["map", "--annotate", "list.md", "--format", "json"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format json"));
    assert_eq!(
        std::fs::read_to_string(repo.path().join("list.md")).unwrap(),
        "- [ ] LICENSE file present\n"
    );
}

#[test]
fn annotate_without_arguments_writes_the_repositorys_own_checklist() {
    let repo = TempDir::new().unwrap();
    std::fs::write(
        repo.path().join("PRODUCTION_CHECKLIST.md"),
        "# L\n- [ ] LICENSE file present\n",
    )
    .unwrap();
    let out = gonogo()
        .args(["map", "--annotate"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "1 item annotated in PRODUCTION_CHECKLIST.md\n"
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join("PRODUCTION_CHECKLIST.md")).unwrap(),
        "# L\n- [ ] LICENSE file present <!-- gonogo: docs.license -->\n"
    );
}

/// Partial automation: an item carrying check annotations and `manual` binds those checks and
/// stays partly a person's (what --annotate writes for an item bound in part).
#[test]
fn checks_and_manual_annotations_together_bind_and_keep_a_manual_reason() {
    let repo = TempDir::new().unwrap();
    let file = repo.path().join("list.md");
    std::fs::write(
        &file,
        "- [ ] README and LICENSE present, reviewed by legal <!-- gonogo: docs.readme --> <!-- gonogo: docs.license --> <!-- gonogo: manual -->\n",
    )
    .unwrap();
    let out = gonogo()
        .args(["map", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let m: Value = serde_json::from_slice(&out.stdout).unwrap();
    let it = &m["items"][0];
    let checks: Vec<&str> = it["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["check"].as_str().unwrap())
        .collect();
    assert_eq!(checks, ["docs.readme", "docs.license"]);
    assert!(it["manual_reason"].is_string(), "{it}");
    // And --annotate leaves such an item alone.
    let before = std::fs::read_to_string(&file).unwrap();
    assert_eq!(annotate(&file, repo.path()).status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
}
