//! Stage 3: run bound checks concurrently.
//!
//! The same check with the same parameters runs once however many items bind it. Each run has a
//! time limit; a panic or a timeout is an `error` outcome for that check, never the end of the
//! run. Cancelling (Ctrl-C) stops what is running and marks it `error` so a partial report
//! can still be written.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::bind::ItemBindings;
use crate::catalogue::{Catalogue, Check, Outcome, Params};
use crate::context::RunContext;
use crate::decide::CheckRun;

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub concurrency: usize,
    /// Per-check limit; a `timeout_ms` parameter of the check extends it for that check.
    pub timeout: Duration,
}

/// Told as checks finish, for progress display.
pub trait Progress: Send + Sync {
    fn start(&self, total: usize);
    fn finished(&self, check_id: &str);
}

/// No progress display.
pub struct Quiet;

impl Progress for Quiet {
    fn start(&self, _: usize) {}
    fn finished(&self, _: &str) {}
}

/// Runs per checklist, per item, in binding order.
pub type Runs = Vec<Vec<Vec<CheckRun>>>;

struct Unique {
    check: Arc<dyn Check>,
    params: Params,
}

/// Run every bound check; `cancel` resolving stops the run early (the second value is then true).
pub async fn run_all(
    catalogue: &Catalogue,
    bindings: &[Vec<ItemBindings>],
    ctx: Arc<RunContext>,
    opts: &RunOptions,
    progress: &dyn Progress,
    cancel: impl Future<Output = ()>,
) -> (Runs, bool) {
    // Deduplicate (check, params) pairs.
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut uniques: Vec<Unique> = Vec::new();
    let mut slots: Vec<Vec<Vec<usize>>> = Vec::with_capacity(bindings.len());
    for cl in bindings {
        let mut cl_slots = Vec::with_capacity(cl.len());
        for item in cl {
            let mut item_slots = Vec::with_capacity(item.bindings.len());
            for b in &item.bindings {
                let key = (
                    b.check.id.to_string(),
                    serde_json::to_string(&b.params).unwrap_or_default(),
                );
                let n = *index.entry(key).or_insert_with(|| {
                    uniques.push(Unique {
                        check: catalogue
                            .get(b.check.id)
                            .expect("bound checks come from the catalogue")
                            .clone(),
                        params: b.params.clone(),
                    });
                    uniques.len() - 1
                });
                item_slots.push(n);
            }
            cl_slots.push(item_slots);
        }
        slots.push(cl_slots);
    }

    let mut results: Vec<Option<(Outcome, Duration)>> = vec![None; uniques.len()];
    progress.start(uniques.len());
    let semaphore = Arc::new(Semaphore::new(opts.concurrency.max(1)));
    let mut set = JoinSet::new();
    let mut task_of = HashMap::new();
    for (n, u) in uniques.iter().enumerate() {
        let meta = u.check.meta();
        if let Some(why) = ctx.unavailable(meta.target) {
            results[n] = Some((Outcome::skipped(why), Duration::ZERO));
            progress.finished(meta.id);
            continue;
        }
        // A check with a time limit of its own gets a little more than that.
        let margin = Duration::from_secs(5);
        let own = u
            .params
            .get("timeout_ms")
            .and_then(|v| v.as_u64())
            .map(Duration::from_millis)
            .or((meta.target == crate::catalogue::TargetKind::Command).then_some(ctx.exec.timeout));
        let limit = opts
            .timeout
            .max(own.map(|d| d + margin).unwrap_or_default());
        let check = u.check.clone();
        let params = u.params.clone();
        let ctx = ctx.clone();
        let sem = semaphore.clone();
        let handle = set.spawn(async move {
            let _permit = sem.acquire_owned().await.expect("semaphore is never closed");
            let started = Instant::now();
            let outcome = match tokio::time::timeout(limit, check.run(ctx, params)).await {
                Ok(o) => o,
                Err(_) => Outcome::error(format!(
                    "did not finish within {}; raise `[run] timeout` in gonogo.toml if it needs longer",
                    human_duration(limit)
                )),
            };
            (n, outcome, started.elapsed())
        });
        task_of.insert(handle.id(), n);
    }

    tokio::pin!(cancel);
    let mut interrupted = false;
    loop {
        tokio::select! {
            biased;
            _ = &mut cancel, if !interrupted => {
                interrupted = true;
                set.abort_all();
            }
            next = set.join_next_with_id() => match next {
                None => break,
                Some(Ok((_, (n, outcome, took)))) => {
                    progress.finished(uniques[n].check.meta().id);
                    results[n] = Some((outcome, took));
                }
                Some(Err(e)) => {
                    let n = task_of[&e.id()];
                    if e.is_panic() {
                        let msg = panic_message(e.into_panic());
                        results[n] = Some((
                            Outcome::error(format!("the check crashed ({msg}); this is a bug in gonogo, please report it")),
                            Duration::ZERO,
                        ));
                        progress.finished(uniques[n].check.meta().id);
                    }
                    // Cancelled tasks are filled in below.
                }
            }
        }
    }

    let runs = slots
        .into_iter()
        .zip(bindings)
        .map(|(cl_slots, cl)| {
            cl_slots
                .into_iter()
                .zip(cl)
                .map(|(item_slots, item)| {
                    item_slots
                        .into_iter()
                        .zip(&item.bindings)
                        .map(|(n, b)| {
                            let (outcome, duration) = results[n].clone().unwrap_or_else(|| {
                                (
                                    Outcome::error("interrupted before it finished"),
                                    Duration::ZERO,
                                )
                            });
                            CheckRun {
                                binding: b.clone(),
                                outcome,
                                duration,
                            }
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    (runs, interrupted)
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// `30s`, `2m`, `1m30s`, `250ms`.
pub fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        let s = d.as_secs_f64();
        if s.fract() < 0.05 {
            format!("{}s", s.round())
        } else {
            format!("{s:.1}s")
        }
    } else if ms < 3_600_000 {
        let s = d.as_secs();
        match s % 60 {
            0 => format!("{}m", s / 60),
            r => format!("{}m{r}s", s / 60),
        }
    } else if ms < 172_800_000 {
        let m = d.as_secs() / 60;
        match m % 60 {
            0 => format!("{}h", m / 60),
            r => format!("{}h{r}m", m / 60),
        }
    } else {
        let h = d.as_secs() / 3600;
        match h % 24 {
            0 => format!("{}d", h / 24),
            r => format!("{}d{r}h", h / 24),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::human_duration;
    use std::time::Duration;

    #[test]
    fn durations_read_naturally() {
        let ms = Duration::from_millis;
        assert_eq!(human_duration(ms(250)), "250ms");
        assert_eq!(human_duration(ms(30_000)), "30s");
        assert_eq!(human_duration(ms(1_500)), "1.5s");
        assert_eq!(human_duration(ms(90_000)), "1m30s");
        assert_eq!(human_duration(ms(6 * 3_600_000)), "6h");
        assert_eq!(human_duration(ms(30 * 3_600_000 + 60_000)), "30h1m");
        assert_eq!(human_duration(ms(3 * 86_400_000 + 3_600_000)), "3d1h");
    }
}
