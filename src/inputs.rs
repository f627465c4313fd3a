//! Loading what every command reads: checklists, the config file, the catalogue; and binding.
//! Problems are printed here as `file:line: message` and become exit code 2.

use std::path::{Path, PathBuf};

use gonogo_engine::InputError;
use gonogo_engine::bind::{ItemBindings, bind_all};
use gonogo_engine::builtin::{BUILTIN_CHECKLIST, BUILTIN_NAME};
use gonogo_engine::catalogue::Catalogue;
use gonogo_engine::config::Config;
use gonogo_engine::model::Checklist;
use gonogo_engine::parse::{parse_file, parse_str};

use crate::cli::Inputs;

pub struct Loaded {
    pub repo: PathBuf,
    pub checklists: Vec<Checklist>,
    pub config: Config,
    pub catalogue: Catalogue,
    pub bindings: Vec<Vec<ItemBindings>>,
}

pub fn report_input_error(e: &InputError) {
    eprintln!("gonogo: error: {e}");
}

/// Parse, configure and bind. `Err(())` means an input error was already printed.
pub fn load(inputs: &Inputs) -> Result<Loaded, ()> {
    let repo = inputs.repo.clone();
    let shown = repo.display().to_string();
    match std::fs::metadata(&repo) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return fail(InputError::new(shown, None, "--repo must be a directory")),
        Err(e) => return fail(InputError::io(&shown, &e)),
    }
    let config = match &inputs.config {
        Some(path) => {
            Config::load(path, &path.display().to_string()).map_err(|e| report_input_error(&e))?
        }
        None => {
            let default = repo.join("gonogo.toml");
            if default.is_file() {
                Config::load(&default, &default.display().to_string())
                    .map_err(|e| report_input_error(&e))?
            } else {
                Config::default()
            }
        }
    };
    let started = std::time::Instant::now();
    let mut checklists = Vec::new();
    if inputs.checklists.is_empty() {
        let out =
            parse_str(BUILTIN_CHECKLIST, BUILTIN_NAME).expect("the built-in checklist parses");
        checklists.push(out.checklist);
        hint_repo_checklist(&repo);
    }
    for path in &inputs.checklists {
        let out =
            parse_file(path, &path.display().to_string()).map_err(|e| report_input_error(&e))?;
        for w in &out.warnings {
            eprintln!("gonogo: warning: {w}");
        }
        checklists.push(out.checklist);
    }
    timing("parse", started);
    let started = std::time::Instant::now();
    let catalogue = gonogo_checks::catalogue();
    let bindings =
        bind_all(&checklists, &catalogue, &config).map_err(|e| report_input_error(&e))?;
    timing("bind", started);
    Ok(Loaded {
        repo,
        checklists,
        config,
        catalogue,
        bindings,
    })
}

/// With `GONOGO_TIMINGS` set, how long a stage took, on stderr (for benchmarks).
pub fn timing(stage: &str, started: std::time::Instant) {
    if std::env::var_os("GONOGO_TIMINGS").is_some() {
        eprintln!(
            "gonogo: timing: {stage} {:.1} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
}

fn fail<T>(e: InputError) -> Result<T, ()> {
    report_input_error(&e);
    Err(())
}

/// When the repository has a checklist of its own, say how to use it.
fn hint_repo_checklist(repo: &Path) {
    let Ok(rd) = std::fs::read_dir(repo) else {
        return;
    };
    let mut found: Vec<String> = rd
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            let l = n.to_ascii_lowercase();
            l.ends_with(".md") && (l.contains("checklist") || l.contains("readiness"))
        })
        .collect();
    found.sort();
    if let Some(first) = found.first() {
        eprintln!(
            "gonogo: using the built-in checklist; to check the repository's own, run `gonogo check {first}`"
        );
    }
}
