//! Print what the understanding layer makes of each argument (or each stdin line): the text
//! binders read, the claims and the concepts named. A tool for reviewing vocabulary changes:
//! `cargo run -q -p gonogo-engine --example understand -- "Use specific image tags"`.

use std::io::BufRead;

fn show(text: &str) {
    let u = gonogo_engine::understand::understand(text);
    println!("{text}\n  text:     {}", u.text);
    for c in &u.claims {
        let topic = if c.topic { "  (defined term)" } else { "" };
        println!("  claim:    {}{topic}", c.text);
    }
    println!("  concepts: {}", u.concepts.join(", "));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            show(&line);
        }
    } else {
        args.iter().for_each(|a| show(a));
    }
}
