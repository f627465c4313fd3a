//! The planted corpus: a repository built at run time with one secret of every rule kind (in
//! the file types they live in: source, `.env`, Dockerfile, compose, Kubernetes manifests) and
//! decoys for every false-positive class (placeholders, environment and secret-manager
//! references, documented example keys, lockfile hashes, UUIDs, commit ids, excluded test
//! fixtures). Every planted secret must be found, with its rule, and no decoy reported. The
//! secrets are generated here, so the source holds none.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use gonogo_checks::secrets::rules::{Gen, K8S_SECRET, RULES};
use gonogo_checks::secrets::scan::{Accept, scan_tree};
use gonogo_engine::catalogue::{CheckStatus, Params, with_defaults};
use gonogo_engine::config::SecretsConfig;
use gonogo_engine::context::RunContext;
use gonogo_engine::repo::RepoIndex;

fn write(root: &Path, rel: &str, content: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

/// The longest run of token characters in a line: the secret's body.
fn body(line: &str) -> String {
    line.split(|c: char| !c.is_ascii_alphanumeric())
        .max_by_key(|s| s.len())
        .unwrap_or("")
        .to_string()
}

const DECOYS: &[(&str, &str)] = &[
    // placeholders
    (
        "decoys/placeholders.env.example",
        "API_KEY=changeme\nDB_PASSWORD=xxx\nJWT_SECRET=<32+-char-secret>\nSTRIPE_WEBHOOK_SECRET=<webhook-secret>\n",
    ),
    (
        "decoys/placeholders.md",
        "Set `password = \"<your-password>\"` and `api_key: <your-key>`.\n\
         GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\
         token: \"YOUR_API_TOKEN_HERE\"\nsecret_key = \"replace-me-with-a-real-secret\"\n",
    ),
    // values read from the environment or a secret manager
    (
        "decoys/config.py",
        "import os\nDB_PASSWORD = os.environ[\"DB_PASSWORD\"]\nAPI_KEY = os.getenv('API_KEY')\n\
         SECRET_KEY = settings.SECRET_KEY\npassword = get_secret(\"prod/db/password\")\n\
         token = vault.read('secret/data/api')['token']\n",
    ),
    (
        "decoys/config.js",
        "const token = process.env.API_TOKEN;\nconst apiKey = config.get('apiKey');\n\
         const password = await secretsManager.getSecretValue({ SecretId: 'db' });\n",
    ),
    (
        "decoys/deploy/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        env:\n        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: db-credentials\n              key: password\n",
    ),
    (
        "decoys/ci.yml",
        "env:\n  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n  NPM_TOKEN: ${NPM_TOKEN}\n  secret: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf\n",
    ),
    // vendors' documented example keys
    (
        "decoys/aws-docs.txt",
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
    ),
    // lockfile hashes (skipped by name) and integrity literals elsewhere
    (
        "decoys/package-lock.json",
        "{\"packages\":{\"node_modules/a\":{\"integrity\":\"sha512-Q1Zx0p0YqcQ0kVjmKZqBoM3T6wfOA7+8PjXN2o+Ok2rLMzx3Y2RZJmE0VhdxXlq7yM6S0Y6S6Z3K1m9bGJX1eA==\",\"token\":\"Zq8Lk2Xv9Pw3Rt6Yb1Nm4Hc7\"}}}\n",
    ),
    (
        "decoys/assets.json",
        "{\"secret_integrity\": \"sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC\"}\n",
    ),
    // UUIDs and commit ids
    (
        "decoys/ids.yaml",
        "session_token: \"123e4567-e89b-12d3-a456-426614174000\"\napi_key_id: 550e8400-e29b-41d4-a716-446655440000\n\
         release_token: 9fceb02d0ae598e95dc970b74767f19372d61af8\ndeploy_secret_ref: 3b18e512dba79e4c8300dd08aeb37f8e728b8dad\n",
    ),
    // code that names secrets without holding one
    (
        "decoys/backend_test.go",
        "\t\"GOOGLE_ENCRYPTION_KEY\": encryptionKey2,\n\tExpectedCredentialsValue: mockdata.MockEc2MetadataCredentials,\n\tSecretAccessKey: \"ProfileSharedCredentialsSecretKey\",\n",
    ),
    (
        "decoys/forms.ts",
        "const passwordPlaceholder = \"Enter your password\";\nif (password === confirmPassword) {}\n\
         PASSWORD_MIN_LENGTH: 12\nconst tokenUrl = \"https://auth.example.org/oauth/token\";\n",
    ),
];

struct Corpus {
    dir: tempfile::TempDir,
    /// (rule id, file) of every planted secret.
    planted: BTreeSet<(String, String)>,
    /// Secret bodies that must never be printed.
    bodies: Vec<String>,
}

fn corpus() -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut planted = BTreeSet::new();
    let mut bodies = Vec::new();
    for (i, r) in RULES.iter().enumerate() {
        let mut g = Gen::new(4242 + i as u64);
        let line = (r.sample)(&mut g);
        let file = if r.only.is_some() {
            format!("planted/{}/Dockerfile", r.id)
        } else {
            format!("planted/{}.conf", r.id)
        };
        write(
            root,
            &file,
            format!("# {}\n{line}\n", r.description).as_bytes(),
        );
        planted.insert((r.id.to_string(), file));
        bodies.push(body(&line));
    }
    let mut g = Gen::new(99);
    let k8s = (K8S_SECRET.sample)(&mut g);
    write(root, "deploy/k8s/db-secret.yaml", k8s.as_bytes());
    planted.insert((K8S_SECRET.id.into(), "deploy/k8s/db-secret.yaml".into()));
    bodies.push(body(&k8s));
    // A .env and a compose file committed by mistake.
    let env_pw = format!("{}{}", g.of(gonogo_checks::secrets::rules::ALNUM, 14), "7q");
    write(
        root,
        ".env",
        format!("APP_ENV=production\nDB_PASSWORD={env_pw}\n").as_bytes(),
    );
    planted.insert(("generic-password".into(), ".env".into()));
    bodies.push(env_pw.clone());
    let compose_pw = g.of(gonogo_checks::secrets::rules::ALNUM, 20);
    write(
        root,
        "docker-compose.yml",
        format!("services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: {compose_pw}9\n").as_bytes(),
    );
    planted.insert(("generic-password".into(), "docker-compose.yml".into()));
    bodies.push(compose_pw);
    for (rel, text) in DECOYS {
        write(root, rel, text.as_bytes());
    }
    let mut all_decoys = String::new();
    for r in RULES {
        for d in r.decoys {
            all_decoys.push_str(d);
            all_decoys.push('\n');
        }
    }
    write(root, "decoys/rule-decoys.txt", all_decoys.as_bytes());
    // Excluded test fixtures, an inline-allowed line, a binary and an oversized file.
    let mut g = Gen::new(7);
    let fixture = format!(
        "GITHUB_TOKEN=ghp_{}\n",
        g.of(gonogo_checks::secrets::rules::ALNUM, 36)
    );
    write(root, "tests/fixtures/tokens.txt", fixture.as_bytes());
    let allowed = format!(
        "STRIPE_KEY=sk_live_{}  # gonogo:allow-secret (test-mode key for the docs)\n",
        g.of(gonogo_checks::secrets::rules::ALNUM, 24)
    );
    write(root, "docs/payments.md", allowed.as_bytes());
    let mut bin = b"\x00\x01\x02".to_vec();
    bin.extend_from_slice(fixture.as_bytes());
    write(root, "assets/blob.bin", &bin);
    let mut big = vec![b'a'; 9 << 20];
    big.extend_from_slice(fixture.as_bytes());
    write(root, "data/huge.txt", &big);
    Corpus {
        dir,
        planted,
        bodies,
    }
}

fn settings() -> SecretsConfig {
    SecretsConfig {
        allow_paths: vec!["tests/fixtures/**".into()],
        ..SecretsConfig::default()
    }
}

#[test]
fn every_planted_secret_is_found_and_no_decoy_is_reported() {
    let c = corpus();
    let root = c.dir.path();
    let index = RepoIndex::walk(root);
    let accept = Accept::load(root, &settings()).unwrap();
    let report = scan_tree(root, &index.files, &accept);
    let found: BTreeSet<(String, String)> = report
        .findings
        .iter()
        .map(|f| (f.rule.to_string(), f.file.clone()))
        .collect();
    let missing: Vec<_> = c.planted.difference(&found).collect();
    let extra: Vec<_> = found.difference(&c.planted).collect();
    assert!(missing.is_empty(), "planted secrets not found: {missing:?}");
    assert!(extra.is_empty(), "decoys reported: {extra:?}");
    assert!(c.planted.len() > 80);
    assert_eq!(
        report.findings.len(),
        c.planted.len(),
        "one finding per planted secret"
    );
    assert_eq!(
        report.allowed_paths, 1,
        "the fixture is excluded by allow_paths"
    );
    assert_eq!(
        report.allowed_inline, 1,
        "the inline allow comment is honoured"
    );
    assert_eq!(report.skipped_binary, 1);
    assert_eq!(report.skipped_large, 1);
    assert_eq!(report.skipped_lockfiles, 1);
    // Evidence shows a few leading characters at most.
    for f in &report.findings {
        assert!(f.shown.ends_with("…[redacted]"), "{}", f.shown);
        assert!(f.shown.chars().count() <= 4 + "…[redacted]".chars().count());
        assert!(f.line >= 1 && f.column >= 1);
    }
}

#[test]
fn allow_rules_and_the_baseline_accept_findings() {
    let c = corpus();
    let root = c.dir.path();
    let index = RepoIndex::walk(root);
    let first = scan_tree(
        root,
        &index.files,
        &Accept::load(root, &settings()).unwrap(),
    );
    let fps: Vec<String> = first
        .findings
        .iter()
        .map(|f| f.fingerprint.clone())
        .collect();
    write(
        root,
        ".gonogo/secrets-baseline.json",
        serde_json::json!({ "fingerprints": fps })
            .to_string()
            .as_bytes(),
    );
    let mut cfg = settings();
    cfg.baseline = Some(".gonogo/secrets-baseline.json".into());
    cfg.allow_rules = vec!["jwt".into()];
    // A new secret after the baseline was taken is the only one reported.
    let mut g = Gen::new(31337);
    write(
        root,
        "src/new.py",
        format!(
            "TOKEN = \"glpat-{}\"\n",
            g.of(gonogo_checks::secrets::rules::URLB64, 20)
        )
        .as_bytes(),
    );
    let index = RepoIndex::walk(root);
    let second = scan_tree(root, &index.files, &Accept::load(root, &cfg).unwrap());
    let rules: Vec<&str> = second.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["gitlab-pat"], "{:?}", second.findings);
    assert_eq!(second.allowed_rules, 1);
    assert_eq!(second.baselined, first.findings.len() - 1);
    // The baseline holds fingerprints, never values.
    let text = std::fs::read_to_string(root.join(".gonogo/secrets-baseline.json")).unwrap();
    for b in &c.bodies {
        assert!(!text.contains(b.as_str()), "baseline holds a secret");
    }
}

async fn run_check(root: &Path, id: &str, history: bool) -> gonogo_engine::catalogue::Outcome {
    let cat = gonogo_checks::catalogue();
    let check = cat.get(id).unwrap();
    let mut ctx = RunContext::new(root.to_path_buf());
    ctx.secrets = settings();
    ctx.history = history;
    check
        .run(Arc::new(ctx), with_defaults(check.meta(), Params::new()))
        .await
}

#[tokio::test]
async fn the_checks_never_print_a_secret() {
    let c = corpus();
    let o = run_check(c.dir.path(), "secrets.none-in-repository", false).await;
    assert_eq!(o.status, CheckStatus::Fail, "{}", o.message);
    assert!(o.message.contains("secrets committed"), "{}", o.message);
    let img = run_check(c.dir.path(), "secrets.none-in-images", false).await;
    assert_eq!(img.status, CheckStatus::Fail, "{}", img.message);
    let img_files: BTreeSet<&str> = img
        .evidence
        .iter()
        .filter_map(|e| e.file.as_deref())
        .collect();
    for f in [
        ".env",
        "docker-compose.yml",
        "deploy/k8s/db-secret.yaml",
        "planted/dockerfile-secret-env/Dockerfile",
    ] {
        assert!(img_files.contains(f), "{f} not in {img_files:?}");
    }
    assert!(
        !img_files.iter().any(|f| f.ends_with(".conf")),
        "{img_files:?}"
    );
    for out in [&o, &img] {
        let mut shown = out.message.clone();
        for e in &out.evidence {
            shown.push_str(&e.detail);
        }
        for b in &c.bodies {
            assert!(b.len() >= 10, "{b}");
            assert!(!shown.contains(b.as_str()), "a secret was printed: {b}");
            assert!(
                !shown.contains(&b[b.len() - 8..]),
                "a secret's tail was printed"
            );
        }
    }
}

fn git(dir: &Path, args: &[&str]) {
    let st = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&st.stderr)
    );
}

fn head(dir: &Path) -> String {
    let o = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

#[tokio::test]
async fn history_finds_a_removed_secret_and_names_the_commit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "README.md", b"# app\n");
    git(root, &["add", "."]);
    git(root, &["commit", "-qm", "init"]);
    let mut g = Gen::new(2024);
    let token = format!("ghp_{}", g.of(gonogo_checks::secrets::rules::ALNUM, 36));
    write(
        root,
        "src/deploy.sh",
        format!("#!/bin/sh\nexport GITHUB_TOKEN={token}\n").as_bytes(),
    );
    git(root, &["add", "."]);
    git(root, &["commit", "-qm", "add deploy script"]);
    let added = head(root);
    write(
        root,
        "src/deploy.sh",
        b"#!/bin/sh\nexport GITHUB_TOKEN=\"$GITHUB_TOKEN\"\n",
    );
    git(
        root,
        &["commit", "-qam", "read the token from the environment"],
    );

    let plain = run_check(root, "secrets.none-in-repository", false).await;
    assert_eq!(plain.status, CheckStatus::Pass, "{}", plain.message);

    let o = run_check(root, "secrets.none-in-repository", true).await;
    assert_eq!(o.status, CheckStatus::Fail, "{}", o.message);
    assert!(o.message.contains("removed from HEAD"), "{}", o.message);
    let e = o
        .evidence
        .iter()
        .find(|e| e.file.as_deref() == Some("src/deploy.sh"))
        .expect("evidence for the removed secret");
    assert_eq!(e.line, Some(2));
    assert!(e.detail.contains(&added[..12]), "{}", e.detail);
    assert!(e.detail.contains("github-pat"), "{}", e.detail);
    assert!(!e.detail.contains(&token[4..]), "the token was printed");
}
