//! `gonogo verify`: walk the ledger's hash chain; exit 0 when intact, 1 naming the first
//! entry that was edited, deleted or reordered.

use crate::Exit;
use crate::cli_store::VerifyArgs;
use crate::commands::store::{open_existing, report};

pub async fn run(args: VerifyArgs) -> anyhow::Result<Exit> {
    let Ok(store) = open_existing(&args.at.store, &args.at.repo).await else {
        return Ok(Exit::Input);
    };
    let (entries, head) = match store.read().await {
        Ok(r) => r,
        Err(e) => {
            report(&e);
            return Ok(Exit::Input);
        }
    };
    match gonogo_store::verify(&entries, &head) {
        Ok(n) => {
            println!(
                "ledger intact: {n} entr{} chained and hashed correctly",
                if n == 1 { "y" } else { "ies" }
            );
            Ok(Exit::Go)
        }
        Err(t) => {
            println!("ledger altered at entry {}: {}", t.seq, t.what);
            Ok(Exit::NoGo)
        }
    }
}
