//! `gonogo map`: parse and bind only.

use crate::Exit;
use crate::cli::{MapArgs, MapFormat};
use crate::inputs::{load, timing};
use crate::output::emit_as;

pub fn run(args: MapArgs) -> anyhow::Result<Exit> {
    let Ok(loaded) = load(&args.inputs) else {
        return Ok(Exit::Input);
    };
    let started = std::time::Instant::now();
    match args.format {
        MapFormat::Human => {
            let text = gonogo_report::map::render_human(&loaded.checklists, &loaded.bindings);
            emit_as(&text, None, true)?;
        }
        MapFormat::Json => {
            // Large writes: a big map is tens of megabytes of small pieces.
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            match gonogo_report::map::write_json(&loaded.checklists, &loaded.bindings, &mut out)
                .and_then(|()| std::io::Write::flush(&mut out))
            {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
                _ => {}
            }
        }
    }
    timing("report", started);
    // The process ends right after: freeing a large map item by item would take longer than
    // writing it did, for memory the operating system takes back at exit anyway.
    std::mem::forget(loaded);
    Ok(Exit::Go)
}
