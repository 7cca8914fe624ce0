//! homelabcmd-agent: collects metrics on a machine and pushes them to the hub.
//! (The collector and the push loop arrive with the monitoring work.)

fn main() {
    println!(
        "homelabcmd-agent {} (heartbeat protocol {})",
        env!("CARGO_PKG_VERSION"),
        homelabcmd_proto::PROTOCOL_VERSION
    );
}
