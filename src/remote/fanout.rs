//! One command on many machines at once: each in its own task, at most `limit` at a time,
//! each bounded by its own connect and command timeouts, so an unreachable machine fails
//! alone while the others finish. The caller hears of each machine as it goes (`Watcher`):
//! just before its command runs (and may stop it there), and as soon as it finishes.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, mpsc, oneshot};

use super::RemoteError;
use super::session::{Connection, Output, Target};

/// One machine's job: the command line (quoted) and whether it runs through sudo.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub(crate) target: Target,
    pub(crate) command: String,
    pub(crate) sudo: bool,
    /// Wait this long before starting (reboots of a staggered group).
    pub(crate) delay: Duration,
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

/// Run every job; results come back in the jobs' order. `progress` is called after each.
pub(crate) async fn run(
    jobs: Vec<Job>,
    limit: usize,
    progress: impl Fn(usize, usize) + Send + Sync + 'static,
) -> Vec<Done> {
    struct Progress<F>(F, usize, usize);
    impl<F: Fn(usize, usize)> Watcher for Progress<F> {
        fn starting(&mut self, _: usize) -> Result<(), RemoteError> {
            Ok(())
        }
        fn finished(&mut self, _: usize, _: &mut Done) {
            self.1 += 1;
            (self.0)(self.1, self.2);
        }
    }
    let total = jobs.len();
    run_each(jobs, limit, &mut Progress(progress, 0, total)).await
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
    let tasks: Vec<_> = jobs
        .into_iter()
        .enumerate()
        .map(|(index, job)| tokio::spawn(one(index, job, Arc::clone(&permits), tx.clone())))
        .collect();
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

/// One job, in its own task: wait its delay and a permit, connect, ask whether to go, run.
async fn one(
    index: usize,
    job: Job,
    permits: Arc<Semaphore>,
    reports: mpsc::UnboundedSender<Report>,
) {
    if !job.delay.is_zero() {
        tokio::time::sleep(job.delay).await;
    }
    let _permit = permits.acquire().await;
    let result = match Connection::open(&job.target).await {
        Ok(conn) => {
            let (go, answer) = oneshot::channel();
            let _ = reports.send(Report::Starting { index, go });
            let out = match answer.await {
                Ok(Ok(())) => conn.run(&job.command, job.sudo).await,
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
