//! What a CI step really runs when it calls a task runner: the recipe of a Makefile target
//! (and of the targets it depends on), the script of a `package.json`, and the plugins a
//! Maven or Gradle build runs (`build_tools.rs`), followed a few levels deep. `make ci`
//! whose recipe runs `pytest` is a test step; without this the CI
//! checks would call it "no CI step runs tests".

use std::collections::HashMap;

use gonogo_engine::context::RunContext;

use super::model::command_lines;

/// Levels of `make` → recipe → `$(MAKE) other` followed.
const MAX_DEPTH: usize = 3;
/// Recipe lines added to one step at most (a generated Makefile must not blow a step up).
const MAX_LINES: usize = 300;

/// The command lines that `run` reaches through Makefile targets and package scripts, in the
/// order they would run; empty when it calls no task runner the repository defines.
pub fn expand(ctx: &RunContext, run: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in command_lines(run) {
        follow(ctx, &line, 0, &mut out);
    }
    out
}

fn follow(ctx: &RunContext, line: &str, depth: usize, out: &mut Vec<String>) {
    if depth >= MAX_DEPTH || out.len() >= MAX_LINES {
        return;
    }
    let mut dir = String::new();
    for part in line.split("&&").flat_map(|p| p.split(';')) {
        let words: Vec<&str> = part
            .split_whitespace()
            .skip_while(|w| w.contains('=') && !w.starts_with('-'))
            .collect();
        let Some(&first) = words.first() else {
            continue;
        };
        if first == "cd" {
            dir = words.get(1).map_or(String::new(), |d| clean_dir(d));
            continue;
        }
        let lines = match first.rsplit('/').next().unwrap_or(first) {
            "make" | "gmake" | "$(MAKE)" | "${MAKE}" => make_lines(ctx, &dir, &words[1..]),
            "npm" | "yarn" | "pnpm" | "bun" => package_lines(ctx, &dir, first, &words[1..]),
            "mvn" | "mvnw" => super::build_tools::maven_lines(ctx, &dir, &words[1..]),
            "gradle" | "gradlew" => super::build_tools::gradle_lines(ctx, &dir, &words[1..]),
            _ => continue,
        };
        for l in lines {
            if out.len() >= MAX_LINES {
                return;
            }
            out.push(l.clone());
            follow(ctx, &l, depth + 1, out);
        }
    }
}

fn clean_dir(d: &str) -> String {
    let d = d.trim_matches(['"', '\'']).trim_start_matches("./");
    let d = d.trim_end_matches('/');
    if d == "." || d.starts_with('/') || d.contains('$') {
        String::new()
    } else {
        d.to_string()
    }
}

/// The Makefile at `rel`, parsed once per run: every step that calls `make`, and every check
/// that reads recipes, reads the same one.
fn parsed(ctx: &RunContext, rel: &str) -> std::sync::Arc<Option<Makefile>> {
    ctx.cached(&format!("ci.makefile:{rel}"), || {
        ctx.text(rel)
            .as_ref()
            .as_ref()
            .ok()
            .map(|t| Makefile::parse(&t.text))
    })
}

/// Every recipe line of the Makefile at `rel` (continuations joined, one-word variables
/// substituted), each once.
pub fn recipes(ctx: &RunContext, rel: &str) -> Vec<String> {
    let mk = parsed(ctx, rel);
    let Some(mk) = mk.as_ref() else {
        return Vec::new();
    };
    let mut targets: Vec<&String> = mk.rules.keys().collect();
    targets.sort();
    targets
        .into_iter()
        .flat_map(|t| mk.rules[t].1.iter().map(|l| mk.substituted(l)))
        .collect()
}

pub(super) fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The recipe lines of the targets a `make` call names (its default target when none).
fn make_lines(ctx: &RunContext, dir: &str, args: &[&str]) -> Vec<String> {
    let mut dir = dir.to_string();
    let mut file: Option<String> = None;
    let mut targets = Vec::new();
    // A target was named (even one passed over): the default target is not what runs.
    let mut named = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        match a {
            "-C" | "--directory" => {
                if let Some(d) = args.get(i + 1) {
                    dir = join(&dir, &clean_dir(d));
                }
                i += 1;
            }
            "-f" | "--file" | "--makefile" => {
                file = args.get(i + 1).map(|f| f.to_string());
                i += 1;
            }
            _ if a.starts_with("-C") && a.len() > 2 => dir = join(&dir, &clean_dir(&a[2..])),
            _ if a.starts_with('-') || a.contains('=') => {}
            // `install-yamllint`, `setup-tools`, `clean`: preparation, not the work.
            _ if ["install", "setup", "clean", "deps", "tools"]
                .iter()
                .any(|p| {
                    a == *p || a.starts_with(&format!("{p}-")) || a.starts_with(&format!("{p}_"))
                }) =>
            {
                named = true;
            }
            _ => targets.push(a.trim_matches(['"', '\'']).to_string()),
        }
        i += 1;
    }
    let names = match &file {
        Some(f) => vec![join(&dir, f)],
        None => ["GNUmakefile", "makefile", "Makefile"]
            .iter()
            .map(|n| join(&dir, n))
            .collect(),
    };
    let Some(mk) = names.iter().find_map(|rel| {
        let parsed = parsed(ctx, rel);
        parsed.is_some().then_some(parsed)
    }) else {
        return Vec::new();
    };
    let Some(mk) = mk.as_ref() else {
        return Vec::new();
    };
    if targets.is_empty() && !named {
        targets.extend(mk.default.clone());
    }
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for t in &targets {
        mk.recipe_with_prerequisites(t, &mut seen, &mut out);
    }
    out
}

/// The script a package manager call runs (`npm test`, `npm run lint`, `yarn build`,
/// `pnpm run ci`), with its `pre`/`post` scripts.
fn package_lines(ctx: &RunContext, dir: &str, tool: &str, args: &[&str]) -> Vec<String> {
    let mut dir = dir.to_string();
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "--prefix" | "--cwd" | "-C" | "--dir" => {
                if let Some(d) = args.get(i + 1) {
                    dir = join(&dir, &clean_dir(d));
                }
                i += 1;
            }
            a if a.starts_with('-') => {}
            a => rest.push(a),
        }
        i += 1;
    }
    let script = match rest.as_slice() {
        ["run" | "run-script", name, ..] => *name,
        [cmd @ ("test" | "start" | "build"), ..] => *cmd,
        // `yarn lint`, `pnpm lint`, `bun lint`: a bare name is a script for these.
        [name, ..]
            if tool != "npm"
                && !matches!(*name, "install" | "add" | "ci" | "exec" | "dlx" | "x") =>
        {
            *name
        }
        _ => return Vec::new(),
    };
    let rel = join(&dir, "package.json");
    let text = ctx.text(&rel);
    let Ok(t) = text.as_ref() else {
        return Vec::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&t.text) else {
        return Vec::new();
    };
    let scripts = &json["scripts"];
    [
        format!("pre{script}"),
        script.to_string(),
        format!("post{script}"),
    ]
    .iter()
    .filter_map(|n| scripts[n].as_str())
    .map(|s| match dir.as_str() {
        "" => s.to_string(),
        d => format!("cd {d} && {s}"),
    })
    .collect()
}

/// The rules of a Makefile: target → (prerequisites, recipe lines).
#[derive(Debug, Clone, Default)]
struct Makefile {
    rules: HashMap<String, (Vec<String>, Vec<String>)>,
    /// The first target that is not special (`.PHONY`) or a pattern.
    default: Option<String>,
    /// Variables set to one plain word (`GO ?= go`, `NPM := pnpm`), substituted in recipes.
    vars: HashMap<String, String>,
}

impl Makefile {
    fn parse(text: &str) -> Makefile {
        let mut mk = Makefile::default();
        let mut current: Vec<String> = Vec::new();
        let mut pending = String::new();
        for raw in text.lines() {
            if let Some(recipe) = raw.strip_prefix('\t') {
                if current.is_empty() {
                    continue;
                }
                pending.push_str(recipe.trim_end_matches('\\'));
                if recipe.ends_with('\\') {
                    pending.push(' ');
                    continue;
                }
                let line = std::mem::take(&mut pending);
                let line = line.trim_start_matches(['@', '-', '+', ' ']).trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                for t in &current {
                    if let Some(r) = mk.rules.get_mut(t) {
                        r.1.push(line.to_string());
                    }
                }
                continue;
            }
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            current.clear();
            if let Some((name, value)) = assignment(trimmed) {
                mk.vars.insert(name, value);
                continue;
            }
            // `targets: prerequisites` but not `VAR := value` / `VAR ::= value`.
            let Some((left, right)) = trimmed.split_once(':') else {
                continue;
            };
            if right.starts_with('=') || left.contains('=') || left.contains('$') {
                continue;
            }
            let right = right.trim_start_matches(':');
            let (prereqs, inline) = match right.split_once(';') {
                Some((p, r)) => (p, Some(r.trim())),
                None => (right, None),
            };
            let prereqs: Vec<String> = prereqs
                .split('|')
                .next()
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect();
            for t in left.split_whitespace() {
                if t.starts_with('.') || t.contains('%') {
                    continue;
                }
                if mk.default.is_none() {
                    mk.default = Some(t.to_string());
                }
                let entry = mk.rules.entry(t.to_string()).or_default();
                entry.0.extend(prereqs.iter().cloned());
                if let Some(r) = inline.filter(|r| !r.is_empty()) {
                    entry.1.push(r.to_string());
                }
                current.push(t.to_string());
            }
        }
        mk
    }

    fn recipe_with_prerequisites(
        &self,
        target: &str,
        seen: &mut Vec<String>,
        out: &mut Vec<String>,
    ) {
        if seen.iter().any(|s| s == target) || seen.len() > 64 {
            return;
        }
        seen.push(target.to_string());
        let Some((prereqs, recipe)) = self.rules.get(target) else {
            return;
        };
        for p in prereqs {
            self.recipe_with_prerequisites(p, seen, out);
        }
        out.extend(recipe.iter().map(|l| self.substituted(l)));
    }

    /// A recipe line with `$(MAKE)` and the one-word variables written out.
    fn substituted(&self, line: &str) -> String {
        let mut l = line.replace("$(MAKE)", "make").replace("${MAKE}", "make");
        for (k, v) in &self.vars {
            l = l
                .replace(&format!("$({k})"), v)
                .replace(&format!("${{{k}}}"), v);
        }
        l
    }
}

/// `NAME = word`, `NAME := word`, `NAME ?= word`, `export NAME = word` with a one-word value.
fn assignment(line: &str) -> Option<(String, String)> {
    let line = line.strip_prefix("export ").unwrap_or(line);
    let (left, value) = line.split_once('=')?;
    let name = left.trim_end_matches([':', '?', '+', '!']).trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let value = value.trim();
    (!value.is_empty() && !value.contains(char::is_whitespace) && !value.contains('$'))
        .then(|| (name.to_string(), value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makefile_rules_recipes_and_prerequisites() {
        let mk = Makefile::parse(
            "GO ?= go\nVERSION := $(shell git describe)\n.PHONY: test ci\n\nci: lint test\n\t@echo done\n\ntest: ## run tests\n\t$(GO) test ./... \\\n\t  -race\n\t-@$(MAKE) cover\nlint:\n\tgolangci-lint run\n%.o: %.c\n\tcc -c $<\n",
        );
        assert_eq!(mk.default.as_deref(), Some("ci"));
        let mut out = Vec::new();
        mk.recipe_with_prerequisites("ci", &mut Vec::new(), &mut out);
        assert_eq!(
            out,
            [
                "golangci-lint run",
                "go test ./...    -race",
                "make cover",
                "echo done"
            ]
        );
        assert!(!mk.rules.contains_key("VERSION"));
        assert!(!mk.rules.contains_key("%.o"));
    }
}
