//! `gonogo sign`: record a sign-off of a manual item or of a role; `--list` shows them.

use gonogo_engine::attest::{date, parse_duration, role_key, wording_hash};
use gonogo_store::views;
use serde_json::{Value, json};

use crate::Exit;
use crate::cli_store::{ListFormat, SignArgs};
use crate::commands::find_item::find_item;
use crate::commands::store::{open, open_existing, report};
use crate::inputs::load;

/// Sign-offs expiring within this many days are flagged by `--list`.
const SOON_DAYS: i64 = 14;

pub async fn run(args: SignArgs) -> anyhow::Result<Exit> {
    if args.list {
        return list(&args).await;
    }
    let by = args.by.clone().unwrap_or_default();
    if by.trim().is_empty() {
        eprintln!("gonogo: error: --by must name who signs");
        return Ok(Exit::Input);
    }
    let now = gonogo_store::now();
    let expires = match args.expires.as_deref().map(parse_duration) {
        None => None,
        Some(Ok(secs)) => Some(now + secs),
        Some(Err(e)) => {
            eprintln!("gonogo: error: --expires {e}");
            return Ok(Exit::Input);
        }
    };
    let mut payload = json!({ "by": by, "at": now });
    let mut what = String::new();
    if let Some(id) = &args.item {
        let Ok(loaded) = load(&args.inputs, true) else {
            return Ok(Exit::Input);
        };
        let Some(item) = find_item(&loaded, id, &args.store).await else {
            return Ok(Exit::Input);
        };
        if item.automated {
            eprintln!(
                "gonogo: warning: {id} has automated checks; the sign-off counts only while it is manual"
            );
        }
        payload["item"] = id.as_str().into();
        payload["wording"] = wording_hash(&item.text).into();
        what = format!("{id} ({})", gonogo_report::safe(&item.text));
    }
    if let Some(role) = &args.role {
        if role.trim().is_empty() {
            eprintln!("gonogo: error: --role must not be empty");
            return Ok(Exit::Input);
        }
        payload["role"] = role.trim().into();
        if what.is_empty() {
            what = format!("role {}", role.trim());
        } else {
            what = format!("{what} as {}", role.trim());
        }
    }
    if let Some(note) = &args.note {
        payload["note"] = gonogo_engine::redact::redact(note).into();
    }
    if let Some(e) = expires {
        payload["expires"] = e.into();
    }
    let store = match open(&args.store, &args.inputs.repo).await {
        Ok(s) => s,
        Err(e) => {
            report(&e);
            return Ok(Exit::Input);
        }
    };
    match store.append(gonogo_store::SIGNOFF, &payload).await {
        Ok(entry) => {
            let until = expires.map_or_else(
                || "until its wording changes".into(),
                |e| format!("until {}", date(e)),
            );
            println!(
                "signed {what} by {}, {until} (ledger entry {})",
                gonogo_report::safe(&by),
                entry.seq
            );
            Ok(Exit::Go)
        }
        Err(e) => {
            report(&e);
            Ok(Exit::Input)
        }
    }
}

async fn list(args: &SignArgs) -> anyhow::Result<Exit> {
    let Ok(store) = open_existing(&args.store, &args.inputs.repo).await else {
        return Ok(Exit::Input);
    };
    let entries = match store.read().await {
        Ok((e, _)) => e,
        Err(e) => {
            report(&e);
            return Ok(Exit::Input);
        }
    };
    let now = gonogo_store::now();
    let a = views::attestations(&entries, now);
    // Latest per item or role.
    let mut latest: Vec<&gonogo_engine::attest::SignOff> = Vec::new();
    for s in a.signoffs.iter().rev() {
        let key =
            |x: &gonogo_engine::attest::SignOff| (x.item.clone(), x.role.as_deref().map(role_key));
        if !latest.iter().any(|l| key(l) == key(s)) {
            latest.push(s);
        }
    }
    latest.reverse();
    let rows: Vec<Value> = latest
        .iter()
        .map(|s| {
            let state = match s.expires {
                Some(e) if e <= now => "expired".to_string(),
                Some(e) if e - now <= SOON_DAYS * 86_400 => {
                    format!("expires soon ({})", date(e))
                }
                Some(e) => format!("valid until {}", date(e)),
                None => "valid until the wording changes".to_string(),
            };
            json!({
                "entry": s.entry, "item": s.item, "role": s.role, "by": s.by,
                "note": s.note, "at": s.at, "expires": s.expires, "state": state,
            })
        })
        .collect();
    if args.format == ListFormat::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "signoffs": rows }))?
        );
        return Ok(Exit::Go);
    }
    if rows.is_empty() {
        println!("no sign-offs recorded");
        return Ok(Exit::Go);
    }
    for (s, r) in latest.iter().zip(&rows) {
        let what = match (&s.item, &s.role) {
            (Some(i), Some(ro)) => format!("{i} as {ro}"),
            (Some(i), None) => i.clone(),
            (None, Some(ro)) => format!("role {ro}"),
            (None, None) => "?".into(),
        };
        println!(
            "{:>5}  {what}  by {} on {}  {}{}",
            s.entry,
            gonogo_report::safe(&s.by),
            date(s.at),
            r["state"].as_str().unwrap_or(""),
            s.note
                .as_deref()
                .map(|n| format!("  — {}", gonogo_report::safe(n)))
                .unwrap_or_default()
        );
    }
    Ok(Exit::Go)
}
