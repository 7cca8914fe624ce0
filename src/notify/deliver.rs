//! The delivery loop `serve` runs: every second, or at once when woken (`wake()` after an
//! enqueue is committed), it takes up new outbox rows, closes storm windows and sends each
//! target's oldest due message. Sends run as their own tasks (one at a time per target, so a
//! slow receiver delays only itself); their outcomes come back to the loop, which alone
//! writes the store.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc};

use super::delivery::{self, DueMessage};
use super::format;
use super::message::Message;
use super::send::{Outcome, Sender};
use super::target::Target;
use crate::fleet::model::NotifyKind;
use crate::store::Store;

/// The environment variable naming the hub's address as people reach it, for links.
pub(crate) const EXTERNAL_URL_ENV: &str = "HOMELAB_CMD_EXTERNAL_URL";

/// How the loop runs.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) db: PathBuf,
    /// Alerts of one transition that arrive within this window go out as one message.
    pub(crate) storm_window: Duration,
    pub(crate) external_url: Option<String>,
}

/// The running loop's wake-up, once `spawn` has started it.
static WAKE: std::sync::OnceLock<Arc<Notify>> = std::sync::OnceLock::new();

/// Wake the delivery loop now, instead of at its next one-second poll: call it right after
/// committing a transaction that enqueued an event. Does nothing when no loop runs here.
pub(crate) fn wake() {
    if let Some(notify) = WAKE.get() {
        notify.notify_one();
    }
}

/// What a send task reports back.
struct Attempt {
    target: usize,
    message: DueMessage,
    outcome: Outcome,
}

/// Start the loop on the current tokio runtime. Errors opening the store or building the
/// client are returned; later store errors are reported on stderr and retried.
pub(crate) fn spawn(opts: Options, targets: Vec<Target>) -> Result<(), super::NotifyError> {
    let store = Store::open(&opts.db)?;
    delivery::orphans(store.conn(), &targets).map_err(|e| store.error(&e))?;
    let sender = Sender::new()?;
    let wake = Arc::clone(WAKE.get_or_init(|| Arc::new(Notify::new())));
    tokio::spawn(async move { run(store, sender, targets, opts, wake).await });
    Ok(())
}

async fn run(store: Store, sender: Sender, targets: Vec<Target>, opts: Options, wake: Arc<Notify>) {
    let targets = Arc::new(targets);
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Attempt>();
    let mut busy: HashSet<usize> = HashSet::new();
    loop {
        if let Err(e) = step(&store, &sender, &targets, &opts, &mut busy, &done_tx) {
            tracing::warn!(error = %e, "notify: reading the outbox failed");
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            Some(attempt) = done_rx.recv() => {
                busy.remove(&attempt.target);
                finish(&store, &targets[attempt.target], &attempt);
            }
        }
    }
}

/// One pass: take up new rows, close windows, start the sends that are due.
fn step(
    store: &Store,
    sender: &Sender,
    targets: &Arc<Vec<Target>>,
    opts: &Options,
    busy: &mut HashSet<usize>,
    done: &mpsc::UnboundedSender<Attempt>,
) -> rusqlite::Result<()> {
    let now = real_now();
    let conn = store.conn();
    delivery::take_new(conn, targets, now)?;
    for (i, target) in targets.iter().enumerate() {
        let Ok(url) = &target.url else { continue };
        delivery::gather(conn, &target.name, opts.storm_window, now)?;
        if busy.contains(&i) {
            continue;
        }
        let Some(due) = delivery::head(conn, &target.name, now)? else {
            continue;
        };
        let sequence_id = match target.kind {
            NotifyKind::Ntfy => delivery::sequence_id(conn, &target.name, &due.key, &due.events)?,
            _ => due.key.clone(),
        };
        let message = Message::for_events(
            due.key.clone(),
            sequence_id,
            due.events.clone(),
            opts.external_url.as_deref(),
        );
        let request = format::render(target.kind, &message);
        let (sender, url, done) = (sender.clone(), url.clone(), done.clone());
        busy.insert(i);
        tokio::spawn(async move {
            let outcome = sender.send(&url, &request).await;
            let _ = done.send(Attempt {
                target: i,
                message: due,
                outcome,
            });
        });
    }
    Ok(())
}

/// Record what came of an attempt, and say so when it did not deliver.
fn finish(store: &Store, target: &Target, attempt: &Attempt) {
    let recorded = delivery::record(
        store.conn(),
        &target.name,
        &attempt.message,
        &attempt.outcome,
        real_now(),
    );
    report(target, attempt, recorded);
}

/// One log event per attempt (never the URL, which may be secret: the target's name).
fn report(target: &Target, attempt: &Attempt, recorded: rusqlite::Result<delivery::DeliveryState>) {
    let key = &attempt.message.key;
    let name = &target.name;
    match (&attempt.outcome, recorded) {
        (_, Err(e)) => tracing::warn!("notify: cannot record {key} to {name}: {e}"),
        (Outcome::Delivered { .. }, Ok(_)) => tracing::debug!("notify: {key} to {name}: delivered"),
        (Outcome::Retry { error, .. }, Ok(state)) => {
            tracing::warn!("notify: {key} to {name}: {error} ({state})")
        }
        (Outcome::Rejected { error, .. }, Ok(_)) => tracing::error!(
            "notify: {key} to {name}: refused, {error}: a configuration error, not retried"
        ),
    }
}

/// Real unix seconds: retries are scheduled against the receiver's clock, not a test clock.
fn real_now() -> i64 {
    jiff::Timestamp::now().as_second()
}
