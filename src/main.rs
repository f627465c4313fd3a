//! gonogo's binary: parse arguments, run a command, map its result to the exit codes of
//! CONTRACT.md. Everything else lives in the library crates.

mod cli;
mod cli_store;
mod commands;
mod default_checklist;
mod inputs;
mod output;
mod progress;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

/// What a command ended with, mapped to an exit code in one place.
pub enum Exit {
    Go,
    NoGo,
    /// Bad input or invocation (already reported on stderr).
    Input,
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("gonogo: internal error: {msg}{at} (please report this)");
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = std::panic::catch_unwind(|| {
        // Lets the test suite see exit code 3; compiled out of release builds.
        if cfg!(debug_assertions) && std::env::var_os("GONOGO_DEBUG_PANIC").is_some() {
            panic!("GONOGO_DEBUG_PANIC is set");
        }
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        rt.block_on(async {
            match cli.command {
                Command::Check(args) => commands::check::run(args).await,
                Command::Map(args) => commands::map::run(args),
                Command::Checks(args) => commands::checks::run(args),
                Command::Sign(args) => commands::sign::run(args).await,
                Command::Waive(args) => commands::waive::run(args).await,
                Command::History(args) => commands::history::run(args).await,
                Command::Diff(args) => commands::diff::run(args).await,
                Command::Verify(args) => commands::verify::run(args).await,
            }
        })
    });
    match result {
        Ok(Ok(Exit::Go)) => ExitCode::SUCCESS,
        Ok(Ok(Exit::NoGo)) => ExitCode::from(1),
        Ok(Ok(Exit::Input)) => ExitCode::from(2),
        Ok(Err(e)) => {
            eprintln!("gonogo: {e:#}");
            ExitCode::from(3)
        }
        Err(_) => ExitCode::from(3),
    }
}
