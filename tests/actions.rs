//! Remediation with real processes: `serve` on 127.0.0.1 fed heartbeats over HTTP on a moving
//! clock, real sshd hosts on loopback (tests/common/sshd.rs) on which the actions run, and
//! the CLI's `actions`, `audit` and `pause`. `restart-service` is redefined to leave a file
//! on the host (there is no systemd here), so a run is seen on the host itself.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::sshd::{SshFleet, Sudo};
use crate::common::{Hub, TestEnv, heartbeat, sample};

const T0: i64 = 1_795_000_000;

/// host1 and host2 share a staggered group; host3's service action always fails.
fn fleet(ssh: &SshFleet) -> String {
    let mut out = String::from(
        "version: 1
defaults:
  offline_after: 1h
  alerts:
    raise_after: 1
    clear_after: 1
    actions:
      service: { run: restart-service, mode: auto }
      disk: { run: clear-logs, mode: approve }
groups:
  pair: { machines: [host1, host2], stagger: 1h }
commands:
  restart-service:
    run: \"touch /home/$SUDO_USER/restarted-{service}\"
    sudo: true
    params: { service: { type: unit } }
  fail-service:
    run: \"touch ~/tried-{service}; echo cannot >&2; exit 3\"
    params: { service: { type: unit } }
  clear-logs: { run: \"touch ~/cleared\" }
machines:
",
    );
    for h in &ssh.hosts {
        out.push_str(&format!(
            "  {}:\n    address: {}\n    services: [nginx]\n    ssh: {{ user: {}, port: {}, identity: {} }}\n",
            h.name,
            h.address,
            h.user,
            h.port,
            ssh.key.display()
        ));
        if h.name == "host3" {
            out.push_str(
                "    alerts: { actions: { service: { run: fail-service, mode: auto } } }\n",
            );
        }
    }
    out
}

struct Lab {
    env: TestEnv,
    hub: Hub,
    clock: PathBuf,
    now: i64,
}

fn rfc(t: i64) -> String {
    jiff::Timestamp::from_second(t)
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

impl Lab {
    fn start(ssh: &SshFleet) -> Lab {
        let env = TestEnv::with_files(&[("fleet.yaml", &fleet(ssh))]);
        let ids: Vec<&str> = ssh.hosts.iter().map(|h| h.name.as_str()).collect();
        let mut args = vec!["hosts", "trust", "--yes"];
        args.extend(&ids);
        env.run(&args).code(0);
        env.commit("trust the hosts");
        let clock = env.home.join("clock");
        crate::common::set_clock(&clock, T0);
        let hub = Hub::start(
            &env,
            Some(&format!("@{}", clock.display())),
            &["--alert-every", "1"],
        );
        Lab {
            env,
            hub,
            clock,
            now: T0,
        }
    }

    fn at(&mut self, secs: i64) {
        self.now = T0 + secs;
        crate::common::set_clock(&self.clock, self.now);
    }

    fn cli(&self, args: &[&str]) -> crate::common::Run {
        let mut cmd = self.env.cmd(args);
        cmd.env("HOMELABCMD_NOW", self.now.to_string());
        crate::common::run(cmd)
    }

    fn beat(&self, machine: &str, nginx: &str, disk_pct: u64) {
        let token = self.cli(&["agent", "token", machine]);
        let mut s = sample(&rfc(self.now), 10.0);
        s["updates"]["security"] = json!(0);
        s["services"] = json!([{"name": "nginx", "active_state": nginx, "sub_state": nginx}]);
        s["filesystems"][0]["used"] = json!(disk_pct << 30);
        s["filesystems"][0]["available"] = json!((100 - disk_pct) << 30);
        let (code, body) = self
            .hub
            .post(Some(token.stdout.trim()), &heartbeat(machine, vec![s]));
        assert_eq!(code, 200, "{body}");
    }

    fn actions(&self) -> Vec<Value> {
        let run = self.cli(&["actions", "--all", "-o", "json"]);
        run.code(0);
        run.json()["actions"].as_array().unwrap().clone()
    }

    /// The machine's action of `command`, once there is one.
    fn action(&self, machine: &str, command: &str) -> Value {
        let mut found = None;
        wait(
            || {
                found = self
                    .actions()
                    .into_iter()
                    .find(|a| a["machine"] == machine && a["command"] == command);
                found.is_some()
            },
            &format!("{machine}'s {command} action"),
        );
        found.unwrap()
    }

    fn state_of(&self, id: i64) -> String {
        let a = self.actions().into_iter().find(|a| a["id"] == id).unwrap();
        a["state"].as_str().unwrap().to_string()
    }

    fn wait_state(&self, id: i64, want: &str) -> Value {
        wait(|| self.state_of(id) == want, &format!("action {id} {want}"));
        self.actions().into_iter().find(|a| a["id"] == id).unwrap()
    }

    /// The exec audit entries named after `alert`'s action.
    fn audited(&self, alert: i64) -> Vec<Value> {
        let audit = self.cli(&["audit", "--limit", "100", "-o", "json"]).json();
        audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "exec")
            .filter(|e| {
                e["name"]
                    .as_str()
                    .is_some_and(|n| n.ends_with(&format!("(alert {alert})")))
            })
            .cloned()
            .collect()
    }

    /// Let the hub's action thread run a few times (it is woken every alert tick, each second).
    fn let_it_tick(&mut self) {
        for _ in 0..4 {
            self.at(self.now - T0 + 1);
            std::thread::sleep(Duration::from_millis(1000));
        }
    }
}

fn wait(mut done: impl FnMut() -> bool, what: &str) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn exists(path: &Path) -> bool {
    path.exists()
}

#[test]
fn auto_actions_run_over_ssh_are_audited_and_wait_for_pause_stagger_and_approval() {
    let ssh = SshFleet::start(&[Sudo::NoPassword, Sudo::NoPassword, Sudo::NoPassword]);
    let mut lab = Lab::start(&ssh);
    let restarted = |i: usize| ssh.hosts[i].home.join("restarted-nginx");

    // host1's nginx fails: the alert opens and its auto action restarts it over SSH at once.
    lab.beat("host1", "failed", 10);
    let first = lab.action("host1", "restart-service");
    let first_id = first["id"].as_i64().unwrap();
    let alert1 = first["alert_id"].as_i64().unwrap();
    assert_eq!(first["line"], "touch /home/$SUDO_USER/restarted-'nginx'");
    assert_eq!(first["mode"], "auto");
    let done = lab.wait_state(first_id, "completed");
    assert_eq!(done["exit_code"], 0);
    assert!(exists(&restarted(0)), "the action did not run on host1");
    let audited = lab.audited(alert1);
    assert_eq!(audited.len(), 1, "{audited:?}");
    assert_eq!(
        audited[0]["name"].as_str().unwrap(),
        format!("restart-service (alert {alert1})")
    );
    assert_eq!(audited[0]["machine"], "host1");
    assert_eq!(audited[0]["exit_code"], 0);
    assert_eq!(done["audit_id"], audited[0]["id"]);
    // The next heartbeat with nginx running resolves the alert.
    lab.at(30);
    lab.beat("host1", "active", 10);
    wait(
        || {
            let run = lab.cli(&["alerts", "--all", "--machine", "host1", "-o", "json"]);
            run.json()["alerts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["id"] == alert1 && a["status"] == "resolved")
        },
        "host1's alert resolved",
    );

    // host2 is in host1's staggered group: its action waits the stagger out, pending.
    lab.at(60);
    lab.beat("host2", "failed", 10);
    let second = lab.action("host2", "restart-service");
    let second_id = second["id"].as_i64().unwrap();
    lab.let_it_tick();
    assert_eq!(lab.state_of(second_id), "pending");
    assert!(!exists(&restarted(1)));
    // Paused, it still waits after the stagger has passed.
    lab.cli(&["pause", "host2", "--for", "3h"]).code(0);
    lab.at(3700);
    lab.let_it_tick();
    assert_eq!(lab.state_of(second_id), "pending");
    assert!(!exists(&restarted(1)));
    // Approved, it runs (from the CLI) even though host2 is paused.
    let run = lab.cli(&["actions", "approve", &second_id.to_string()]);
    run.code(0);
    assert!(run.stdout.contains("completed"), "{}", run.stdout);
    assert!(exists(&restarted(1)), "the approved action did not run");
    let approved = lab.wait_state(second_id, "completed");
    assert!(
        approved["decided_by"]
            .as_str()
            .is_some_and(|u| !u.is_empty())
    );
    // Done is done: approving it again is refused.
    lab.cli(&["actions", "approve", &second_id.to_string()])
        .code(2);

    // host3's action fails: failed, with its exit code, and not tried again.
    lab.beat("host3", "failed", 10);
    let third = lab.action("host3", "fail-service");
    let third_id = third["id"].as_i64().unwrap();
    let alert3 = third["alert_id"].as_i64().unwrap();
    let failed = lab.wait_state(third_id, "failed");
    assert_eq!(failed["exit_code"], 3);
    assert!(exists(&ssh.hosts[2].home.join("tried-nginx")));
    lab.let_it_tick();
    lab.beat("host3", "failed", 10);
    lab.let_it_tick();
    assert_eq!(lab.state_of(third_id), "failed");
    assert_eq!(lab.audited(alert3).len(), 1, "a failed action was retried");
    // Approved again, it runs once more (and fails again: exit 3, a partial failure).
    lab.cli(&["actions", "approve", &third_id.to_string()])
        .code(3);
    assert_eq!(lab.audited(alert3).len(), 2);

    // An `approve` action waits; rejected, it never runs.
    lab.at(3800);
    lab.beat("host3", "failed", 95);
    let clear = lab.action("host3", "clear-logs");
    let clear_id = clear["id"].as_i64().unwrap();
    lab.let_it_tick();
    assert_eq!(lab.state_of(clear_id), "pending");
    lab.cli(&["actions", "reject", &clear_id.to_string()])
        .code(0);
    assert_eq!(lab.state_of(clear_id), "rejected");
    lab.cli(&["actions", "approve", &clear_id.to_string()])
        .code(2);
    assert!(!exists(&ssh.hosts[2].home.join("cleared")));
    // Finished ones are listed only with --all.
    let waiting = lab.cli(&["actions", "-o", "json"]).json();
    let ids: Vec<i64> = waiting["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![third_id]);
    lab.cli(&["audit", "verify"]).code(0);
}

#[test]
fn an_action_the_whitelist_or_the_alert_cannot_fill_is_refused_with_its_place() {
    let env = TestEnv::with_files(&[(
        "fleet.yaml",
        "version: 1
defaults:
  alerts:
    actions:
      disk: { run: restart-service, mode: auto }
      ram: { run: no-such-command }
      service: { run: docker-start, mode: sometimes }
      offline: { run: uptime }
machines:
  web1: { address: web1.lan, alerts: { actions: { container: { run: docker-start } } } }
  web2: { address: web2.lan, alerts: { actions: { service: { run: docker-start } } } }
",
    )]);
    let run = env.run(&["validate"]);
    run.code(2);
    for want in [
        "fleet.yaml:5:20: `restart-service` needs `service`, which a disk alert cannot fill",
        "fleet.yaml:6:19: `no-such-command` is not on the command whitelist",
        "fleet.yaml:7:43: `mode` must be `auto` or `approve`",
        "fleet.yaml:8:7: the `offline` rule cannot have an action",
        "fleet.yaml:11:67: `docker-start` needs `container`, which a service alert cannot fill",
    ] {
        assert!(
            run.stderr.contains(want),
            "{want}\n--- got ---\n{}",
            run.stderr
        );
    }
}
