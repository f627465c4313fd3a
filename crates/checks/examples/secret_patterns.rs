//! Prints the secret rules' regular expressions, one per line and with capture names removed
//! (ripgrep joins `-f` patterns into one alternation, where names would clash), for
//! benchmarking the scanner against `rg -f` running the same set (see BENCHMARKS.md).

fn main() {
    let names = regex::Regex::new(r"\(\?P<[a-z0-9]+>").expect("pattern");
    for r in gonogo_checks::secrets::rules::RULES {
        println!("{}", names.replace_all(r.pattern, "("));
    }
}
