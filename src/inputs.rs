//! Loading what every command reads: checklists, the config file, the catalogue; and binding.
//! Problems are printed here as `file:line: message` and become exit code 2.

use std::path::PathBuf;

use gonogo_engine::InputError;
use gonogo_engine::bind::{ItemBindings, bind_all};
use gonogo_engine::builtin::{BUILTIN_CHECKLIST, BUILTIN_NAME};
use gonogo_engine::catalogue::Catalogue;
use gonogo_engine::config::Config;
use gonogo_engine::model::Checklist;
use gonogo_engine::parse::{parse_file, parse_str};

use crate::cli::Inputs;
use crate::default_checklist::{Origin, announcement, choose};

pub struct Loaded {
    pub repo: PathBuf,
    /// Where the checklists came from (named, listed in gonogo.toml, found, built in).
    pub origin: Origin,
    pub checklists: Vec<Checklist>,
    pub config: Config,
    pub catalogue: Catalogue,
    pub bindings: Vec<Vec<ItemBindings>>,
}

pub fn report_input_error(e: &InputError) {
    eprintln!("gonogo: error: {e}");
}

/// Parse, configure and bind. `Err(())` means an input error was already printed.
/// `announce`: say on stderr which checklist is used when none was named (human output only,
/// so machine-read output stays clean).
pub fn load(inputs: &Inputs, announce: bool) -> Result<Loaded, ()> {
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
            // Named as a person would type it: `gonogo.toml` in the current directory.
            let shown = if repo == std::path::Path::new(".") {
                "gonogo.toml".to_string()
            } else {
                default.display().to_string()
            };
            if default.is_file() {
                Config::load(&default, &shown).map_err(|e| report_input_error(&e))?
            } else {
                Config::default()
            }
        }
    };
    let chosen = choose(&inputs.checklists, &repo, &config).map_err(|e| report_input_error(&e))?;
    if announce && let Some(line) = announcement(&chosen, &repo) {
        eprintln!("gonogo: {line}");
    }
    let started = std::time::Instant::now();
    let mut checklists = Vec::new();
    if chosen.origin == Origin::BuiltIn {
        let out =
            parse_str(BUILTIN_CHECKLIST, BUILTIN_NAME).expect("the built-in checklist parses");
        checklists.push(out.checklist);
    }
    for (path, shown) in &chosen.files {
        let out = parse_file(path, shown).map_err(|e| report_input_error(&e))?;
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
        origin: chosen.origin,
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
