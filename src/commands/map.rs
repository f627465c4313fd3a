//! `gonogo map`: parse and bind only; `--annotate` writes the bindings into the checklists.

use std::io::Write;
use std::path::Path;

use gonogo_engine::annotate::annotate;

use crate::Exit;
use crate::cli::{MapArgs, MapFormat};
use crate::default_checklist::Origin;
use crate::inputs::{load, report_input_error, timing};
use crate::output::emit_as;

pub fn run(args: MapArgs) -> anyhow::Result<Exit> {
    if args.annotate {
        return run_annotate(&args);
    }
    let Ok(loaded) = load(&args.inputs, args.format == MapFormat::Human) else {
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

/// `map --annotate`: each checklist file rewritten in place with its automatic bindings as
/// annotations, and one summary line per file.
fn run_annotate(args: &MapArgs) -> anyhow::Result<Exit> {
    if args.format != MapFormat::Human {
        eprintln!(
            "gonogo: error: --annotate writes the bindings into the checklists and prints a summary; it cannot be combined with --format json (run `gonogo map --format json` on its own)"
        );
        return Ok(Exit::Input);
    }
    let Ok(loaded) = load(&args.inputs, true) else {
        return Ok(Exit::Input);
    };
    if loaded.origin == Origin::BuiltIn {
        eprintln!(
            "gonogo: error: --annotate writes into checklist files, but no checklist was named or found, so the built-in one would be used; name one (`gonogo map --annotate CHECKLIST.md`), add PRODUCTION_CHECKLIST.md or list yours in gonogo.toml (`checklists = [\"…\"]`)"
        );
        return Ok(Exit::Input);
    }
    let mut seen = Vec::new();
    for (cl, binds) in loaded.checklists.iter().zip(&loaded.bindings) {
        let Some(file) = &cl.file else { continue };
        // The same file named twice is annotated once: a second pass would start from bytes
        // the first already replaced.
        let key = std::fs::canonicalize(file).unwrap_or_else(|_| file.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let result = match annotate(cl, binds, &loaded.catalogue, &loaded.config) {
            Ok(r) => r,
            Err(e) => {
                report_input_error(&e);
                return Ok(Exit::Input);
            }
        };
        for (i, why) in &result.refused {
            eprintln!(
                "gonogo: warning: {}:{}: not annotated: {why}",
                cl.path, cl.items[*i].line
            );
        }
        if !result.annotated.is_empty() {
            if let Err(why) = write_in_place(file, &cl.source, &result.text) {
                eprintln!("gonogo: error: {}: not annotated: {why}", cl.path);
                return Ok(Exit::Input);
            }
        }
        let n = result.annotated.len();
        println!(
            "{n} item{} annotated in {}",
            if n == 1 { "" } else { "s" },
            cl.path
        );
    }
    Ok(Exit::Go)
}

/// Replace `path`'s content, which must still be `was`, with `text` atomically: a temporary
/// file beside it, synced, then renamed over it, so a reader (or a crash) sees the old file
/// or the new one, never half of one.
fn write_in_place(path: &Path, was: &str, text: &str) -> Result<(), String> {
    // A symbolic link keeps pointing at the checklist: its target is what is replaced.
    let target = std::fs::canonicalize(path).map_err(|e| e.to_string())?;
    let now = std::fs::read(&target).map_err(|e| e.to_string())?;
    if now != was.as_bytes() {
        return Err("the file changed while gonogo read it; run again".into());
    }
    let perms = std::fs::metadata(&target)
        .map_err(|e| e.to_string())?
        .permissions();
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map_or_else(|| "checklist".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.gonogo-{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.set_permissions(perms)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &target)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("could not be written ({e}); it is unchanged")
    })
}
