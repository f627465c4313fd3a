//! `gonogo waive`: let a failing item through, visibly, until the waiver expires.

use gonogo_engine::attest::{date, parse_duration, wording_hash};
use serde_json::json;

use crate::Exit;
use crate::cli_store::WaiveArgs;
use crate::commands::find_item::find_item;
use crate::commands::store::{open, report};
use crate::inputs::load;

pub async fn run(args: WaiveArgs) -> anyhow::Result<Exit> {
    if args.by.trim().is_empty() || args.reason.trim().is_empty() {
        eprintln!("gonogo: error: a waiver needs --by NAME and a --reason");
        return Ok(Exit::Input);
    }
    let now = gonogo_store::now();
    let expires = match parse_duration(&args.expires) {
        Ok(secs) => now + secs,
        Err(e) => {
            eprintln!("gonogo: error: --expires {e}");
            return Ok(Exit::Input);
        }
    };
    let Ok(loaded) = load(&args.inputs, true) else {
        return Ok(Exit::Input);
    };
    let Some(item) = find_item(&loaded, &args.item, &args.store).await else {
        return Ok(Exit::Input);
    };
    let payload = json!({
        "item": args.item,
        "wording": wording_hash(&item.text),
        "by": args.by.trim(),
        "reason": gonogo_engine::redact::redact(args.reason.trim()),
        "at": now,
        "expires": expires,
    });
    let store = match open(&args.store, &args.inputs.repo).await {
        Ok(s) => s,
        Err(e) => {
            report(&e);
            return Ok(Exit::Input);
        }
    };
    match store.append(gonogo_store::WAIVER, &payload).await {
        Ok(entry) => {
            println!(
                "waived {} ({}) by {} until {} (ledger entry {})",
                args.item,
                gonogo_report::safe(&item.text),
                gonogo_report::safe(args.by.trim()),
                date(expires),
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
