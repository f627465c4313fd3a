//! Reads file paths from stdin and prints, for each, `ok<TAB>path` or `err<TAB>path<TAB>why`
//! as gonogo's YAML reader judges it: `bench/yaml_agreement.py` compares that with PyYAML
//! over real repositories.

use std::io::BufRead;

fn main() {
    for path in std::io::stdin().lock().lines().map_while(Result::ok) {
        let verdict = match std::fs::read_to_string(&path) {
            Err(e) => format!("err\t{path}\tunreadable: {e}"),
            Ok(text) => match gonogo_checks::yaml::parse(&path, &text) {
                Ok(_) => format!("ok\t{path}"),
                Err(e) => format!("err\t{path}\t{e}"),
            },
        };
        println!("{verdict}");
    }
}
