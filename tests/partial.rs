//! Partial automation and honest decisions, end to end: an item whose claims are covered
//! jointly by checks and a person's sign-off, and an item whose live part was not run.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

fn gonogo(repo: &Path) -> Command {
    let mut c = Command::cargo_bin("gonogo").unwrap();
    c.env("NO_COLOR", "1").current_dir(repo);
    c
}

fn write(dir: &Path, rel: &str, content: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

fn item<'a>(report: &'a Value, text_start: &str) -> &'a Value {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["text"].as_str().unwrap().starts_with(text_start))
        .unwrap_or_else(|| panic!("no item starting {text_start:?}: {report}"))
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

const CHECKLIST: &str = "# Launch\n\
- [ ] Rollback plan written and rehearsed\n\
- [ ] Each Dockerfile defines a HEALTHCHECK, pins its base image and runs as non-root\n";

fn repo() -> TempDir {
    let t = TempDir::new().unwrap();
    write(t.path(), "PRODUCTION_CHECKLIST.md", CHECKLIST);
    write(
        t.path(),
        "docs/runbook.md",
        "# Rollback\nRevert the release tag.\n",
    );
    write(
        t.path(),
        "Dockerfile",
        &format!(
            "FROM python:3.12-slim@sha256:{}\nRUN useradd app\nUSER app\nHEALTHCHECK CMD curl -f localhost/\n",
            "0".repeat(64)
        ),
    );
    t
}

#[test]
fn the_checks_run_and_a_sign_off_covers_what_only_a_person_can_vouch_for() {
    let t = repo();
    let store = t.path().join("store.db");
    let store = store.to_str().unwrap();

    // The map says which part is automated and which waits for a person.
    let out = gonogo(t.path())
        .args(["map", "--format", "json"])
        .output()
        .unwrap();
    let map = json(&out.stdout);
    let rollback = item(&map, "Rollback plan");
    assert_eq!(rollback["automation"], "partial", "{rollback}");
    assert_eq!(rollback["bindings"][0]["check"], "docs.runbook");
    let claims = rollback["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 2, "{rollback}");
    assert_eq!(claims[1]["covered_by"], "person");
    assert_eq!(claims[1]["uncovered"], "needs-person");
    assert!(
        rollback["manual_reason"]
            .as_str()
            .unwrap()
            .contains("rehears")
    );
    // Three claims, three checks.
    let docker = item(&map, "Each Dockerfile");
    let checks: Vec<&str> = docker["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["check"].as_str().unwrap())
        .collect();
    assert_eq!(
        checks,
        [
            "docker.healthcheck",
            "docker.base-image-pinned",
            "docker.non-root-user"
        ]
    );
    assert_eq!(docker["automation"], "full");

    // Its check passes, yet the item waits for a person: NO-GO.
    let out = gonogo(t.path())
        .args(["check", "--format", "json", "--store", store])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out.stdout);
    let rollback = item(&report, "Rollback plan");
    assert_eq!(rollback["status"], "manual");
    assert_eq!(rollback["automation"], "partial");
    assert_eq!(rollback["checks"][0]["status"], "pass");
    assert!(
        rollback["person_part"]
            .as_str()
            .unwrap()
            .contains("rehears")
    );
    assert_eq!(item(&report, "Each Dockerfile")["status"], "pass");

    // A sign-off covers the rest: GO.
    let id = rollback["id"].as_str().unwrap();
    gonogo(t.path())
        .args(["sign", id, "--by", "alice", "--store", store])
        .assert()
        .success();
    let out = gonogo(t.path())
        .args(["check", "--format", "json", "--store", store])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        item(&json(&out.stdout), "Rollback plan")["status"],
        "signed"
    );

    // The sign-off does not hide a failing check: no runbook, NO-GO.
    std::fs::remove_file(t.path().join("docs/runbook.md")).unwrap();
    let out = gonogo(t.path())
        .args(["check", "--format", "json", "--store", store])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(item(&json(&out.stdout), "Rollback plan")["status"], "fail");
}

#[test]
fn an_item_whose_live_part_did_not_run_is_not_a_pass() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "c.md",
        "# C\n- [ ] README present and /health returns 200\n- [ ] The README is present\n",
    );
    write(
        t.path(),
        "README.md",
        "# Svc\n## Installation\nmake\n## Usage\nrun\n",
    );
    let out = gonogo(t.path())
        .args(["check", "c.md", "--format", "json", "--no-store"])
        .output()
        .unwrap();
    let report = json(&out.stdout);
    let both = item(&report, "README present and");
    let statuses: Vec<&str> = both["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert!(
        statuses.contains(&"pass") && statuses.contains(&"skipped"),
        "{both}"
    );
    // The repository part passed; the live part was not run: skipped, not pass.
    assert_eq!(both["status"], "skipped", "{both}");
    assert!(
        both["note"]
            .as_str()
            .unwrap()
            .contains("http.health-endpoint")
    );
    assert_eq!(item(&report, "The README")["status"], "pass");
}
