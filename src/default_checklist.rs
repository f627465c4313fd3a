//! Which checklists a command reads when none is named on the command line: the ones
//! `gonogo.toml` lists, else the first file with a usual name in the repository, else the
//! built-in checklist. A team's own checklist is what it means by "the checklist".

use std::path::{Path, PathBuf};

use gonogo_engine::InputError;
use gonogo_engine::config::Config;

/// Where the checklists of a run came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Named on the command line.
    Given,
    /// `checklists = […]` in the config file (its name as shown, and the line).
    Listed { config: String, line: usize },
    /// Found in the repository under a usual name.
    Found,
    /// None of the above: gonogo's built-in checklist.
    BuiltIn,
}

/// The checklist files to read (path on disk, name shown in reports) and why.
#[derive(Debug)]
pub struct Chosen {
    pub files: Vec<(PathBuf, String)>,
    pub origin: Origin,
}

/// The usual names of a repository's own checklist, most specific first. File names are
/// compared without regard to case, so `production_checklist.md` is found too.
pub const USUAL_NAMES: &[&str] = &[
    "PRODUCTION_CHECKLIST.md",
    "PRODUCTION-CHECKLIST.md",
    "PRODUCTION_READINESS_CHECKLIST.md",
    "PRODUCTION-READINESS-CHECKLIST.md",
    "PRODUCTION_READINESS.md",
    "PRODUCTION-READINESS.md",
    "LAUNCH_CHECKLIST.md",
    "LAUNCH-CHECKLIST.md",
    "READINESS.md",
    "CHECKLIST.md",
    ".github/PRODUCTION_CHECKLIST.md",
    "docs/PRODUCTION_CHECKLIST.md",
    "docs/PRODUCTION-CHECKLIST.md",
];

/// The checklists for these arguments. An error names gonogo.toml and the line of a listed
/// file that does not exist.
pub fn choose(given: &[PathBuf], repo: &Path, config: &Config) -> Result<Chosen, InputError> {
    if !given.is_empty() {
        return Ok(Chosen {
            files: given
                .iter()
                .map(|p| (p.clone(), p.display().to_string()))
                .collect(),
            origin: Origin::Given,
        });
    }
    if let Some(first) = config.checklists.first() {
        let shown_config = config.path.clone().unwrap_or_else(|| "gonogo.toml".into());
        let mut files = Vec::new();
        for listed in &config.checklists {
            let on_disk = repo.join(&listed.path);
            if !on_disk.is_file() {
                return Err(InputError::new(
                    &shown_config,
                    Some(listed.line),
                    format!(
                        "`checklists` lists `{}`, but there is no such file ({} does not exist or is not a file)",
                        listed.path,
                        on_disk.display()
                    ),
                ));
            }
            files.push((on_disk, shown(repo, &listed.path)));
        }
        return Ok(Chosen {
            files,
            origin: Origin::Listed {
                config: shown_config,
                line: first.line,
            },
        });
    }
    if let Some(rel) = find_usual(repo) {
        return Ok(Chosen {
            files: vec![(repo.join(&rel), shown(repo, &rel))],
            origin: Origin::Found,
        });
    }
    Ok(Chosen {
        files: Vec::new(),
        origin: Origin::BuiltIn,
    })
}

/// One line for stderr: which checklist is used and why.
pub fn announcement(chosen: &Chosen, repo: &Path) -> Option<String> {
    let names = || {
        chosen
            .files
            .iter()
            .map(|(_, s)| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match &chosen.origin {
        Origin::Given => None,
        Origin::Listed { config, line } => {
            Some(format!("using {} (listed in {config}:{line})", names()))
        }
        Origin::Found => Some(format!("using {} (found in the repository)", names())),
        Origin::BuiltIn => Some(match other_checklist(repo) {
            Some(name) => format!(
                "using the built-in checklist; the repository's {name} has no usual name: run `gonogo check {name}` or list it in gonogo.toml (`checklists = [\"{name}\"]`)"
            ),
            None => "using the built-in checklist (the repository has no checklist of its own)"
                .to_string(),
        }),
    }
}

/// How a repository file is named in reports: relative when the repository is the current
/// directory, as in every other place gonogo names a file.
fn shown(repo: &Path, rel: &str) -> String {
    if repo == Path::new(".") {
        rel.to_string()
    } else {
        repo.join(rel).display().to_string()
    }
}

/// The first usual name present (as a file) in the repository, with its real spelling.
fn find_usual(repo: &Path) -> Option<String> {
    USUAL_NAMES.iter().find_map(|usual| {
        let (dir, name) = usual.rsplit_once('/').unwrap_or(("", usual));
        let real = file_named(&repo.join(dir), name)?;
        Some(if dir.is_empty() {
            real
        } else {
            format!("{dir}/{real}")
        })
    })
}

/// The file in `dir` whose name equals `name` without regard to case (the exact spelling
/// first, then the first in sorted order, so the choice never depends on directory order).
fn file_named(dir: &Path, name: &str) -> Option<String> {
    if dir.join(name).is_file() {
        return Some(name.to_string());
    }
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.eq_ignore_ascii_case(name) && dir.join(n).is_file())
        .collect();
    found.sort();
    found.into_iter().next()
}

/// A Markdown file in the repository root that looks like a checklist but has no usual
/// name, for the hint when the built-in checklist is used.
fn other_checklist(repo: &Path) -> Option<String> {
    let mut found: Vec<String> = std::fs::read_dir(repo)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            let l = n.to_ascii_lowercase();
            l.ends_with(".md") && (l.contains("checklist") || l.contains("readiness"))
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_with(files: &[&str]) -> tempfile::TempDir {
        let t = tempfile::TempDir::new().unwrap();
        for f in files {
            let p = t.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "- [ ] x\n").unwrap();
        }
        t
    }

    #[test]
    fn usual_names_in_order_and_any_case() {
        let t = repo_with(&["checklist.md", "docs/Production_Checklist.md"]);
        assert_eq!(find_usual(t.path()).as_deref(), Some("checklist.md"));
        let t = repo_with(&["Launch_Checklist.md", "readiness.md"]);
        assert_eq!(find_usual(t.path()).as_deref(), Some("Launch_Checklist.md"));
        let t = repo_with(&["docs/production_checklist.md"]);
        assert_eq!(
            find_usual(t.path()).as_deref(),
            Some("docs/production_checklist.md")
        );
        let t = repo_with(&["notes.md"]);
        assert_eq!(find_usual(t.path()), None);
    }

    #[test]
    fn a_directory_with_a_usual_name_is_not_a_checklist() {
        let t = repo_with(&["CHECKLIST.md/inner.md"]);
        assert_eq!(find_usual(t.path()), None);
    }
}
