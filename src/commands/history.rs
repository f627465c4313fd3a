//! `gonogo history`: the stored runs, newest last, with a compact trend.

use gonogo_engine::attest::date_time;
use gonogo_store::views::{self, sparkline, trend};
use serde_json::json;

use crate::Exit;
use crate::cli_store::{HistoryArgs, ListFormat};
use crate::commands::store::{open_existing, report};

pub async fn run(args: HistoryArgs) -> anyhow::Result<Exit> {
    let Ok(store) = open_existing(&args.at.store, &args.at.repo).await else {
        return Ok(Exit::Input);
    };
    let entries = match store.read().await {
        Ok((e, _)) => e,
        Err(e) => {
            report(&e);
            return Ok(Exit::Input);
        }
    };
    let all = views::runs(&entries);
    let runs = &all[all.len().saturating_sub(args.limit)..];
    if args.format == ListFormat::Json {
        let v: Vec<_> = runs
            .iter()
            .map(|r| {
                json!({
                    "run": r.id, "at": r.at, "verdict": r.verdict,
                    "summary": r.summary, "commit": r.commit, "branch": r.branch,
                    "by": r.by, "duration_ms": r.duration_ms,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&json!({ "runs": v }))?);
        return Ok(Exit::Go);
    }
    if runs.is_empty() {
        println!("no runs stored yet");
        return Ok(Exit::Go);
    }
    println!(
        "{:>5}  {:<20}  {:<7} {:>5} {:>5} {:>5} {:>6} {:>6} {:>6}  {:<9} {:<14} by",
        "run",
        "when",
        "verdict",
        "pass",
        "fail",
        "error",
        "manual",
        "signed",
        "waived",
        "commit",
        "branch"
    );
    for r in runs {
        println!(
            "{:>5}  {:<20}  {:<7} {:>5} {:>5} {:>5} {:>6} {:>6} {:>6}  {:<9} {:<14} {}",
            r.id,
            date_time(r.at),
            if r.verdict == "go" { "GO" } else { "NO-GO" },
            r.count("pass"),
            r.count("fail"),
            r.count("error"),
            r.count("manual"),
            r.count("signed"),
            r.count("waived"),
            r.commit.as_deref().map_or("-", |c| &c[..c.len().min(9)]),
            r.branch.as_deref().unwrap_or("-"),
            r.by.as_deref().unwrap_or("-"),
        );
    }
    println!(
        "\ntrend (oldest → newest): {}  clear items: {}",
        trend(runs),
        sparkline(runs)
    );
    Ok(Exit::Go)
}
