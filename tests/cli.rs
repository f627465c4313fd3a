//! The command line as a user meets it: exit codes, formats, --allow-exec, interruption.

use std::path::Path;
use std::process::Command as StdCommand;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

fn gonogo() -> Command {
    let mut c = Command::cargo_bin("gonogo").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn write(dir: &Path, rel: &str, content: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

/// A repository that passes the built-in checklist.
fn good_repo() -> TempDir {
    let t = TempDir::new().unwrap();
    let d = t.path();
    write(
        d,
        "README.md",
        "# svc\n## Installation\nmake\n## Usage\nsvc run\n",
    );
    write(d, "LICENSE", "MIT License\n");
    write(d, "CHANGELOG.md", "# Changelog\n## 1.0.0\n- first\n");
    write(d, "SECURITY.md", "Report to security@example.com\n");
    write(d, "docs/RUNBOOK.md", "# Runbook\nrestart it\n");
    write(d, ".env.example", "DATABASE_URL=postgres://localhost/app\n");
    write(d, ".gitignore", ".env\n.env.*\n!.env.example\n");
    write(
        d,
        ".github/workflows/ci.yml",
        "on: [push, pull_request]\npermissions: {contents: read}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make lint\n      - run: make test\n      - uses: rustsec/audit-check@69366f33c96575abad1ee0dba8212993eecbe998\n",
    );
    write(
        d,
        ".github/dependabot.yml",
        "version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule: {interval: weekly}\n",
    );
    t
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

#[test]
fn exit_0_go_with_the_built_in_checklist() {
    let repo = good_repo();
    let out = gonogo()
        .arg("check")
        .current_dir(repo.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.trim_end().ends_with("GO"), "{stdout}");
    assert!(stdout.contains("16 pass"), "{stdout}");
}

#[test]
fn built_in_checklist_checks_kubernetes_manifests_when_present() {
    let repo = good_repo();
    write(
        repo.path(),
        "deploy/web.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: nginx:latest\n",
    );
    let out = gonogo()
        .arg("check")
        .current_dir(repo.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("container `api` of Deployment/web"),
        "{stdout}"
    );
    assert!(stdout.contains("nginx:latest"), "{stdout}");
}

#[test]
fn exit_1_no_go_in_a_fresh_repository() {
    let repo = TempDir::new().unwrap();
    let out = gonogo()
        .arg("check")
        .current_dir(repo.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("NO-GO"));
    assert!(stdout.contains("Standing between you and GO"), "{stdout}");
    assert!(stdout.contains("no README found"), "{stdout}");
    assert!(
        !stdout.contains("\u{1b}["),
        "NO_COLOR output has no escape codes"
    );
}

#[test]
fn exit_2_for_bad_input_naming_file_and_line() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    write(d, "empty.md", "");
    std::fs::write(d.join("bin.md"), b"- [ ] x\0\n").unwrap();
    std::fs::write(d.join("latin1.md"), b"# x\n- [ ] caf\xe9\n").unwrap();
    write(
        d,
        "annot.md",
        "# x\n\n- [ ] y <!-- gonogo: no.such-check -->\n",
    );
    write(
        d,
        "param.md",
        "- [ ] y <!-- gonogo: docs.readme colour=blue -->\n",
    );
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["check", "missing.md"], "missing.md: no such file"),
        (vec!["check", "."], ".: is a directory"),
        (vec!["check", "empty.md"], "empty.md: is empty"),
        (vec!["check", "bin.md"], "bin.md:1: is a binary file"),
        (
            vec!["check", "latin1.md"],
            "latin1.md:2: is not valid UTF-8",
        ),
        (
            vec!["check", "annot.md"],
            "annot.md:3: unknown check `no.such-check`",
        ),
        (
            vec!["map", "param.md"],
            "param.md:1: `docs.readme` has no parameter `colour`",
        ),
        (vec!["check", "--repo", "nowhere"], "nowhere: no such file"),
        (
            vec!["checks", "explain", "docs.nope"],
            "no check `docs.nope`",
        ),
    ];
    for (args, want) in cases {
        let out = gonogo().args(&args).current_dir(d).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(want), "{args:?}: {stderr}");
    }
    // A bad flag is a usage error.
    let out = gonogo()
        .args(["check", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn exit_2_for_a_bad_config_with_its_line() {
    let repo = good_repo();
    write(
        repo.path(),
        "gonogo.toml",
        "[run]\nconcurrency = 4\ntimeout = \"forever\"\n",
    );
    let out = gonogo()
        .arg("check")
        .current_dir(repo.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("gonogo.toml:3:"), "{stderr}");
}

#[test]
fn exit_3_when_gonogo_itself_fails() {
    let out = gonogo()
        .arg("checks")
        .env("GONOGO_DEBUG_PANIC", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("internal error"));
}

#[test]
fn checklist_commands_never_run_without_allow_exec() {
    let repo = TempDir::new().unwrap();
    write(
        repo.path(),
        "list.md",
        "# L\n- [ ] Marker made <!-- gonogo: exec.command command=\"touch ran.txt\" -->\n",
    );
    let out = gonogo()
        .args(["check", "list.md", "--format", "json"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    let report = json_of(&out.stdout);
    assert_eq!(report["items"][0]["status"], "skipped");
    assert!(
        report["items"][0]["checks"][0]["message"]
            .as_str()
            .unwrap()
            .contains("--allow-exec")
    );
    assert!(
        !repo.path().join("ran.txt").exists(),
        "ran without --allow-exec"
    );

    let out = gonogo()
        .args(["check", "list.md", "--format", "json", "--allow-exec"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(json_of(&out.stdout)["items"][0]["status"], "pass");
    assert!(repo.path().join("ran.txt").exists());
}

#[test]
fn an_expected_mismatch_fails_and_shows_expected_and_actual() {
    let repo = TempDir::new().unwrap();
    write(
        repo.path(),
        "list.md",
        "# L\n- [ ] **All tests passing**\n  ```bash\n  echo '=== 12 passed in 0.2s ==='\n  # Expected: 318+ tests passing\n  ```\n",
    );
    let out = gonogo()
        .args(["check", "list.md", "--allow-exec"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("expected ≥ 318 tests, measured 12"),
        "{stdout}"
    );
    assert!(
        stdout.contains("=== 12 passed"),
        "output is kept as evidence: {stdout}"
    );
}

#[test]
fn json_report_follows_the_contract() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let repo = TempDir::new().unwrap();
    for seed in std::fs::read_dir(&seeds).unwrap() {
        let seed = seed.unwrap().path();
        let out = gonogo()
            .arg("check")
            .arg(&seed)
            .args(["--format", "json"])
            .current_dir(repo.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let r = json_of(&out.stdout);
        assert_eq!(r["schema"], "gonogo/report/v1");
        assert_eq!(r["verdict"], "no-go");
        let s = &r["summary"];
        let parts: u64 = [
            "pass", "fail", "error", "manual", "signed", "waived", "skipped",
        ]
        .iter()
        .map(|k| s[k].as_u64().unwrap())
        .sum();
        assert_eq!(parts, s["items"].as_u64().unwrap());
        let items = r["items"].as_array().unwrap();
        assert_eq!(items.len() as u64, s["items"].as_u64().unwrap());
        let mut last_line = 0;
        for it in items {
            for key in [
                "id",
                "checklist",
                "line",
                "section",
                "text",
                "status",
                "checks",
            ] {
                assert!(!it[key].is_null(), "{key} missing in {it}");
            }
            let line = it["line"].as_u64().unwrap();
            assert!(line > last_line, "items in file order");
            last_line = line;
            let st = it["status"].as_str().unwrap();
            assert!(
                [
                    "pass", "fail", "error", "manual", "signed", "waived", "skipped"
                ]
                .contains(&st)
            );
            for c in it["checks"].as_array().unwrap() {
                for key in [
                    "check",
                    "params",
                    "status",
                    "message",
                    "evidence",
                    "duration_ms",
                ] {
                    assert!(!c[key].is_null(), "{key} missing in {c}");
                }
            }
        }
    }
}

/// The Markdown report is the input with only boxes changed and notes appended.
#[test]
fn markdown_report_round_trips_every_seed() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let repo = good_repo();
    let note = regex::Regex::new(r" <!-- gonogo-status: [^\n]*? -->").unwrap();
    for seed in std::fs::read_dir(&seeds).unwrap() {
        let seed = seed.unwrap().path();
        let input = std::fs::read(&seed).unwrap();
        let out = gonogo()
            .arg("check")
            .arg(&seed)
            .args(["--format", "markdown"])
            .current_dir(repo.path())
            .output()
            .unwrap();
        let output = String::from_utf8(out.stdout).unwrap();
        let stripped = note.replace_all(&output, "");
        let norm = |s: &str| s.replace("[x]", "[ ]").replace("[X]", "[ ]");
        assert_eq!(
            norm(&stripped),
            norm(&String::from_utf8(input.clone()).unwrap()),
            "{}",
            seed.display()
        );
        assert_eq!(stripped.len(), input.len(), "byte length besides notes");
        // Passing items are ticked: the good repo passes the README and CI items of seed 001.
        if seed.to_string_lossy().contains("001_") {
            assert!(
                output.contains("- [x] GitHub Actions workflow configured"),
                "{output}"
            );
        }
    }
}

#[test]
fn map_lists_every_item_of_every_seed_with_bindings() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let mut files: Vec<_> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut counts = Vec::new();
    for f in &files {
        let out = gonogo()
            .arg("map")
            .arg(f)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let m = json_of(&out.stdout);
        assert_eq!(m["schema"], "gonogo/map/v1");
        counts.push(m["items"].as_array().unwrap().len());
        for it in m["items"].as_array().unwrap() {
            let bound = !it["bindings"].as_array().unwrap().is_empty();
            assert!(
                bound || it["manual_reason"].is_string(),
                "an unbound item says why: {it}"
            );
        }
    }
    assert_eq!(counts, [23, 122, 94, 59, 177]);
}

#[test]
fn manual_items_only_warn_when_the_config_says_so() {
    let repo = good_repo();
    write(
        repo.path(),
        "list.md",
        "# L\n- [ ] Team trained\n- [ ] LICENSE file present\n",
    );
    let out = gonogo()
        .args(["check", "list.md"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    write(repo.path(), "gonogo.toml", "[decide]\nmanual = \"warn\"\n");
    let out = gonogo()
        .args(["check", "list.md"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn config_bind_rules_override_automatic_binding() {
    let repo = good_repo();
    write(
        repo.path(),
        "list.md",
        "# L\n- [ ] Team trained\n- [ ] LICENSE file present\n",
    );
    write(
        repo.path(),
        "gonogo.toml",
        "[[bind]]\nmatch = \"team trained\"\ncheck = \"docs.runbook\"\n\n[[bind]]\nmatch = \"^license\"\ncheck = \"manual\"\n",
    );
    let out = gonogo()
        .args(["map", "list.md", "--format", "json"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    let m = json_of(&out.stdout);
    assert_eq!(m["items"][0]["bindings"][0]["check"], "docs.runbook");
    assert_eq!(m["items"][0]["bindings"][0]["bound_by"], "config");
    assert!(m["items"][1]["bindings"].as_array().unwrap().is_empty());
    assert!(
        m["items"][1]["manual_reason"]
            .as_str()
            .unwrap()
            .contains("gonogo.toml:5")
    );
}

#[test]
fn ctrl_c_gives_a_partial_report() {
    let repo = TempDir::new().unwrap();
    write(
        repo.path(),
        "list.md",
        "# L\n- [ ] Slow <!-- gonogo: exec.command command=\"sleep 60\" -->\n- [ ] LICENSE file present\n",
    );
    let bin = assert_cmd::cargo::cargo_bin("gonogo");
    let child = StdCommand::new(bin)
        .args(["check", "list.md", "--allow-exec", "--format", "json"])
        .current_dir(repo.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let started = Instant::now();
    StdCommand::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(1));
    let r = json_of(&out.stdout);
    assert_eq!(r["interrupted"], true);
    assert_eq!(r["items"][0]["status"], "error");
    assert!(
        r["items"][0]["checks"][0]["message"]
            .as_str()
            .unwrap()
            .contains("interrupted")
    );
    assert_eq!(r["items"][1]["status"], "fail", "finished checks are kept");
}

#[test]
fn a_checklist_of_50000_items_maps() {
    let t = TempDir::new().unwrap();
    let mut s = String::from("# Big\n");
    for i in 0..50_000 {
        if i % 100 == 0 {
            s.push_str(&format!("\n## Section {i}\n\n"));
        }
        s.push_str(&format!("- [ ] Item number {i} is done\n"));
    }
    write(t.path(), "big.md", &s);
    let out = gonogo()
        .args(["map", "big.md", "--format", "json"])
        .current_dir(t.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json_of(&out.stdout)["summary"]["items"], 50_000);
}

#[test]
fn checks_lists_and_explains_the_catalogue() {
    let out = gonogo().arg("checks").output().unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    for id in [
        "docs.readme",
        "docs.license",
        "exec.command",
        "ci.workflow-present",
        "config.env-ignored",
    ] {
        assert!(s.contains(id), "{s}");
    }
    let out = gonogo()
        .args(["checks", "explain", "docs.readme"])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    for part in [
        "What it checks",
        "Why it matters",
        "How to pass",
        "Example",
        "Parameters",
        "sections",
    ] {
        assert!(s.contains(part), "{s}");
    }
    let out = gonogo()
        .args(["checks", "explain", "k8s.network-policy"])
        .output()
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("Named alone") && s.contains("\"network policies\""),
        "{s}"
    );
    let out = gonogo()
        .args([
            "checks",
            "--format",
            "json",
            "explain",
            "k8s.network-policy",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["concepts"], serde_json::json!(["network-policy"]));
}

#[test]
fn the_pgbouncer_flag_reaches_the_pooler_check_and_hides_the_password() {
    let repo = TempDir::new().unwrap();
    write(
        repo.path(),
        "list.md",
        "# L\n- [ ] PgBouncer pool size 20\n",
    );
    write(
        repo.path(),
        "deploy/pgbouncer.ini",
        "[pgbouncer]\ndefault_pool_size = 50\n",
    );
    // Without --pgbouncer the repository's pgbouncer.ini is read.
    let out = gonogo()
        .args(["check", "list.md", "--no-store", "--format", "json"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    let check = &json_of(&out.stdout)["items"][0]["checks"][0];
    assert_eq!(check["check"], "postgres.pooler-pool-size", "{check}");
    assert_eq!(check["status"], "pass", "{check}");
    assert_eq!(
        check["evidence"][0]["file"], "deploy/pgbouncer.ini",
        "{check}"
    );
    // With it, the admin console is asked; nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = gonogo()
        .args(["check", "list.md", "--no-store", "--format", "json"])
        .env(
            "GONOGO_PGBOUNCER_URL",
            format!("postgres://admin:hunter2hunter2@127.0.0.1:{port}/pgbouncer"), // gonogo:allow-secret (the test checks it is never printed)
        )
        .current_dir(repo.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("hunter2hunter2"), "{text}");
    let check = &json_of(&out.stdout)["items"][0]["checks"][0];
    assert_eq!(check["status"], "error", "{check}");
    assert!(
        check["message"]
            .as_str()
            .unwrap()
            .contains("connection refused"),
        "{check}"
    );
}

#[test]
fn the_human_report_lists_items_in_file_order() {
    let t = TempDir::new().unwrap();
    let d = t.path();
    write(d, "LICENSE", "MIT License\n");
    write(
        d,
        "CHECKLIST.md",
        "# Launch\n## Docs\n- [ ] LICENSE file present\n- [ ] README explains installation and usage\n- [ ] CHANGELOG records each release\n",
    );
    let out = gonogo()
        .arg("check")
        .arg(d.join("CHECKLIST.md"))
        .arg("--repo")
        .arg(d)
        .arg("--no-store")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let at = |s: &str| {
        text.find(s)
            .unwrap_or_else(|| panic!("{s} missing:\n{text}"))
    };
    // The passing item written first stays first, before the failures written after it.
    assert!(at("LICENSE file present") < at("README explains"), "{text}");
    assert!(at("README explains") < at("CHANGELOG records"), "{text}");
}
