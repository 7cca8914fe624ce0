//! One command on many machines at once: each in its own task, at most `limit` at a time,
//! each bounded by its own connect and command timeouts, so an unreachable machine fails
//! alone while the others finish.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

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

/// Run every job; results come back in the jobs' order. `progress` is called after each.
pub(crate) async fn run(
    jobs: Vec<Job>,
    limit: usize,
    progress: impl Fn(usize, usize) + Send + Sync + 'static,
) -> Vec<Done> {
    let total = jobs.len();
    let permits = Arc::new(Semaphore::new(limit.max(1)));
    let progress = Arc::new(progress);
    let finished = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::with_capacity(total);
    let mut machines = Vec::with_capacity(total);
    for job in jobs {
        machines.push(job.target.machine.clone());
        let permits = Arc::clone(&permits);
        let progress = Arc::clone(&progress);
        let finished = Arc::clone(&finished);
        tasks.push(tokio::spawn(async move {
            if !job.delay.is_zero() {
                tokio::time::sleep(job.delay).await;
            }
            let _permit = permits.acquire().await;
            let result = match Connection::open(&job.target).await {
                Ok(conn) => {
                    let out = conn.run(&job.command, job.sudo).await;
                    conn.close().await;
                    out
                }
                Err(e) => Err(e),
            };
            let n = finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            progress(n, total);
            Done {
                machine: job.target.machine.clone(),
                result,
            }
        }));
    }
    let mut out = Vec::with_capacity(total);
    for (task, machine) in tasks.into_iter().zip(machines) {
        match task.await {
            Ok(done) => out.push(done),
            // A task that panicked is that machine's failure, under its name.
            Err(e) => out.push(Done {
                machine,
                result: Err(RemoteError::Ssh(format!(
                    "internal error: a task failed: {e}"
                ))),
            }),
        }
    }
    out
}
