//! Prints the secret rules' regular expressions, one per line, for benchmarking the scanner
//! against `rg -f` running the same set (see BENCHMARKS.md).

fn main() {
    for r in gonogo_checks::secrets::rules::RULES {
        println!("{}", r.pattern);
    }
}
