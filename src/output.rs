//! Writing a report: to stdout (styles kept for terminals, stripped otherwise and under
//! NO_COLOR) or to a file (always plain). A closed pipe is not an error.

use std::io::Write;
use std::path::Path;

pub fn emit(text: &str, output: Option<&Path>) -> std::io::Result<()> {
    emit_as(text, output, true)
}

/// `styled: false` for machine formats, which carry no styles: written as they are.
pub fn emit_as(text: &str, output: Option<&Path>, styled: bool) -> std::io::Result<()> {
    if !styled && output.is_none() {
        let mut out = std::io::stdout().lock();
        return match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        };
    }
    match output {
        Some(path) => {
            let plain = anstream::adapter::strip_str(text).to_string();
            std::fs::write(path, plain)
        }
        None => {
            let mut out = anstream::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            }
        }
    }
}
