//! `gonogo diff [RUN_A] [RUN_B]`: items that regressed, recovered, appeared or disappeared
//! between two stored runs (default: the last two).

use gonogo_engine::attest::Regression;
use gonogo_store::views;
use serde_json::json;

use crate::Exit;
use crate::cli_store::{DiffArgs, ListFormat};
use crate::commands::store::{open_existing, report};

pub async fn run(args: DiffArgs) -> anyhow::Result<Exit> {
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
    let runs = views::runs(&entries);
    let find = |id: i64| runs.iter().find(|r| r.id == id);
    let pick = match (args.a, args.b) {
        (Some(a), Some(b)) => (find(a).ok_or(a), find(b).ok_or(b)),
        (Some(a), None) => (find(a).ok_or(a), runs.last().ok_or(0)),
        _ if runs.len() >= 2 => (Ok(&runs[runs.len() - 2]), Ok(&runs[runs.len() - 1])),
        _ => {
            eprintln!(
                "gonogo: error: diff needs two stored runs; the store has {}",
                runs.len()
            );
            return Ok(Exit::Input);
        }
    };
    let (a, b) = match pick {
        (Ok(a), Ok(b)) => (a, b),
        (Err(id), _) | (_, Err(id)) => {
            let known: Vec<String> = runs.iter().map(|r| r.id.to_string()).collect();
            eprintln!(
                "gonogo: error: no stored run {id}; runs are: {}",
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            );
            return Ok(Exit::Input);
        }
    };
    let d = views::diff(a, b);
    if args.format == ListFormat::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "from": a.id, "to": b.id,
                "regressed": d.regressed, "recovered": d.recovered,
                "appeared": d.appeared, "disappeared": d.disappeared,
            }))?
        );
        return Ok(Exit::Go);
    }
    println!(
        "run {} ({}) → run {} ({})",
        a.id,
        a.verdict.to_uppercase(),
        b.id,
        b.verdict.to_uppercase()
    );
    section("regressed", &d.regressed, true);
    section("recovered", &d.recovered, true);
    section("appeared", &d.appeared, false);
    section("disappeared", &d.disappeared, false);
    if d == views::Diff::default() {
        println!(
            "no item changed between fail/error and the rest; nothing appeared or disappeared"
        );
    }
    Ok(Exit::Go)
}

fn section(name: &str, items: &[Regression], show_change: bool) {
    if items.is_empty() {
        return;
    }
    println!("\n{name} ({}):", items.len());
    for r in items {
        let change = if show_change {
            format!("{} → {}  ", r.from, r.to)
        } else if !r.to.is_empty() {
            format!("{}  ", r.to)
        } else {
            format!("{}  ", r.from)
        };
        println!("  {change}{}  [{}]", gonogo_report::safe(&r.text), r.item);
    }
}
