//! Sending one heartbeat to the hub over HTTP(S) (ureq, rustls with ring) and sorting the
//! answer into what the caller must do: forget the samples (taken, or refused for good; the hub
//! says which, sample by sample), keep them for later (authentication and other refusals, and
//! samples the hub will take later), or try again (hub away).

use std::time::Duration;

use homelabcmd_proto::{
    ErrorReply, HEARTBEAT_PATH, Heartbeat, HeartbeatReply, MACHINE_HEADER, RefusedSample,
};

use crate::config::Hub;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// 2xx: the hub has the samples. The reply is None if its body could not be read.
    Accepted(Option<HeartbeatReply>),
    /// 400, 413, 422: the hub will not take this batch as it is. `refused` lists each sample
    /// and why when the hub said (a 422 where no sample could be stored); empty otherwise.
    Refused {
        status: u16,
        message: String,
        refused: Vec<RefusedSample>,
    },
    /// 401, 403 and other 4xx: keep the samples until the operator fixes things.
    Rejected { status: u16, message: String },
    /// 5xx, connection errors, timeouts: try again.
    Failed(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Pusher {
    agent: ureq::Agent,
    url: String,
    authorization: String,
    machine_id: String,
}

impl Pusher {
    pub(crate) fn new(hub: &Hub) -> Pusher {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(REQUEST_TIMEOUT))
            .user_agent(concat!("homelabcmd-agent/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        Pusher {
            agent,
            url: format!("{}{HEARTBEAT_PATH}", hub.url),
            authorization: format!("Bearer {}", hub.api_key),
            machine_id: hub.machine_id.clone(),
        }
    }

    pub(crate) fn send(&self, heartbeat: &Heartbeat) -> Outcome {
        let response = self
            .agent
            .post(&self.url)
            .header("Authorization", &self.authorization)
            .header(MACHINE_HEADER, &self.machine_id)
            .send_json(heartbeat);
        let mut response = match response {
            Ok(r) => r,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let status = response.status().as_u16();
        match status {
            200..=299 => Outcome::Accepted(response.body_mut().read_json().ok()),
            400..=499 => {
                let body = response.body_mut().read_to_string().unwrap_or_default();
                let (message, refused) = match serde_json::from_str::<ErrorReply>(&body) {
                    Ok(reply) => (reply.error, reply.refused),
                    Err(_) => (short(&body), Vec::new()),
                };
                if matches!(status, 400 | 413 | 422) {
                    Outcome::Refused {
                        status,
                        message,
                        refused,
                    }
                } else {
                    Outcome::Rejected { status, message }
                }
            }
            _ => Outcome::Failed(format!("hub answered HTTP {status}")),
        }
    }
}

/// A body that is not an ErrorReply, cut to one short line for the log.
fn short(body: &str) -> String {
    let line = body.trim().lines().next().unwrap_or("(no message)");
    match line.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_owned(),
    }
}
