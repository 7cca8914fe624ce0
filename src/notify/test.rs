//! `homelabcmd notify test`: one test message to each target (or the one named), straight
//! away (not through the outbox), and each receiver's answer.

use super::format;
use super::message::Message;
use super::send::{ClientError, Outcome, Sender};
use super::target::{self, TargetError};
use crate::fleet::model::NotifyKind;
use crate::fleet::{Fleet, Snapshot};

/// What one target answered.
#[derive(Debug, Clone)]
pub(crate) struct TestResult {
    pub(crate) target: String,
    pub(crate) kind: NotifyKind,
    /// Err: the target cannot be used (its URL or its secret), so nothing was sent.
    pub(crate) outcome: Result<Outcome, TargetError>,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum TestError {
    #[error(
        "no notification targets: fleet.yaml has no `defaults.notify` and SLACK_WEBHOOK_URL is not set"
    )]
    NoTargets,
    #[error("unknown notification target `{name}`")]
    UnknownTarget { name: String, known: Vec<String> },
    #[error(transparent)]
    Client(#[from] ClientError),
}

/// Send a test message to every target of the fleet (or only `only`), one at a time.
pub(crate) async fn send_tests(
    fleet: &Fleet,
    snapshot: &Snapshot,
    only: Option<&str>,
    now: i64,
) -> Result<Vec<TestResult>, TestError> {
    let mut targets = target::resolve(fleet, snapshot);
    if targets.is_empty() {
        return Err(TestError::NoTargets);
    }
    if let Some(name) = only {
        let known: Vec<String> = targets.iter().map(|t| t.name.clone()).collect();
        targets.retain(|t| t.name == name);
        if targets.is_empty() {
            return Err(TestError::UnknownTarget {
                name: name.to_string(),
                known,
            });
        }
    }
    let sender = Sender::new()?;
    let mut out = Vec::with_capacity(targets.len());
    for target in targets {
        let outcome = match &target.url {
            Ok(url) => {
                let message = Message::test(format!("test-{now}-{}", target.name), &target.name);
                Ok(sender
                    .send(url, &format::render(target.kind, &message))
                    .await)
            }
            Err(e) => Err(e.clone()),
        };
        out.push(TestResult {
            target: target.name,
            kind: target.kind,
            outcome,
        });
    }
    Ok(out)
}
