//! With no checklist named, `check`, `map`, `sign` and `waive` use the repository's own:
//! `checklists` in gonogo.toml, else a usual file name, else the built-in checklist.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

fn gonogo(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("gonogo").unwrap();
    c.env("NO_COLOR", "1").current_dir(dir);
    c
}

fn write(dir: &Path, rel: &str, content: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

fn run(dir: &Path, args: &[&str]) -> Output {
    gonogo(dir).args(args).output().unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", String::from_utf8_lossy(&o.stdout), err(o)))
}

const OURS: &str = "# Ours\n\n- [ ] LICENSE file present\n- [ ] Team trained on the runbook\n";

/// The path `map` reports for its only checklist.
fn mapped(dir: &Path, extra: &[&str]) -> (String, Output) {
    let mut args = vec!["map", "--format", "json"];
    args.extend(extra);
    let out = run(dir, &args);
    let m = json(&out);
    (
        m["checklists"][0]["path"].as_str().unwrap().to_string(),
        out,
    )
}

#[test]
fn a_production_checklist_in_the_repository_is_the_default() {
    let t = TempDir::new().unwrap();
    write(t.path(), "PRODUCTION_CHECKLIST.md", OURS);
    let out = run(t.path(), &["check", "--no-store"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err(&out).contains("gonogo: using PRODUCTION_CHECKLIST.md (found in the repository)"),
        "{}",
        err(&out)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("LICENSE file present"), "{stdout}");
    assert!(stdout.contains("2 items"), "{stdout}");
    // Machine-read output: the choice is not announced.
    let out = run(t.path(), &["check", "--no-store", "--format", "json"]);
    assert!(!err(&out).contains("using"), "{}", err(&out));
    assert_eq!(
        json(&out)["checklists"][0]["path"],
        "PRODUCTION_CHECKLIST.md"
    );
    let (path, out) = mapped(t.path(), &[]);
    assert_eq!(path, "PRODUCTION_CHECKLIST.md");
    assert!(err(&out).is_empty(), "{}", err(&out));
    let out = run(t.path(), &["map"]);
    assert!(err(&out).contains("(found in the repository)"));
}

#[test]
fn usual_names_are_found_in_any_case_and_in_docs() {
    for (name, shown) in [
        ("production_checklist.md", "production_checklist.md"),
        ("Production-Readiness.md", "Production-Readiness.md"),
        ("LAUNCH_CHECKLIST.md", "LAUNCH_CHECKLIST.md"),
        ("checklist.md", "checklist.md"),
        (
            ".github/PRODUCTION_CHECKLIST.md",
            ".github/PRODUCTION_CHECKLIST.md",
        ),
        (
            "docs/production_checklist.md",
            "docs/production_checklist.md",
        ),
    ] {
        let t = TempDir::new().unwrap();
        write(t.path(), name, OURS);
        assert_eq!(mapped(t.path(), &[]).0, shown, "{name}");
    }
    // The most specific name wins over a generic one.
    let t = TempDir::new().unwrap();
    write(t.path(), "checklist.md", "- [ ] README present\n");
    write(t.path(), "PRODUCTION_CHECKLIST.md", OURS);
    assert_eq!(mapped(t.path(), &[]).0, "PRODUCTION_CHECKLIST.md");
}

#[test]
fn with_repo_the_path_names_the_repository() {
    let t = TempDir::new().unwrap();
    write(t.path(), "svc/PRODUCTION_CHECKLIST.md", OURS);
    let (path, _) = mapped(t.path(), &["--repo", "svc"]);
    assert_eq!(path, "svc/PRODUCTION_CHECKLIST.md");
}

#[test]
fn checklists_in_gonogo_toml_come_first() {
    let t = TempDir::new().unwrap();
    write(t.path(), "PRODUCTION_CHECKLIST.md", OURS);
    write(
        t.path(),
        "release/launch.md",
        "# Launch\n- [ ] README present\n",
    );
    write(
        t.path(),
        "release/ops.md",
        "# Ops\n- [ ] Runbooks created\n",
    );
    write(
        t.path(),
        "gonogo.toml",
        "# ours\nchecklists = [\"release/launch.md\", \"release/ops.md\"]\n",
    );
    let out = run(t.path(), &["map", "--format", "json"]);
    let m = json(&out);
    let paths: Vec<&str> = m["checklists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["release/launch.md", "release/ops.md"]);
    let out = run(t.path(), &["map"]);
    assert!(
        err(&out).contains("using release/launch.md, release/ops.md (listed in gonogo.toml:2)"),
        "{}",
        err(&out)
    );
    // A name on the command line still wins.
    let (path, _) = mapped(t.path(), &["PRODUCTION_CHECKLIST.md"]);
    assert_eq!(path, "PRODUCTION_CHECKLIST.md");
}

#[test]
fn a_missing_listed_checklist_is_exit_2_naming_gonogo_toml_and_line() {
    let t = TempDir::new().unwrap();
    write(t.path(), "PRODUCTION_CHECKLIST.md", OURS);
    write(
        t.path(),
        "gonogo.toml",
        "checklists = [\n  \"PRODUCTION_CHECKLIST.md\",\n  \"gone.md\",\n]\n",
    );
    for cmd in [
        vec!["check", "--no-store"],
        vec!["map"],
        vec!["sign", "0123456789ab", "--by", "Ada"],
        vec![
            "waive",
            "0123456789ab",
            "--by",
            "A",
            "--reason",
            "r",
            "--expires",
            "1d",
        ],
    ] {
        let out = run(t.path(), &cmd);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}");
        assert!(
            err(&out).contains("gonogo.toml:3"),
            "{cmd:?}: {}",
            err(&out)
        );
        assert!(err(&out).contains("gone.md"), "{}", err(&out));
    }
}

#[test]
fn without_a_checklist_of_its_own_the_built_in_one_is_used_and_said() {
    let t = TempDir::new().unwrap();
    let out = run(t.path(), &["map"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        err(&out)
            .contains("using the built-in checklist (the repository has no checklist of its own)"),
        "{}",
        err(&out)
    );
    // A checklist-like file with an unusual name is pointed at, not used.
    write(t.path(), "our-release-checklist.md", OURS);
    let out = run(t.path(), &["map"]);
    assert!(
        err(&out).contains("run `gonogo check our-release-checklist.md`"),
        "{}",
        err(&out)
    );
}

fn id_of(dir: &Path, text: &str, extra: &[&str]) -> String {
    let mut args = vec!["map", "--format", "json"];
    args.extend(extra);
    let m = json(&run(dir, &args));
    m["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["text"] == text)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn sign_and_waive_find_ids_in_the_repositorys_own_checklist() {
    let t = TempDir::new().unwrap();
    write(t.path(), "PRODUCTION_CHECKLIST.md", OURS);
    let id = id_of(t.path(), "Team trained on the runbook", &[]);
    let out = run(t.path(), &["sign", &id, "--by", "Ada"]);
    assert_eq!(out.status.code(), Some(0), "{}", err(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("signed"));
    let lic = id_of(t.path(), "LICENSE file present", &[]);
    let out = run(
        t.path(),
        &[
            "waive",
            &lic,
            "--by",
            "Lin",
            "--reason",
            "legal review",
            "--expires",
            "7d",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", err(&out));
    // The default checklist's run honours both.
    let r = json(&run(t.path(), &["check", "--format", "json"]));
    assert_eq!(r["summary"]["signed"], 1, "{r}");
    assert_eq!(r["summary"]["waived"], 1, "{r}");
    assert_eq!(r["verdict"], "go");
}

#[test]
fn sign_finds_an_id_of_the_last_stored_run() {
    let t = TempDir::new().unwrap();
    write(t.path(), "release/list.md", OURS);
    let out = run(t.path(), &["check", "release/list.md"]);
    assert_eq!(out.status.code(), Some(1), "{}", err(&out));
    let id = id_of(
        t.path(),
        "Team trained on the runbook",
        &["release/list.md"],
    );
    // No path: not in the built-in checklist, but in the last run.
    let out = run(t.path(), &["sign", &id, "--by", "Ada"]);
    assert_eq!(out.status.code(), Some(0), "{}", err(&out));
    assert!(
        err(&out).contains("found in the last stored run"),
        "{}",
        err(&out)
    );
    let r = json(&run(
        t.path(),
        &["check", "release/list.md", "--format", "json"],
    ));
    assert_eq!(r["summary"]["signed"], 1, "{r}");
}

#[test]
fn an_unknown_id_is_exit_2_with_close_ids() {
    let t = TempDir::new().unwrap();
    write(t.path(), "PRODUCTION_CHECKLIST.md", OURS);
    let id = id_of(t.path(), "Team trained on the runbook", &[]);
    let mut typo = id.clone();
    let last = typo.pop().unwrap();
    typo.push(if last == '0' { '1' } else { '0' });
    for cmd in [
        vec!["sign", typo.as_str(), "--by", "Ada"],
        vec![
            "waive",
            typo.as_str(),
            "--by",
            "A",
            "--reason",
            "r",
            "--expires",
            "1d",
        ],
    ] {
        let out = run(t.path(), &cmd);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}");
        let e = err(&out);
        assert!(
            e.contains("no item with this id in PRODUCTION_CHECKLIST.md"),
            "{e}"
        );
        assert!(e.contains("did you mean"), "{e}");
        assert!(e.contains(&id) && e.contains("Team trained"), "{e}");
    }
    let out = run(t.path(), &["sign", "zzzz", "--by", "Ada"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!err(&out).contains("did you mean"), "{}", err(&out));
}
