//! Command-line definitions (clap). Parsing only; the commands live in `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "gonogo",
    version,
    about = "Executable production-readiness checklists: GO or NO-GO, with evidence for every item",
    after_help = "Exit codes: 0 GO · 1 NO-GO · 2 bad input or invocation · 3 gonogo itself failed"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse the checklists, bind items to checks, run them, decide and report.
    Check(CheckArgs),
    /// Parse and bind only: every item with its checks, parameters and reasons. Runs nothing.
    Map(MapArgs),
    /// The catalogue of built-in checks; `checks explain ID` prints one check's documentation.
    Checks(ChecksArgs),
    /// Record a person's sign-off of a manual item, or of a role (`--role`); `--list` shows them.
    Sign(crate::cli_store::SignArgs),
    /// Let a failing item through, visibly, until the waiver expires.
    Waive(crate::cli_store::WaiveArgs),
    /// Past runs: verdict and counts per run, with a compact trend.
    History(crate::cli_store::HistoryArgs),
    /// What changed between two runs (default: the last two).
    Diff(crate::cli_store::DiffArgs),
    /// Check the store's ledger: exit 0 when intact, 1 naming the first altered entry.
    Verify(crate::cli_store::VerifyArgs),
}

#[derive(Args, Debug, Clone)]
pub struct Inputs {
    /// Checklist files (Markdown). Without any: the `checklists` of gonogo.toml, else the
    /// repository's PRODUCTION_CHECKLIST.md (or a usual variant), else the built-in checklist.
    #[arg(value_name = "CHECKLIST.md")]
    pub checklists: Vec<PathBuf>,

    /// The repository to check statically.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,

    /// Bindings and settings (default: gonogo.toml in the repository, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: Inputs,

    /// The running deployment to check live; repeat for its other listeners.
    #[arg(long = "target", value_name = "URL")]
    pub targets: Vec<String>,

    /// The deployment's PostgreSQL, for datastore checks.
    #[arg(
        long,
        value_name = "URL",
        env = "GONOGO_POSTGRES_URL",
        hide_env_values = true
    )]
    pub postgres: Option<String>,

    /// The deployment's Redis, for datastore checks.
    #[arg(
        long,
        value_name = "URL",
        env = "GONOGO_REDIS_URL",
        hide_env_values = true
    )]
    pub redis: Option<String>,

    /// The deployment's PgBouncer (its admin console, e.g. postgres://admin@host:6432/pgbouncer),
    /// for the pooler's pool sizes; without it a pgbouncer.ini in the repository is read.
    #[arg(
        long,
        value_name = "URL",
        env = "GONOGO_PGBOUNCER_URL",
        hide_env_values = true
    )]
    pub pgbouncer: Option<String>,

    /// Also trust this CA when checking live TLS targets.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,

    /// Allow running commands found in the checklist (otherwise they are skipped).
    #[arg(long)]
    pub allow_exec: bool,

    /// Report format on stdout (default: human), or of the single --output file.
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Also look into the git history where a check can (secret scanning reports secrets
    /// removed from HEAD with the commit that added them).
    #[arg(long)]
    pub history: bool,

    /// Write a report to this file instead of stdout; repeat for several reports. The format
    /// comes from the extension (.txt human, .json, .md markdown, .sarif, .xml junit, .html)
    /// unless --format is given with a single --output.
    #[arg(long = "output", value_name = "FILE")]
    pub outputs: Vec<PathBuf>,

    #[command(flatten)]
    pub store: crate::cli_store::StoreArgs,

    /// Do not keep this run in the store (sign-offs and waivers are still read).
    #[arg(long)]
    pub no_store: bool,
}

#[derive(Args, Debug)]
pub struct MapArgs {
    #[command(flatten)]
    pub inputs: Inputs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = MapFormat::Human)]
    pub format: MapFormat,

    /// Write each item's automatic bindings into the checklist as `<!-- gonogo: … -->`
    /// annotations (in place; nothing else in the file changes), to review and keep them.
    #[arg(long)]
    pub annotate: bool,
}

#[derive(Args, Debug)]
pub struct ChecksArgs {
    #[command(subcommand)]
    pub action: Option<ChecksAction>,

    /// Output format of the list.
    #[arg(long, value_enum, default_value_t = MapFormat::Human)]
    pub format: MapFormat,
}

#[derive(Subcommand, Debug)]
pub enum ChecksAction {
    /// Print one check's documentation.
    Explain {
        /// The check's id, e.g. docs.readme.
        id: String,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Markdown,
    Sarif,
    Junit,
    Html,
}

impl Format {
    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let ext = name.rsplit('.').next()?;
        Some(match ext {
            "txt" | "log" => Format::Human,
            "json" if name.ends_with(".sarif.json") => Format::Sarif,
            "json" => Format::Json,
            "md" | "markdown" => Format::Markdown,
            "sarif" => Format::Sarif,
            "xml" => Format::Junit,
            "html" | "htm" => Format::Html,
            _ => return None,
        })
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapFormat {
    Human,
    Json,
}
