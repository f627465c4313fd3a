//! What a Maven or Gradle build runs besides compiling: the lint, format and scan plugins the
//! build file binds to its lifecycle. `mvn verify` runs `checkstyle:check` when pom.xml binds
//! it to `validate`; `gradle build` runs `checkstyleMain` once the `checkstyle` plugin is
//! applied (it hangs off `check`). Without this a CI step running only `mvn -B verify` would
//! be "no CI step runs a linter" although the build fails on every style violation.
//!
//! Each plugin found becomes one line that starts with the tool's name, so the step kinds in
//! `kinds.rs` recognise it as they recognise the tool run by hand.

use gonogo_engine::context::RunContext;

use super::scripts::join;

/// Maven's default lifecycle, in order: a phase runs every phase before it.
const MAVEN_PHASES: &[&str] = &[
    "validate",
    "initialize",
    "generate-sources",
    "process-sources",
    "generate-resources",
    "process-resources",
    "compile",
    "process-classes",
    "generate-test-sources",
    "process-test-sources",
    "generate-test-resources",
    "process-test-resources",
    "test-compile",
    "process-test-classes",
    "test",
    "prepare-package",
    "package",
    "pre-integration-test",
    "integration-test",
    "post-integration-test",
    "verify",
    "install",
    "deploy",
];

/// (plugin artifactId, tool name for the step kinds, goals that check, the goals' default phase)
const MAVEN_PLUGINS: &[(&str, &str, &[&str], &str)] = &[
    (
        "maven-checkstyle-plugin",
        "checkstyle",
        &["check"],
        "verify",
    ),
    ("spotless-maven-plugin", "spotless", &["check"], "verify"),
    ("maven-pmd-plugin", "pmd", &["check", "cpd-check"], "verify"),
    ("spotbugs-maven-plugin", "spotbugs", &["check"], "verify"),
    (
        "fmt-maven-plugin",
        "google-java-format",
        &["check"],
        "verify",
    ),
    ("ktlint-maven-plugin", "ktlint", &["check"], "verify"),
    ("detekt-maven-plugin", "detekt", &["check"], "verify"),
    (
        "dependency-check-maven",
        "dependency-check",
        &["check", "aggregate"],
        "verify",
    ),
];

/// (Gradle plugin id, tool name): plugins whose tasks `check` (and so `build`) depends on.
const GRADLE_PLUGINS: &[(&str, &str)] = &[
    ("checkstyle", "checkstyle"),
    ("pmd", "pmd"),
    ("com.diffplug.spotless", "spotless"),
    ("com.github.spotbugs", "spotbugs"),
    ("io.gitlab.arturbosch.detekt", "detekt"),
    ("org.jlleitschuh.gradle.ktlint", "ktlint"),
    ("net.ltgt.errorprone", "errorprone"),
];

/// Gradle tasks that run a plugin's checks when named directly.
const GRADLE_TASKS: &[(&str, &str)] = &[
    ("checkstyleMain", "checkstyle"),
    ("pmdMain", "pmd"),
    ("spotlessCheck", "spotless"),
    ("spotbugsMain", "spotbugs"),
    ("detekt", "detekt"),
    ("ktlintCheck", "ktlint"),
    ("dependencyCheckAnalyze", "dependency-check"),
];

/// Lines for what `mvn ARGS` run in `dir` executes of the plugins pom.xml binds.
pub fn maven_lines(ctx: &RunContext, dir: &str, args: &[&str]) -> Vec<String> {
    let mut pom = join(dir, "pom.xml");
    let mut furthest: Option<usize> = None;
    let mut direct = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        match a {
            "-f" | "--file" => {
                if let Some(f) = args.get(i + 1) {
                    let f = f.trim_end_matches("/pom.xml");
                    pom = if f.ends_with(".xml") {
                        join(dir, f)
                    } else {
                        join(&join(dir, f), "pom.xml")
                    };
                }
                i += 1;
            }
            // Options that take a value.
            "-P" | "-pl" | "--projects" | "-s" | "--settings" | "-T" | "--threads" | "-rf"
            | "-D" => i += 1,
            _ if a.starts_with('-') => {}
            _ => {
                if let Some(p) = MAVEN_PHASES.iter().position(|p| *p == a) {
                    furthest = furthest.max(Some(p));
                } else if let Some((plugin, goal)) = a.rsplit_once(':') {
                    // `checkstyle:check`, `com.diffplug.spotless:spotless-maven-plugin:check`.
                    let plugin = plugin.rsplit(':').next().unwrap_or(plugin);
                    if let Some((_, tool, goals, _)) =
                        MAVEN_PLUGINS.iter().find(|(id, tool, _, _)| {
                            *id == plugin
                                || *tool == plugin
                                || id.starts_with(&format!("{plugin}-"))
                        })
                        && goals.contains(&goal)
                    {
                        direct.push(format!("{tool} {goal}, run as the goal {a}"));
                    }
                }
            }
        }
        i += 1;
    }
    // `-Dcheckstyle.skip`, `-Dspotless.check.skip=true`: the build runs without that plugin.
    let skipped = |tool: &str| {
        args.iter().any(|a| {
            a.starts_with(&format!("-D{tool}.skip"))
                || a.starts_with(&format!("-D{tool}.check.skip"))
        })
    };
    let mut out = direct;
    let Some(furthest) = furthest else {
        return out;
    };
    let text = ctx.text(&pom);
    let Ok(t) = text.as_ref() else { return out };
    let Ok(doc) = roxmltree::Document::parse(&t.text) else {
        return out;
    };
    // `<build><plugins>` (not `<pluginManagement>`, which binds nothing by itself), of the
    // project and of its profiles.
    let plugins = doc.descendants().filter(|n| {
        n.has_tag_name("plugin")
            && n.parent().is_some_and(|p| p.has_tag_name("plugins"))
            && n.parent()
                .and_then(|p| p.parent())
                .is_some_and(|b| b.has_tag_name("build"))
    });
    for plugin in plugins {
        let child = |n: roxmltree::Node, tag: &str| {
            n.children()
                .find(|c| c.has_tag_name(tag))
                .and_then(|c| c.text())
                .map(str::trim)
                .map(str::to_string)
        };
        let Some(artifact) = child(plugin, "artifactId") else {
            continue;
        };
        let Some((_, tool, goals, default)) = MAVEN_PLUGINS.iter().find(|(id, ..)| *id == artifact)
        else {
            continue;
        };
        if skipped(tool) {
            continue;
        }
        for exec in plugin.descendants().filter(|n| n.has_tag_name("execution")) {
            let bound: Vec<String> = exec
                .descendants()
                .filter(|n| n.has_tag_name("goal"))
                .filter_map(|n| n.text().map(|g| g.trim().to_string()))
                .filter(|g| goals.contains(&g.as_str()))
                .collect();
            let Some(goal) = bound.first() else { continue };
            let phase = child(exec, "phase").unwrap_or_else(|| default.to_string());
            let Some(at) = MAVEN_PHASES.iter().position(|p| *p == phase) else {
                continue;
            };
            if at <= furthest {
                out.push(format!(
                    "{tool} {goal}, bound to the {phase} phase in {pom}, runs in mvn {}",
                    MAVEN_PHASES[furthest]
                ));
                break;
            }
        }
    }
    out
}

/// Lines for what `gradle TASKS` (or `./gradlew`) run in `dir` executes of the plugins its
/// build files apply: `build` and `check` run every verification plugin's tasks.
pub fn gradle_lines(ctx: &RunContext, dir: &str, args: &[&str]) -> Vec<String> {
    let tasks: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        // `:app:build`, `app:check`: the task's own name.
        .map(|a| a.rsplit(':').next().unwrap_or(a))
        .collect();
    let mut out: Vec<String> = tasks
        .iter()
        .filter_map(|t| GRADLE_TASKS.iter().find(|(name, _)| name == t))
        .map(|(name, tool)| format!("{tool} run as the task {name}"))
        .collect();
    if !tasks.iter().any(|t| matches!(*t, "build" | "check")) {
        return out;
    }
    // The build files of the project and its subprojects (a few levels down).
    let index = ctx.repo_index();
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let files = index.find(|name, rel| {
        matches!(name, "build.gradle" | "build.gradle.kts")
            && rel.starts_with(&prefix)
            && rel[prefix.len()..].matches('/').count() <= 3
    });
    let mut seen: Vec<&str> = Vec::new();
    for f in files.take(200) {
        let text = ctx.text(&f.rel);
        let Ok(t) = text.as_ref() else { continue };
        for (id, tool) in GRADLE_PLUGINS {
            if !seen.contains(tool) && applies(&t.text, id) {
                seen.push(tool);
                out.push(format!(
                    "{tool} applied in {}, runs in gradle {}",
                    f.rel,
                    tasks
                        .iter()
                        .find(|t| matches!(**t, "build" | "check"))
                        .unwrap_or(&"check")
                ));
            }
        }
    }
    out
}

/// Whether a Gradle build script applies the plugin `id`: `id 'x'`, `id("x")`, `apply plugin:
/// 'x'`, or a core plugin named bare in the `plugins {}` block (`checkstyle`, `` `pmd` ``).
fn applies(text: &str, id: &str) -> bool {
    let quoted = [format!("\"{id}\""), format!("'{id}'")];
    text.lines().any(|l| {
        let l = l.trim();
        if l.starts_with("//") {
            return false;
        }
        let names_it = quoted.iter().any(|q| l.contains(q.as_str()));
        (names_it && (l.starts_with("id") || l.starts_with("apply") || l.starts_with("alias")))
            || (!id.contains('.') && (l == id || l == format!("`{id}`")))
    })
}

#[cfg(test)]
mod tests {
    use super::applies;

    #[test]
    fn gradle_plugins_are_applied_in_every_spelling() {
        assert!(applies("plugins {\n  id 'checkstyle'\n}", "checkstyle"));
        assert!(applies("plugins {\n    checkstyle\n}", "checkstyle"));
        assert!(applies("plugins { }\napply plugin: \"pmd\"", "pmd"));
        assert!(applies(
            "plugins {\n  id(\"com.diffplug.spotless\") version \"6.25.0\"\n}",
            "com.diffplug.spotless"
        ));
        // Configuration that names the tool is not the plugin applied.
        assert!(!applies(
            "checkstyle {\n  toolVersion = \"10\"\n}",
            "checkstyle"
        ));
        assert!(!applies("// id 'pmd'", "pmd"));
    }
}
