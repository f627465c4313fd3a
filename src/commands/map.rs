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
    let text = match args.format {
        MapFormat::Human => gonogo_report::map::render_human(&loaded.checklists, &loaded.bindings),
        MapFormat::Json => gonogo_report::map::render_json(&loaded.checklists, &loaded.bindings),
    };
    emit_as(&text, None, args.format == MapFormat::Human)?;
    timing("report", started);
    Ok(Exit::Go)
}
