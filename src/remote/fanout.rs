//! One command on many machines at once: each in its own task, at most `limit` at a time,
//! each bounded by its own connect and command timeouts, so an unreachable machine fails
//! alone while the others finish. The caller hears of each machine as it goes (`Watcher`):
//! just before its command runs (and may stop it there), and as soon as it finishes.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, mpsc, oneshot, watch};
use tokio::task::JoinSet;

use super::RemoteError;
use super::session::{Connection, Output, Target};

/// One machine's job: the command line (quoted) and whether it runs through sudo.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub(crate) target: Target,
    pub(crate) command: String,
    pub(crate) sudo: bool,
    /// Start only some time after another job's command (reboots of a staggered group).
    pub(crate) after: Option<Spacing>,
}

/// "Run at least `gap` after job `index`'s command started" (at once if that job ended
/// without running it). Spacing from the other command's real start, not from the start of
/// the run, holds even when the first machine was slow to connect.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spacing {
    pub(crate) index: usize,
    pub(crate) gap: Duration,
}

/// Where a job stands, as the job spaced after it sees it.
#[derive(Debug, Clone, Copy)]
enum Gate {
    Waiting,
    Started(tokio::time::Instant),
}

#[derive(Debug)]
pub(crate) struct Done {
    pub(crate) machine: String,
    pub(crate) result: Result<Output, RemoteError>,
}

/// What the caller of [`run_each`] hears, on its own task and in the order things happen.
pub(crate) trait Watcher {
    /// Job `index` is connected and its command is about to run. An error stops it: the
    /// command does not run and the error is the job's result.
    fn starting(&mut self, index: usize) -> Result<(), RemoteError>;
    /// Job `index` finished (or failed); `done` may be amended before it is returned.
    fn finished(&mut self, index: usize, done: &mut Done);
}

/// What a job's task tells the caller's task.
enum Report {
    Starting {
        index: usize,
        go: oneshot::Sender<Result<(), RemoteError>>,
    },
    Finished {
        index: usize,
        done: Done,
    },
}

/// Run every job, telling `watcher` of each as it goes (on the calling task, so the watcher
/// may hold things that cannot cross threads, such as a database connection). Results come
/// back in the jobs' order; a job whose task panicked fails with an internal error.
pub(crate) async fn run_each(
    jobs: Vec<Job>,
    limit: usize,
    watcher: &mut impl Watcher,
) -> Vec<Done> {
    let permits = Arc::new(Semaphore::new(limit.max(1)));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let machines: Vec<String> = jobs.iter().map(|j| j.target.machine.clone()).collect();
    let (gates, watched): (Vec<_>, Vec<_>) =
        jobs.iter().map(|_| watch::channel(Gate::Waiting)).unzip();
    let tasks: Vec<_> = jobs
        .into_iter()
        .zip(gates)
        .enumerate()
        .map(|(index, (job, gate))| {
            let after = job
                .after
                .and_then(|s| Some((watched.get(s.index)?.clone(), s.gap)));
            let permits = Arc::clone(&permits);
            tokio::spawn(one(index, job, (gate, after), permits, tx.clone()))
        })
        .collect();
    drop(watched);
    drop(tx);
    let mut slots: Vec<Option<Done>> = machines.iter().map(|_| None).collect();
    while let Some(report) = rx.recv().await {
        match report {
            Report::Starting { index, go } => {
                let _ = go.send(watcher.starting(index));
            }
            Report::Finished { index, mut done } => {
                watcher.finished(index, &mut done);
                slots[index] = Some(done);
            }
        }
    }
    let mut out = Vec::with_capacity(slots.len());
    for ((slot, task), machine) in slots.into_iter().zip(tasks).zip(machines) {
        if let Some(done) = slot {
            out.push(done);
            continue;
        }
        let why = task
            .await
            .err()
            .map_or("it ended".into(), |e| e.to_string());
        let mut done = Done {
            machine,
            result: Err(RemoteError::Ssh(format!(
                "internal: the task failed: {why}"
            ))),
        };
        watcher.finished(out.len(), &mut done);
        out.push(done);
    }
    out
}

/// This job's gate (told when its command starts; dropped when it ends) and the gate of the
/// job it is spaced after, with the gap.
type Gates = (
    watch::Sender<Gate>,
    Option<(watch::Receiver<Gate>, Duration)>,
);

/// One job, in its own task: wait for its spacing and a permit, connect, ask whether to go,
/// tell the job spaced after it, run.
async fn one(
    index: usize,
    job: Job,
    (gate, after): Gates,
    permits: Arc<Semaphore>,
    reports: mpsc::UnboundedSender<Report>,
) {
    if let Some((mut before, gap)) = after {
        // Err: that job ended without starting its command; no need to wait then.
        let started = match before.wait_for(|g| matches!(g, Gate::Started(_))).await {
            Ok(gate) => match *gate {
                Gate::Started(at) => Some(at),
                Gate::Waiting => None,
            },
            Err(_) => None,
        };
        if let Some(at) = started {
            tokio::time::sleep_until(at + gap).await;
        }
    }
    let _permit = permits.acquire().await;
    let result = match Connection::open(&job.target).await {
        Ok(conn) => {
            let (go, answer) = oneshot::channel();
            let _ = reports.send(Report::Starting { index, go });
            let out = match answer.await {
                Ok(Ok(())) => {
                    gate.send_replace(Gate::Started(tokio::time::Instant::now()));
                    conn.run(&job.command, job.sudo).await
                }
                Ok(Err(stop)) => Err(stop),
                Err(_) => Err(RemoteError::Ssh("internal: no answer to go".into())),
            };
            conn.close().await;
            out
        }
        Err(e) => Err(e),
    };
    let done = Done {
        machine: job.target.machine,
        result,
    };
    let _ = reports.send(Report::Finished { index, done });
}

/// Run each `(id, future)` in its own task, at most `limit` at once, calling `done` as each
/// finishes (in the order they finish). A task that panics is reported to `done` as
/// `Err(message)` under its id; it never disappears.
pub(crate) async fn each_bounded<T, F>(
    tasks: Vec<(String, F)>,
    limit: usize,
    mut done: impl FnMut(String, Result<T, String>),
) where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(limit.max(1)));
    let mut set = JoinSet::new();
    let mut ids = HashMap::new();
    for (id, task) in tasks {
        let permits = Arc::clone(&permits);
        let handle = set.spawn(async move {
            let _permit = permits.acquire_owned().await;
            task.await
        });
        ids.insert(handle.id(), id);
    }
    while let Some(joined) = set.join_next_with_id().await {
        match joined {
            Ok((task, value)) => {
                if let Some(id) = ids.remove(&task) {
                    done(id, Ok(value));
                }
            }
            Err(e) => {
                if let Some(id) = ids.remove(&e.id()) {
                    let why = if e.is_panic() {
                        "panicked"
                    } else {
                        "was cancelled"
                    };
                    done(id, Err(format!("internal error: the task {why}")));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn at_most_limit_at_once_and_a_panic_is_a_result() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let (running, most) = (Arc::clone(&running), Arc::clone(&most));
                let task = async move {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(30)).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                    assert!(i != 5, "machine 5 breaks");
                    i
                };
                (format!("m{i}"), task)
            })
            .collect();
        let mut results = Vec::new();
        runtime.block_on(each_bounded(tasks, 3, |id, r| results.push((id, r))));
        results.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(most.load(Ordering::SeqCst), 3);
        assert_eq!(results.len(), 8);
        assert_eq!(
            results[5],
            (
                "m5".to_string(),
                Err("internal error: the task panicked".to_string())
            )
        );
        assert_eq!(results[4], ("m4".to_string(), Ok(4)));
    }
}
