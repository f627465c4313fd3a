//! Command-line definitions of the store commands: sign, waive, history, diff, verify.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::cli::Inputs;

/// Where runs, sign-offs and waivers are kept.
#[derive(Args, Debug, Clone, Default)]
pub struct StoreArgs {
    /// Where runs, sign-offs and waivers are kept: a SQLite file (default
    /// .gonogo/gonogo.db under the repository) or postgres://…
    #[arg(
        long,
        value_name = "PATH_OR_URL",
        env = "GONOGO_STORE",
        hide_env_values = true
    )]
    pub store: Option<String>,
}

/// The store of a repository, for commands that read only the store.
#[derive(Args, Debug, Clone)]
pub struct StoreOnly {
    /// The repository whose store is meant (the default store lives under it).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,

    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Args, Debug)]
pub struct SignArgs {
    /// The manual item's id (as `gonogo map` and the JSON report show it).
    #[arg(value_name = "ITEM_ID", required_unless_present_any = ["role", "list"])]
    pub item: Option<String>,

    /// Who signs.
    #[arg(long, value_name = "NAME", required_unless_present = "list")]
    pub by: Option<String>,

    /// The role signing, e.g. "Security Lead" (alone: a role sign-off for sign-off tables).
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,

    /// A note kept with the sign-off.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// How long the sign-off lasts (e.g. 90d, 2w, 12h); without it, until the wording changes.
    #[arg(long, value_name = "DURATION")]
    pub expires: Option<String>,

    /// List the sign-offs in force and what expires soon, instead of signing.
    #[arg(long, conflicts_with_all = ["item", "by", "role", "note", "expires"])]
    pub list: bool,

    /// With --list: the output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,

    #[command(flatten)]
    pub inputs: Inputs,

    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Debug)]
pub struct WaiveArgs {
    /// The failing item's id (as `gonogo map` and the JSON report show it).
    #[arg(value_name = "ITEM_ID")]
    pub item: String,

    /// Why the item may go through anyway.
    #[arg(long, value_name = "TEXT")]
    pub reason: String,

    /// Who waives it.
    #[arg(long, value_name = "NAME")]
    pub by: String,

    /// How long the waiver lasts (e.g. 14d).
    #[arg(long, value_name = "DURATION")]
    pub expires: String,

    #[command(flatten)]
    pub inputs: Inputs,

    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    #[command(flatten)]
    pub at: StoreOnly,

    /// Show at most this many of the latest runs.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,

    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The earlier run's id (as `gonogo history` shows it); default: the second-to-last run.
    #[arg(value_name = "RUN_A")]
    pub a: Option<i64>,

    /// The later run's id; default: the last run.
    #[arg(value_name = "RUN_B")]
    pub b: Option<i64>,

    #[command(flatten)]
    pub at: StoreOnly,

    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub at: StoreOnly,
}
