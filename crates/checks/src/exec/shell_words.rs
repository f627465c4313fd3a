//! Just enough shell reading to tell a check from an action: split a command line into
//! simple commands (on `|`, `&&`, `||`, `;`, newlines) and those into words, honouring quotes.
//! Nothing here runs anything.

/// Simple commands of a script, each as its words. Redirections stay as words (`>`, `>>file`).
pub(crate) fn simple_commands(script: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = script.chars().peekable();
    let end_word = |cur: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
        if *in_word {
            words.push(std::mem::take(cur));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    cur.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        // Inside "…" a backslash escapes only these; otherwise it stays.
                        '\\' => match chars.next() {
                            Some(e @ ('"' | '\\' | '$' | '`' | '\n')) => cur.push(e),
                            Some(e) => {
                                cur.push('\\');
                                cur.push(e);
                            }
                            None => cur.push('\\'),
                        },
                        _ => cur.push(q),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(e) = chars.next() {
                    cur.push(e);
                }
            }
            '|' | ';' | '\n' | '&' => {
                // `2>&1` and `&>` are redirections, not separators.
                if c == '&' && (cur.ends_with('>') || chars.peek() == Some(&'>')) {
                    in_word = true;
                    cur.push(c);
                    continue;
                }
                end_word(&mut cur, &mut in_word, &mut words);
                if matches!(chars.peek(), Some('|') | Some('&')) {
                    chars.next();
                }
                if !words.is_empty() {
                    out.push(std::mem::take(&mut words));
                }
            }
            c if c.is_whitespace() => end_word(&mut cur, &mut in_word, &mut words),
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    end_word(&mut cur, &mut in_word, &mut words);
    if !words.is_empty() {
        out.push(words);
    }
    out
}

/// The program of a simple command: past `VAR=value` assignments, `sudo`, `env`, `time`, `exec`.
pub(crate) fn program(words: &[String]) -> Option<(usize, &str)> {
    words.iter().enumerate().find_map(|(i, w)| {
        let assignment = w.contains('=') && !w.starts_with('=') && !w.starts_with('-');
        let wrapper = matches!(
            w.as_str(),
            "sudo" | "env" | "time" | "exec" | "nohup" | "command"
        );
        (!assignment && !wrapper && !w.starts_with('-')).then_some((i, w.as_str()))
    })
}

/// Why running this script would change something, if it would.
pub(crate) fn mutation(script: &str) -> Option<String> {
    for words in simple_commands(script) {
        if let Some(why) = mutating_command(&words) {
            return Some(why);
        }
    }
    None
}

fn mutating_command(words: &[String]) -> Option<String> {
    // Output redirected into a file writes it.
    for (i, w) in words.iter().enumerate() {
        if let Some(rest) = w
            .strip_prefix(">>")
            .or_else(|| w.strip_prefix('>'))
            .or_else(|| w.strip_prefix("1>"))
        {
            let target = if rest.is_empty() {
                words.get(i + 1).map(String::as_str).unwrap_or("")
            } else {
                rest
            };
            if !target.starts_with('&') && target != "/dev/null" && !target.is_empty() {
                return Some(format!("writes the file `{target}`"));
            }
        }
    }
    let (at, prog) = program(words)?;
    let args: Vec<&str> = words[at + 1..].iter().map(String::as_str).collect();
    let sub = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .copied()
        .unwrap_or("");
    let base = prog.rsplit('/').next().unwrap_or(prog).to_ascii_lowercase();
    // Shown as a person would type it: words with spaces quoted again.
    let line = words
        .iter()
        .map(|w| {
            if w.contains(char::is_whitespace) {
                format!("\"{w}\"")
            } else {
                w.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let says = |what: &str| Some(format!("`{line}` {what}"));
    match base.as_str() {
        "rm" | "rmdir" | "mv" | "cp" | "chmod" | "chown" | "chgrp" | "ln" | "dd" | "shred"
        | "truncate" | "mkfs" | "kill" | "pkill" | "killall" | "reboot" | "shutdown" | "tee"
        | "touch" | "mkdir" | "useradd" | "passwd" | "crontab" => {
            says("changes files or processes")
        }
        "git"
            if matches!(
                sub,
                "push"
                    | "tag"
                    | "commit"
                    | "merge"
                    | "rebase"
                    | "reset"
                    | "clean"
                    | "rm"
                    | "mv"
                    | "add"
                    | "stash"
                    | "pull"
                    | "cherry-pick"
                    | "revert"
                    | "am"
                    | "apply"
            ) || (sub == "checkout" && args.iter().any(|a| *a == "-b" || *a == "-B"))
                || (sub == "branch"
                    && args.len() > 1
                    && !args
                        .iter()
                        .any(|a| a.starts_with("--list") || *a == "-a" || *a == "-r")) =>
        {
            says("changes the repository")
        }
        "kubectl" | "oc"
            if matches!(
                sub,
                "apply"
                    | "create"
                    | "delete"
                    | "patch"
                    | "replace"
                    | "scale"
                    | "rollout"
                    | "drain"
                    | "cordon"
                    | "uncordon"
                    | "label"
                    | "annotate"
                    | "edit"
                    | "set"
                    | "exec"
                    | "run"
                    | "expose"
                    | "autoscale"
                    | "taint"
            ) =>
        {
            says("changes the cluster")
        }
        "helm"
            if matches!(
                sub,
                "install" | "upgrade" | "uninstall" | "delete" | "rollback" | "push"
            ) =>
        {
            says("changes a release")
        }
        "docker" | "podman"
            if matches!(
                sub,
                "push"
                    | "rm"
                    | "rmi"
                    | "kill"
                    | "stop"
                    | "start"
                    | "restart"
                    | "run"
                    | "stack"
                    | "service"
                    | "swarm"
                    | "volume"
                    | "network"
                    | "system"
                    | "prune"
                    | "tag"
            ) =>
        {
            if sub == "run" {
                says(
                    "starts a container, which may never exit; check the running service with --target instead",
                )
            } else {
                says("changes containers or images")
            }
        }
        "docker" | "podman" if sub == "compose" => compose_mutation(&args[1..], &line),
        "docker-compose" | "podman-compose" => compose_mutation(&args, &line),
        "terraform" | "tofu"
            if matches!(sub, "apply" | "destroy" | "import" | "taint" | "state") =>
        {
            says("changes infrastructure")
        }
        "pulumi" if matches!(sub, "up" | "destroy" | "refresh" | "import") => {
            says("changes infrastructure")
        }
        "alembic" if matches!(sub, "upgrade" | "downgrade" | "stamp") => {
            says("migrates a database")
        }
        "flyway" if matches!(sub, "migrate" | "clean" | "repair" | "baseline") => {
            says("migrates a database")
        }
        "rails" | "rake" if sub.starts_with("db:") && sub != "db:version" => {
            says("migrates a database")
        }
        "python" | "python3"
            if args
                .iter()
                .any(|a| matches!(*a, "migrate" | "flush" | "loaddata")) =>
        {
            says("migrates a database")
        }
        // A package script or make target named after an action ("npm run create-owner",
        // "make deploy", "npx prisma migrate deploy"), or a script run through a shell.
        "npm" | "yarn" | "pnpm" | "bun" | "make" | "just" | "npx" | "bash" | "sh" | "zsh"
            if args
                .iter()
                .filter(|a| !a.starts_with('-'))
                .take(3)
                .any(|a| names_an_action(a)) =>
        {
            says("is named as an action, not a check")
        }
        "npm" | "yarn" | "pnpm"
            if matches!(
                sub,
                "publish"
                    | "install"
                    | "i"
                    | "add"
                    | "remove"
                    | "uninstall"
                    | "update"
                    | "upgrade"
                    | "link"
            ) =>
        {
            says("changes packages")
        }
        "cargo"
            if matches!(
                sub,
                "publish" | "install" | "uninstall" | "add" | "remove" | "update"
            ) =>
        {
            says("changes packages")
        }
        "pip" | "pip3" if matches!(sub, "install" | "uninstall") => says("changes packages"),
        "twine" | "gh" if matches!(sub, "upload" | "release" | "pr" | "repo") => says("publishes"),
        "systemctl" | "service"
            if args.iter().any(|a| {
                matches!(
                    *a,
                    "start" | "stop" | "restart" | "reload" | "enable" | "disable" | "mask"
                )
            }) =>
        {
            says("changes services")
        }
        "apt" | "apt-get" | "yum" | "dnf" | "apk" | "brew"
            if matches!(
                sub,
                "install" | "remove" | "upgrade" | "update" | "purge" | "add" | "del"
            ) =>
        {
            says("changes installed packages")
        }
        "sqlite3" | "psql" | "mysql" | "redis-cli" => {
            let upper = line.to_ascii_uppercase();
            let writes = [
                "INSERT",
                "UPDATE",
                "DELETE",
                "DROP",
                "CREATE",
                "ALTER",
                "VACUUM",
                "TRUNCATE",
                "FLUSHALL",
                "FLUSHDB",
                "CONFIG SET",
                "REINDEX",
            ]
            .iter()
            .any(|k| {
                upper
                    .split(|c: char| !c.is_ascii_alphanumeric() && c != ' ')
                    .any(|seg| seg.trim_start().starts_with(k))
            });
            let pragma_set = upper.contains("PRAGMA")
                && upper
                    .split("PRAGMA")
                    .skip(1)
                    .any(|p| p.split(';').next().unwrap_or("").contains('='));
            (writes || pragma_set).then(|| format!("`{line}` writes to the database"))
        }
        "curl" | "wget" | "http" => {
            let writes = args.windows(2).any(|w| {
                matches!(w[0], "-X" | "--request")
                    && !matches!(
                        w[1].to_ascii_uppercase().as_str(),
                        "GET" | "HEAD" | "OPTIONS"
                    )
            }) || args.iter().any(|a| {
                a.starts_with("-d")
                    || a.starts_with("--data")
                    || a.starts_with("-F")
                    || a.starts_with("--form")
                    || a.starts_with("-T")
                    || a.starts_with("--upload")
                    || a.starts_with("-o")
                    || a.starts_with("--output")
                    || a.starts_with("-O")
            });
            writes.then(|| format!("`{line}` sends data or writes a file"))
        }
        _ => {
            // Local scripts named after an action.
            if (prog.contains('/') || prog.ends_with(".sh")) && names_an_action(&base) {
                says("is named as an action, not a check")
            } else {
                None
            }
        }
    }
}

/// Whether a script's, target's or subcommand's name says it acts rather than checks
/// ("create-owner", "db:seed", "backup-postgres.sh", "migrate").
fn names_an_action(name: &str) -> bool {
    const ACTIONS: &[&str] = &[
        "deploy",
        "backup",
        "restore",
        "migrate",
        "install",
        "release",
        "publish",
        "rollback",
        "seed",
        "setup",
        "provision",
        "destroy",
        "cleanup",
        "reset",
        "upgrade",
        "create",
        "delete",
        "drop",
        "remove",
        "import",
        "push",
        "bootstrap",
        // Starts a server that does not exit ("npm start", "make serve").
        "start",
        "serve",
        "watch",
    ];
    // A name that says it checks ("release-check", "verify-backup", "migrate:status") reads
    // or compares; it acts only without such a word.
    const CHECKS: &[&str] = &[
        "check", "verify", "test", "lint", "status", "validate", "audit", "dry", "dryrun", "plan",
        "diff", "list", "show",
    ];
    let name = name.to_ascii_lowercase();
    let parts: Vec<&str> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    !parts.iter().any(|p| CHECKS.contains(p)) && ACTIONS.iter().any(|a| name.contains(a))
}

fn compose_mutation(args: &[&str], line: &str) -> Option<String> {
    let sub = args
        .iter()
        .enumerate()
        .filter(|&(i, a)| {
            // Skip flags and the values of flags that take one.
            let takes_value =
                |f: &str| matches!(f, "-f" | "--file" | "-p" | "--project-name" | "--env-file");
            !a.starts_with('-') && (i == 0 || !takes_value(args[i - 1]))
        })
        .map(|(_, a)| *a)
        .next()
        .unwrap_or("");
    matches!(
        sub,
        "up" | "down"
            | "stop"
            | "start"
            | "restart"
            | "rm"
            | "kill"
            | "run"
            | "exec"
            | "pull"
            | "push"
            | "create"
            | "scale"
    )
    .then(|| format!("`{line}` starts or changes services"))
}

/// Whether an inline code span reads as a command to run (`pytest -q`, `make check`) rather
/// than a path, a value, a name or an endpoint.
pub(crate) fn looks_like_command(span: &str) -> bool {
    let s = span.trim();
    if s.is_empty()
        || s.len() > 300
        || s.starts_with('/')
        || s.starts_with('{')
        || s.starts_with('.') && !s.starts_with("./")
    {
        return false;
    }
    let words = simple_commands(s);
    let Some(first) = words.first() else {
        return false;
    };
    let Some((_, prog)) = program(first) else {
        return false;
    };
    let program_like = prog
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.+/".contains(c))
        && prog
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '.')
        && !prog.contains("//");
    if !program_like {
        return false;
    }
    let has_args = first.len() > 1 || words.len() > 1;
    if prog.starts_with("./") {
        return true;
    }
    if prog.contains('/') || (prog.contains('.') && !has_args) {
        return false; // a path or a file name
    }
    if !has_args {
        // A lone word is a command only when it is a tool that checks something by itself.
        return LONE_CHECKERS.contains(&prog);
    }
    KNOWN_TOOLS.contains(&prog)
        || LONE_CHECKERS.contains(&prog)
        || first[1..]
            .iter()
            .any(|a| a.starts_with('-') || KNOWN_SUBCOMMANDS.contains(&a.as_str()))
}

/// Tools that verify something when run with no arguments (`pip-audit`, `pytest`).
const LONE_CHECKERS: &[&str] = &[
    "pytest",
    "tox",
    "nox",
    "pip-audit",
    "safety",
    "bandit",
    "ruff",
    "mypy",
    "pyright",
    "eslint",
    "tsc",
    "golangci-lint",
    "hadolint",
    "shellcheck",
    "trivy",
    "grype",
    "semgrep",
    "gitleaks",
    "trufflehog",
    "detect-secrets",
    "checkov",
    "kube-score",
    "flake8",
    "pylint",
    "rspec",
    "phpunit",
    "tflint",
    "kubeconform",
];

/// Commands that people put in checklists to verify something.
const KNOWN_TOOLS: &[&str] = &[
    "pytest",
    "tox",
    "nox",
    "make",
    "cargo",
    "npm",
    "npx",
    "yarn",
    "pnpm",
    "go",
    "gradle",
    "mvn",
    "dotnet",
    "bundle",
    "rake",
    "rspec",
    "phpunit",
    "composer",
    "mix",
    "pip-audit",
    "safety",
    "bandit",
    "ruff",
    "black",
    "flake8",
    "pylint",
    "mypy",
    "pyright",
    "eslint",
    "prettier",
    "tsc",
    "golangci-lint",
    "clippy",
    "hadolint",
    "shellcheck",
    "trivy",
    "grype",
    "snyk",
    "semgrep",
    "gitleaks",
    "trufflehog",
    "detect-secrets",
    "checkov",
    "kube-score",
    "kubeval",
    "kubeconform",
    "helm",
    "kubectl",
    "docker",
    "docker-compose",
    "terraform",
    "tflint",
    "curl",
    "wget",
    "pre-commit",
    "alembic",
    "sqlite3",
    "psql",
    "redis-cli",
    "ab",
    "wrk",
    "hey",
    "k6",
    "oha",
    "openssl",
    "python",
    "python3",
    "node",
    "deno",
    "bun",
    "sh",
    "bash",
    "git",
    "jq",
    "grep",
    "rg",
];

const KNOWN_SUBCOMMANDS: &[&str] = &[
    "run", "test", "check", "lint", "audit", "scan", "build", "verify", "status", "version",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_pipelines_and_lists() {
        let cmds = simple_commands(
            r#"grep -r "password\|secret" src/ | grep -v "test" && echo ok; ls 2>&1"#,
        );
        assert_eq!(cmds.len(), 4);
        assert_eq!(cmds[0], vec!["grep", "-r", "password\\|secret", "src/"]);
        assert_eq!(cmds[3], vec!["ls", "2>&1"]);
    }

    #[test]
    fn actions_are_told_from_checks() {
        for action in [
            "git push origin v1.0.0",
            "git checkout -b deployment/v1.0.0",
            "kubectl apply -f k8s/production/",
            "docker-compose -f docker-compose.staging.yml up -d",
            "docker compose up -d",
            "alembic upgrade head",
            "chmod 600 .moai/memory/swarm.db",
            "sqlite3 db \"PRAGMA journal_mode=WAL;\"",
            "./backup-production.sh",
            "./restore-backup.sh 2025-11-29-02-00",
            "echo x > out.txt",
            "curl -X POST http://x/api",
            "docker run --rm -p 8000:8000 img",
            "helm install x ./chart",
            "npm run create-owner",
            "npm start",
            "yarn serve",
            "npx prisma migrate deploy",
            "make deploy",
            "bash backup-postgres.sh",
            "yarn db:seed",
        ] {
            assert!(mutation(action).is_some(), "{action}");
        }
        for check in [
            "pytest tests/ -v",
            "sqlite3 db \"PRAGMA journal_mode;\"",
            "sqlite3 .moai/memory/swarm.db \".schema\" | grep INDEX",
            "curl http://localhost:8000/health",
            "docker build -t moai-flow:latest .",
            "docker-compose ps",
            "kubectl get pods -n q",
            "git status",
            "ruff check src 2>&1",
            "pip-audit --strict > /dev/null",
            "./verify-production-ready.sh",
            "npm run build",
            "npm test",
            "make check",
            "make release-check",
            "npm run migrate:status",
            "bash scripts/check-tls.sh",
        ] {
            assert_eq!(mutation(check), None, "{check}");
        }
    }

    #[test]
    fn commands_are_told_from_other_code() {
        for c in [
            "pytest -q",
            "pre-commit run --all-files",
            "pip-audit",
            "docker build -t maie-api .",
            "make check",
            "./scripts/verify.sh",
            "cargo test --workspace",
        ] {
            assert!(looks_like_command(c), "{c}");
        }
        for c in [
            "/health",
            "latest",
            "commit-sha",
            "YYYY.MM.DD",
            ".env.example",
            "config/qbitel.production.yaml",
            "POSTGRES_PASSWORD",
            "{\"status\": \"ok\"}",
            "qbitel",
            "qbitel-service-mesh",
            "QMOI_TOKEN",
            "GET /health",
            "production-checklist.md",
        ] {
            assert!(!looks_like_command(c), "{c}");
        }
    }
}
