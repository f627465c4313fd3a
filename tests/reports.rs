//! Report formats as the tools that read them see them: SARIF against the SARIF 2.1.0 schema,
//! JUnit against the JUnit schema CI servers read, HTML rendered in headless Chromium, and the
//! GitHub Actions annotations and job summary. Python's jsonschema/xmlschema and Debian's
//! chromium are installed by .ci/run; these tests fail (never skip) without them.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use tempfile::TempDir;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seeds() -> Vec<PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(root().join("../shared/seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

/// Run `check` on `checklists` in the example service, writing `outputs` (names in `dir`).
fn reports(dir: &Path, checklists: &[PathBuf], outputs: &[&str]) -> std::process::Output {
    let mut c = Command::cargo_bin("gonogo").unwrap();
    c.arg("check").args(checklists);
    c.arg("--repo")
        .arg(root().join("examples/checkout-service"));
    for o in outputs {
        c.arg("--output").arg(dir.join(o));
    }
    c.env_remove("GITHUB_ACTIONS").output().unwrap()
}

/// The SARIF 2.1.0 schema as shipped in the serde-sarif crate's sources.
fn sarif_schema() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = StdCommand::new(cargo)
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(root().join("Cargo.toml"))
        .output()
        .unwrap();
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pkg = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .expect("serde-sarif is a dev-dependency");
    Path::new(pkg["manifest_path"].as_str().unwrap())
        .parent()
        .unwrap()
        .join("src/schema.json")
}

/// Debian's chromium and the flags it needs here: headless, as root, and quiet on a machine
/// with no network (.ci/run installs it; the tests fail, never skip, without it).
fn chromium() -> (&'static str, [&'static str; 8]) {
    let bin = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("Debian's chromium is installed (.ci/run installs it)");
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];
    (bin, flags)
}

fn python(script: &str, args: &[&Path]) {
    let out = StdCommand::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sarif_of_every_seed_is_valid_sarif_2_1_0() {
    let t = TempDir::new().unwrap();
    let schema = sarif_schema();
    let mut total_results = 0;
    for (i, seed) in seeds().iter().enumerate() {
        let name = format!("seed{i}.sarif");
        reports(t.path(), std::slice::from_ref(seed), &[&name]);
        let path = t.path().join(&name);
        python(
            "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))",
            &[&path, &schema],
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let typed: serde_sarif::sarif::Sarif =
            serde_json::from_str(&text).expect("serde-sarif reads it");
        let run = &typed.runs[0];
        let results = run.results.as_ref().unwrap();
        total_results += results.len();
        let rules = run.tool.driver.rules.as_ref().unwrap();
        for r in results {
            let id = r.rule_id.as_deref().unwrap();
            assert!(rules.iter().any(|rule| rule.id == id), "{id} has a rule");
            assert!(r.partial_fingerprints.is_some());
        }
    }
    assert!(total_results > 0, "failing items of the seeds are results");
}

#[test]
fn sarif_fingerprints_are_stable_across_runs() {
    let t = TempDir::new().unwrap();
    let cl = [root().join("examples/checkout-service/PRODUCTION_CHECKLIST.md")];
    reports(t.path(), &cl, &["a.sarif"]);
    reports(t.path(), &cl, &["b.sarif"]);
    let fp = |n: &str| {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(t.path().join(n)).unwrap()).unwrap();
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"].to_string())
            .collect::<Vec<_>>()
    };
    let a = fp("a.sarif");
    assert!(!a.is_empty());
    assert_eq!(a, fp("b.sarif"));
}

#[test]
fn junit_of_every_seed_is_valid_junit() {
    let t = TempDir::new().unwrap();
    let xsd = root().join("tests/fixtures/junit.xsd");
    for (i, seed) in seeds().iter().enumerate() {
        let name = format!("seed{i}.xml");
        reports(t.path(), std::slice::from_ref(seed), &[&name]);
        let path = t.path().join(&name);
        python(
            "import sys,xmlschema; xmlschema.XMLSchema(sys.argv[2]).validate(sys.argv[1])",
            &[&path, &xsd],
        );
        let xml = std::fs::read_to_string(&path).unwrap();
        let cases = xml.matches("<testcase ").count();
        let expected = [23, 122, 94, 59, 177][i];
        assert_eq!(cases, expected, "one test case per item");
        assert!(
            xml.contains("<skipped message=\"manual: "),
            "manual items are skipped with the reason"
        );
    }
}

#[test]
fn one_run_writes_every_report() {
    let t = TempDir::new().unwrap();
    let cl = [root().join("examples/checkout-service/PRODUCTION_CHECKLIST.md")];
    let out = reports(
        t.path(),
        &cl,
        &["r.html", "r.sarif", "r.xml", "r.json", "r.md", "r.txt"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "reports go to the files only");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(json["schema"], "gonogo/report/v1");
    assert!(
        std::fs::read_to_string(t.path().join("r.md"))
            .unwrap()
            .contains("<!-- gonogo-status:")
    );
    assert!(
        std::fs::read_to_string(t.path().join("r.txt"))
            .unwrap()
            .trim_end()
            .ends_with("NO-GO")
    );
    assert!(
        std::fs::read_to_string(t.path().join("r.html"))
            .unwrap()
            .contains("<h1>NO-GO</h1>")
    );
    // An extension gonogo cannot read is a clear input error.
    let bad = reports(t.path(), &cl, &["r.pdf"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cannot tell the report format"));
}

#[test]
fn html_renders_in_chromium_with_verdict_evidence_and_escaped_text() {
    let t = TempDir::new().unwrap();
    let hostile = t.path().join("hostile.md");
    std::fs::write(&hostile, "# Launch <img src=x onerror=alert(1)>\n- [ ] Item with <script>alert(\"x\")</script> & more\n- [ ] LICENSE file present\n").unwrap();
    let cl = [
        root().join("examples/checkout-service/PRODUCTION_CHECKLIST.md"),
        hostile,
    ];
    reports(t.path(), &cl, &["report.html"]);
    let html = t.path().join("report.html");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(!page.contains("<script"), "no script in the page");
    // Self-contained: no element loads anything (escaped checklist text may mention `src=`).
    let fetching = regex::Regex::new(r#"<[a-zA-Z][^>]*\s(src|href)\s*=\s*"?(https?:|//|[a-zA-Z0-9_./-]+\.(js|css|png|svg|woff))"#).unwrap();
    assert!(!fetching.is_match(&page), "self-contained, no fetches");
    assert!(!page.contains("<link") && !page.contains("@import") && !page.contains("url("));

    let (chromium, flags) = chromium();
    let profile = TempDir::new().unwrap();
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-report");
    std::fs::create_dir_all(&shots).unwrap();
    let url = format!("file://{}", html.display());
    let dom = StdCommand::new(chromium)
        .args(flags)
        .arg("--window-size=1200,1800")
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", &url])
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("<h1>NO-GO</h1>"),
        "verdict rendered: {dom:.300}"
    );
    assert!(
        dom.contains("no LICENSE file found"),
        "a failing item's evidence is in the page"
    );
    assert!(
        dom.contains("Item with &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; more"),
        "script shown as text"
    );
    assert!(
        !dom.contains("<script"),
        "no script element in the rendered page"
    );
    assert!(!dom.contains("<img"), "no image element from the checklist");

    let shot = shots.join("report.png");
    let _ = std::fs::remove_file(&shot);
    let out = StdCommand::new(chromium)
        .args(flags)
        .arg("--window-size=1200,1800")
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        shot.exists(),
        "screenshot saved: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
}

/// A keep-alive HTTP/1.1 server on 127.0.0.1 answering every request `200 ok`, one thread per
/// connection, for as long as the test runs.
fn ok_server() -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut out = conn.try_clone().unwrap();
                let mut lines = BufReader::new(conn);
                let mut line = String::new();
                loop {
                    line.clear();
                    match lines.read_line(&mut line) {
                        Ok(0) | Err(_) => return,
                        Ok(_) if line == "\r\n" => {
                            let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
                            if out.write_all(reply).is_err() {
                                return;
                            }
                        }
                        Ok(_) => {}
                    }
                }
            });
        }
    });
    format!("http://{addr}/")
}

#[test]
fn html_charts_latency_percentiles_beside_the_limit() {
    let t = TempDir::new().unwrap();
    let cl = t.path().join("perf.md");
    let load = "load.latency-under-load duration=5s requests=300 concurrency=4";
    std::fs::write(
        &cl,
        format!(
            "# Perf\n\n- [ ] API p95 < 2s <!-- gonogo: {load} max_ms=2000 -->\n\
             - [ ] API p99 under a microsecond <!-- gonogo: {load} percentile=99 max_ms=0.001 -->\n"
        ),
    )
    .unwrap();
    let out = Command::cargo_bin("gonogo")
        .unwrap()
        .arg("check")
        .arg(&cl)
        .args(["--no-store", "--target", &ok_server(), "--output"])
        .arg(t.path().join("r.html"))
        .arg("--output")
        .arg(t.path().join("r.json"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The JSON report carries the measured values with the limit each was judged against.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(t.path().join("r.json")).unwrap()).unwrap();
    let measures = &json["items"][0]["checks"][0]["measures"];
    let p95 = measures
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "p95")
        .expect("p95 measured");
    assert_eq!(p95["unit"], "ms");
    assert_eq!(p95["limit"]["below"], 2000.0);
    assert!(p95["value"].as_f64().unwrap() > 0.0);

    let page = std::fs::read_to_string(t.path().join("r.html")).unwrap();
    let charts: Vec<&str> = page.split("<svg class=\"chart\"").skip(1).collect();
    assert_eq!(charts.len(), 2, "one chart per load check");
    assert!(
        charts[0].contains("limit &#60; 2000 ms"),
        "{:.400}",
        charts[0]
    );
    assert!(
        !charts[0]
            .split("</svg>")
            .next()
            .unwrap()
            .contains("class=\"over\""),
        "bars under the limit are not marked over"
    );
    assert!(
        charts[1]
            .split("</svg>")
            .next()
            .unwrap()
            .contains("class=\"over\""),
        "the p99 bar over its limit is marked"
    );

    // Rendered by a browser, the chart is an SVG image with the percentiles in its label.
    let (chromium, flags) = chromium();
    let profile = TempDir::new().unwrap();
    let dom = StdCommand::new(chromium)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", t.path().join("r.html").display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    let label = regex::Regex::new(r#"<svg class="chart"[^>]*aria-label="latency: p50 [\d.]+ ms, p90 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms; limit (?:<|&lt;) 2000 ms""#).unwrap();
    assert!(
        label.is_match(&dom),
        "chart in the rendered page: {dom:.2000}"
    );
}

#[test]
fn github_actions_annotations_and_job_summary() {
    let t = TempDir::new().unwrap();
    let summary = t.path().join("summary.md");
    let out = Command::cargo_bin("gonogo")
        .unwrap()
        .arg("check")
        .arg(root().join("examples/checkout-service/PRODUCTION_CHECKLIST.md"))
        .arg("--repo")
        .arg(root().join("examples/checkout-service"))
        .args(["--format", "json"])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("::error file=")
            && stderr.contains("PRODUCTION_CHECKLIST.md,line=15,title=gonogo docs.license"),
        "{stderr}"
    );
    assert!(
        stderr.contains("::notice "),
        "manual blockers are notices: {stderr}"
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("stdout stays pure JSON");
    let s = std::fs::read_to_string(&summary).unwrap();
    assert!(
        s.contains("## gonogo: ⛔ NO-GO") && s.contains("Standing between you and GO"),
        "{s}"
    );
}
