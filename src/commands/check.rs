//! `gonogo check`: parse → bind → run → decide → report.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use gonogo_engine::context::RunContext;
use gonogo_engine::decide::{Verdict, decide_with};
use gonogo_engine::run::{RunOptions, run_all};
use gonogo_report::RunReport;

use crate::Exit;
use crate::cli::{CheckArgs, Format};
use crate::inputs::load;
use crate::output::emit_as;
use crate::progress::Bar;
use gonogo_report::github;

pub async fn run(args: CheckArgs) -> anyhow::Result<Exit> {
    let started = Instant::now();
    let human = args.format.is_none_or(|f| f == Format::Human);
    let Ok(loaded) = load(&args.inputs, human) else {
        return Ok(Exit::Input);
    };
    if let Some(ca) = &args.ca_file {
        if !ca.is_file() {
            eprintln!(
                "gonogo: error: {}: --ca-file must be a readable PEM file",
                ca.display()
            );
            return Ok(Exit::Input);
        }
    }
    let Some(targets) = report_targets(&args) else {
        return Ok(Exit::Input);
    };

    let mut ctx = RunContext::new(loaded.repo.clone());
    ctx.targets = args.targets.clone();
    ctx.postgres = args.postgres.clone();
    ctx.redis = args.redis.clone();
    ctx.pgbouncer = args.pgbouncer.clone();
    ctx.ca_file = args.ca_file.clone();
    ctx.exec.allowed = args.allow_exec;
    ctx.history = args.history;
    ctx.secrets = loaded.config.secrets.clone();
    ctx.exclude = loaded.config.repo.exclude.clone();
    if let Some(t) = loaded.config.exec.timeout {
        ctx.exec.timeout = t;
    }
    if let Some(c) = loaded.config.exec.output_cap {
        ctx.exec.output_cap = c;
    }
    let opts = RunOptions {
        concurrency: loaded.config.run.concurrency,
        timeout: loaded.config.run.timeout,
    };

    let kept =
        crate::commands::check_store::prepare(&args.store, &loaded.repo, args.no_store).await;

    let bar = Bar::new(
        targets
            .iter()
            .any(|(f, p)| *f == Format::Human || p.is_some()),
    );
    let cancel = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No signal handling here: never cancel.
            std::future::pending::<()>().await;
        }
    };
    let (runs, interrupted) = run_all(
        &loaded.catalogue,
        &loaded.bindings,
        Arc::new(ctx),
        &opts,
        &bar,
        cancel,
    )
    .await;
    bar.finish();
    if interrupted {
        eprintln!("gonogo: interrupted; writing a partial report");
    }

    let mut decision = decide_with(
        &loaded.checklists,
        &loaded.bindings,
        runs,
        loaded.config.decide,
        interrupted,
        &kept.attest,
    );
    if let Some(prev) = &kept.previous {
        decision.record.previous_run = Some(prev.id);
        decision.record.regressions =
            crate::commands::check_store::regressions(prev, &loaded.checklists, &decision);
    }
    let report = RunReport {
        checklists: &loaded.checklists,
        bindings: &loaded.bindings,
        decision: &decision,
        duration: started.elapsed(),
    };
    let mut failed = false;
    for (format, path) in targets.iter() {
        let text = match format {
            Format::Human => gonogo_report::human::render(&report),
            Format::Json => gonogo_report::json::render(&report),
            Format::Markdown => gonogo_report::markdown::render(&report),
            Format::Sarif => gonogo_report::sarif::render(&report),
            Format::Junit => gonogo_report::junit::render(&report),
            Format::Html => gonogo_report::html::render(&report),
        };
        if let Err(e) = emit_as(&text, path.as_deref(), matches!(format, Format::Human)) {
            let place = path
                .as_ref()
                .map_or("stdout".into(), |p| p.display().to_string());
            eprintln!("gonogo: error: {place}: the report could not be written: {e}");
            failed = true;
        }
    }
    github_actions(&report);
    if failed {
        return Ok(Exit::Input);
    }
    match &kept.store {
        Err(e) => {
            eprintln!("gonogo: error: store {e}; the run was not stored");
            return Ok(Exit::Input);
        }
        Ok(None) => {}
        Ok(Some(_)) if args.no_store || interrupted => {}
        Ok(Some(store)) => {
            let kept = crate::commands::check_store::keep(
                store,
                gonogo_report::json::to_value(&report),
                &loaded.checklists,
                &loaded.repo,
                &args.targets,
                started.elapsed().as_millis() as u64,
            )
            .await;
            if let Err(e) = kept {
                eprintln!("gonogo: error: store {e}; the run was not stored");
                return Ok(Exit::Input);
            }
        }
    }
    Ok(match decision.verdict {
        Verdict::Go => Exit::Go,
        Verdict::NoGo => Exit::NoGo,
    })
}

/// Where reports go: (format, file or stdout). `None` after printing why the outputs are wrong.
fn report_targets(args: &CheckArgs) -> Option<Vec<(Format, Option<PathBuf>)>> {
    if args.outputs.is_empty() {
        return Some(vec![(args.format.unwrap_or(Format::Human), None)]);
    }
    let mut targets = Vec::new();
    for path in &args.outputs {
        if path.is_dir() {
            eprintln!(
                "gonogo: error: {}: --output is a directory; give a file path",
                path.display()
            );
            return None;
        }
        let format = match (args.format, args.outputs.len()) {
            (Some(f), 1) => f,
            _ => match Format::from_path(path) {
                Some(f) => f,
                None => {
                    eprintln!(
                        "gonogo: error: {}: cannot tell the report format from the extension; use .txt, .json, .md, .sarif, .xml or .html (or --format with a single --output)",
                        path.display()
                    );
                    return None;
                }
            },
        };
        targets.push((format, Some(path.clone())));
    }
    Some(targets)
}

/// In GitHub Actions: annotations on stderr (stdout stays the report's) and the job summary.
fn github_actions(report: &RunReport<'_>) {
    if std::env::var("GITHUB_ACTIONS").as_deref() != Ok("true") {
        return;
    }
    eprint!("{}", github::annotations(report));
    if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") {
        use std::io::Write;
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(github::step_summary(report).as_bytes()));
        if let Err(e) = written {
            eprintln!(
                "gonogo: warning: the job summary could not be written to {}: {e}",
                PathBuf::from(path).display()
            );
        }
    }
}
