//! Adversarial: hostile `exec` parameters. A table of values an attacker or a careless
//! operator would pass, for every parameter type (unit, container, path under prefixes, int
//! in a range, choice) and for pairs of parameters (one value trying to reach through the
//! other's placeholder), run against one real sshd host. Every case must be refused (exit 4,
//! "refused: not allowed") before any connection, with nothing run: each command's template
//! touches a canary file in the host's home first, and the audit trail records no exec. A
//! control case at the end runs a valid command to show the canary does catch a run.
//!
//! A NUL byte cannot be passed in a process argument at all, so control characters stand in.

use crate::common::TestEnv;
use crate::common::sshd::{SshFleet, Sudo};

/// Each template touches `~/ran-NAME` before anything else: any run at all leaves a file.
const COMMANDS: &str = "commands:
  svc:
    run: \"touch ~/ran-svc; echo {service}\"
    params: { service: unit }
  ctr:
    run: \"touch ~/ran-ctr; echo {container}\"
    params: { container: container }
  log:
    run: \"touch ~/ran-log; echo {file}\"
    params: { file: { type: path, prefix: [/var/log, /srv/data/] } }
  lines:
    run: \"touch ~/ran-lines; echo {lines}\"
    params: { lines: { type: int, min: 1, max: 500 } }
  level:
    run: \"touch ~/ran-level; echo {level}\"
    params: { level: { type: choice, values: [error, warn, info] } }
  pair:
    run: \"touch ~/ran-pair; diff {a} {b}\"
    params:
      a: { type: path, prefix: [/var/log] }
      b: { type: path, prefix: [/var/log] }
  tail:
    run: \"touch ~/ran-tail; tail -n {n} {file}\"
    params:
      n: { type: int, min: 1, max: 500 }
      file: { type: path, prefix: [/var/log] }
  pick:
    run: \"touch ~/ran-pick; echo {mode} {service}\"
    params:
      mode: { type: choice, values: [soft, hard] }
      service: unit
";

/// The hostile cases: what each tries, and the command with its PARAM=VALUE arguments.
#[derive(Default)]
struct Cases(Vec<(&'static str, Vec<String>)>);

impl Cases {
    fn add(&mut self, what: &'static str, words: &[&str]) {
        self.0
            .push((what, words.iter().map(|w| w.to_string()).collect()));
    }
}

fn cases() -> Vec<(&'static str, Vec<String>)> {
    let mut cases = Cases::default();
    unit(&mut cases);
    container(&mut cases);
    path(&mut cases);
    int(&mut cases);
    choice(&mut cases);
    pairs(&mut cases);
    arguments(&mut cases);
    cases.0
}

/// `unit` parameters: shell syntax, control characters, quotes, options, look-alikes.
fn unit(c: &mut Cases) {
    let long = "a".repeat(300);
    c.add("unit: `;`", &["svc", "service=nginx; touch ~/pwned"]);
    c.add("unit: `&&`", &["svc", "service=nginx && touch ~/pwned"]);
    c.add("unit: `|`", &["svc", "service=nginx|touch ~/pwned"]);
    c.add("unit: `$()`", &["svc", "service=$(touch ~/pwned)"]);
    c.add("unit: backticks", &["svc", "service=`touch ~/pwned`"]);
    c.add(
        "unit: ${IFS}",
        &["svc", "service=x${IFS}touch${IFS}~/pwned"],
    );
    c.add("unit: newline", &["svc", "service=nginx\ntouch ~/pwned"]);
    c.add("unit: CR", &["svc", "service=nginx\rtouch"]);
    c.add("unit: tab", &["svc", "service=nginx\ttouch"]);
    c.add("unit: SOH", &["svc", "service=nginx\u{1}"]);
    c.add("unit: DEL", &["svc", "service=nginx\u{7f}"]);
    c.add("unit: ESC", &["svc", "service=\u{1b}[2J"]);
    c.add("unit: C1 CSI", &["svc", "service=a\u{9b}31m"]);
    c.add("unit: single quotes", &["svc", "service='nginx'"]);
    c.add("unit: double quotes", &["svc", "service=\"nginx\""]);
    c.add(
        "unit: quote break-out",
        &["svc", "service=x'; touch ~/pwned; '"],
    );
    c.add("unit: own placeholder", &["svc", "service={service}"]);
    c.add("unit: lone `}`", &["svc", "service=nginx}"]);
    c.add("unit: lone `{`", &["svc", "service={nginx"]);
    c.add("unit: `-` option", &["svc", "service=-now"]);
    c.add("unit: `--` option", &["svc", "service=--help"]);
    c.add("unit: empty", &["svc", "service="]);
    c.add("unit: space", &["svc", "service=nginx sshd"]);
    c.add("unit: very long", &["svc", &format!("service={long}")]);
    c.add("unit: Cyrillic look-alike", &["svc", "service=ngin\u{445}"]);
    c.add("unit: bidi override", &["svc", "service=x\u{202e}ecivres"]);
    c.add("unit: glob", &["svc", "service=ssh*"]);
    c.add("unit: tilde", &["svc", "service=~root"]);
    c.add("unit: redirect", &["svc", "service=x>~/pwned"]);
}

/// `container` parameters.
fn container(c: &mut Cases) {
    let long = "a".repeat(300);
    c.add("container: `-` option", &["ctr", "container=-rm"]);
    c.add("container: `--` option", &["ctr", "container=--privileged"]);
    c.add("container: `;`", &["ctr", "container=web;id"]);
    c.add("container: `$()`", &["ctr", "container=web$(id)"]);
    c.add("container: leading dot", &["ctr", "container=.hidden"]);
    c.add("container: traversal", &["ctr", "container=web/../x"]);
    c.add("container: empty", &["ctr", "container="]);
    c.add(
        "container: too long",
        &["ctr", &format!("container={}", &long[..129])],
    );
    c.add("container: look-alike", &["ctr", "container=w\u{435}b"]);
    c.add("container: placeholder", &["ctr", "container={container}"]);
    c.add("container: newline", &["ctr", "container=web\nid"]);
}

/// `path` parameters under /var/log or /srv/data/: traversal, look-alike prefixes, shell.
fn path(c: &mut Cases) {
    let long = "a".repeat(300);
    c.add(
        "path: traversal",
        &["log", "file=/var/log/../../etc/shadow"],
    );
    c.add("path: trailing `..`", &["log", "file=/var/log/.."]);
    c.add("path: `.`", &["log", "file=/var/log/./x"]);
    c.add("path: `//` inside", &["log", "file=/var/log//x"]);
    c.add("path: `//` first", &["log", "file=//var/log/x"]);
    c.add("path: prefix look-alike", &["log", "file=/var/logs/x"]);
    c.add("path: prefix extended", &["log", "file=/var/log2"]);
    c.add(
        "path: second prefix look-alike",
        &["log", "file=/srv/database"],
    );
    c.add("path: relative", &["log", "file=var/log/x"]);
    c.add("path: tilde", &["log", "file=~/x"]);
    c.add("path: outside", &["log", "file=/etc/shadow"]);
    c.add(
        "path: via /proc",
        &["log", "file=/proc/self/root/var/log/x"],
    );
    c.add("path: `;`", &["log", "file=/var/log/x;touch ~/pwned"]);
    c.add("path: `$()`", &["log", "file=/var/log/$(touch ~/pwned)"]);
    c.add("path: backticks", &["log", "file=/var/log/`id`"]);
    c.add("path: space", &["log", "file=/var/log/x y"]);
    c.add("path: placeholder", &["log", "file=/var/log/{file}"]);
    c.add("path: glob", &["log", "file=/var/log/*"]);
    c.add("path: newline", &["log", "file=/var/log/x\n/etc/shadow"]);
    c.add("path: single quote", &["log", "file=/var/log/'x'"]);
    c.add("path: double quote", &["log", "file=/var/log/\"x\""]);
    c.add("path: backslash", &["log", "file=/var/log/x\\"]);
    c.add("path: option-looking", &["log", "file=-/var/log"]);
    c.add("path: empty", &["log", "file="]);
    c.add(
        "path: Cyrillic look-alike",
        &["log", "file=/v\u{430}r/log/x"],
    );
    c.add(
        "path: bidi override",
        &["log", "file=/var/log/\u{202e}gol.x"],
    );
    c.add(
        "path: part too long",
        &["log", &format!("file=/var/log/{long}")],
    );
    c.add(
        "path: too long",
        &["log", &format!("file=/var/log{}", "/a".repeat(2100))],
    );
}

/// `int` parameters in 1..=500: other spellings of numbers, overflow, range.
fn int(c: &mut Cases) {
    c.add("int: `+1`", &["lines", "lines=+1"]);
    c.add("int: hex", &["lines", "lines=0x10"]);
    c.add("int: leading space", &["lines", "lines= 1"]);
    c.add("int: trailing space", &["lines", "lines=1 "]);
    c.add("int: overflow", &["lines", "lines=99999999999999999999"]);
    c.add("int: i64 max + 1", &["lines", "lines=9223372036854775808"]);
    c.add("int: below range", &["lines", "lines=0"]);
    c.add("int: negative", &["lines", "lines=-1"]);
    c.add("int: above range", &["lines", "lines=501"]);
    c.add("int: exponent", &["lines", "lines=1e3"]);
    c.add("int: leading zero", &["lines", "lines=010"]);
    c.add("int: `;`", &["lines", "lines=5;touch ~/pwned"]);
    c.add("int: empty", &["lines", "lines="]);
    c.add("int: Arabic-Indic digit", &["lines", "lines=\u{663}"]);
    c.add("int: fullwidth digit", &["lines", "lines=\u{ff11}"]);
    c.add("int: placeholder", &["lines", "lines={lines}"]);
}

/// `choice` parameters from [error, warn, info]: near misses.
fn choice(c: &mut Cases) {
    c.add("choice: other case", &["level", "level=ERROR"]);
    c.add("choice: `;`", &["level", "level=error;touch ~/pwned"]);
    c.add("choice: trailing space", &["level", "level=error "]);
    c.add("choice: prefix", &["level", "level=err"]);
    c.add("choice: placeholder", &["level", "level={level}"]);
    c.add("choice: empty", &["level", "level="]);
    c.add("choice: option-looking", &["level", "level=-error"]);
}

/// Pairs: one value reaching through the other's placeholder.
fn pairs(c: &mut Cases) {
    c.add(
        "pair: the issue's reproduction",
        &["pair", "a=/var/log/{b}", "b=/var/log/x $(touch ~/pwned)"],
    );
    c.add(
        "pair: b names a",
        &["pair", "a=/var/log/x", "b=/var/log/{a}"],
    );
    c.add(
        "pair: braces split across values",
        &["pair", "a=/var/log/x}", "b={/var/log/y"],
    );
    c.add(
        "pair: int names the path",
        &["tail", "n={file}", "file=/var/log/syslog"],
    );
    c.add(
        "pair: choice names the unit",
        &["pick", "mode={service}", "service=x;touch ~/pwned"],
    );
    c.add(
        "pair: unit names the choice",
        &["pick", "mode=soft", "service={mode}"],
    );
    c.add(
        "pair: quote opened in one, closed in the other",
        &["pair", "a=/var/log/x'", "b=/var/log/';touch ~/pwned;'"],
    );
}

/// The arguments themselves: repeated, unknown, malformed, unlisted commands.
fn arguments(c: &mut Cases) {
    c.add("duplicated param", &["lines", "lines=5", "lines=6"]);
    c.add(
        "duplicated param in a pair",
        &["pair", "a=/var/log/x", "a=/var/log/y", "b=/var/log/z"],
    );
    c.add("unknown param", &["svc", "unit=nginx"]);
    c.add("extra unknown param", &["svc", "service=nginx", "extra=1"]);
    c.add("param name in upper case", &["svc", "SERVICE=nginx"]);
    c.add("PARAM without `=`", &["svc", "service"]);
    c.add("empty param name", &["svc", "=nginx"]);
    c.add("missing param", &["pair", "a=/var/log/x"]);
    c.add("no params at all", &["tail"]);
    c.add("command not listed", &["rm", "/"]);
    // (A word starting with `-` before `--` is a flag to clap: unknown flags are usage
    // errors, exit 2. After `--` it is a word, and no PARAM=VALUE.)
    c.add("option after `--`", &["svc", "--", "-rf"]);
    c.add("command with `;`", &["svc;id", "service=nginx"]);
    c.add("command look-alike", &["sv\u{441}", "service=nginx"]);
}

fn home_files(home: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(home)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn exec_entries(env: &TestEnv) -> Vec<serde_json::Value> {
    let doc = env.run(&["audit", "--limit", "1000", "-o", "json"]).json();
    doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] != "trust")
        .cloned()
        .collect()
}

#[test]
fn hostile_exec_parameters_are_refused_with_nothing_run() {
    let ssh = SshFleet::start(&[Sudo::NoPassword]);
    let host = &ssh.hosts[0];
    let env = TestEnv::with_files(&[("fleet.yaml", &ssh.fleet_yaml(COMMANDS))]);
    env.run(&["validate"]).code(0);
    env.run(&["hosts", "trust", "--yes", "host1"]).code(0);
    env.commit("trust host1");
    let before = home_files(&host.home);
    let cases = cases();
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    let mut wrong = Vec::new();
    for (what, words) in &cases {
        let mut args = vec!["exec", "host1"];
        args.extend(words.iter().map(String::as_str));
        let run = env.run(&args);
        let first = run.stderr.lines().next().unwrap_or_default();
        if run.code != 4 || !run.stdout.is_empty() || !first.starts_with("error: `") {
            wrong.push(format!(
                "{what} {words:?}: exit {}, stdout {:?}, stderr {:?}",
                run.code, run.stdout, run.stderr
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases were not refused:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
    assert_eq!(home_files(&host.home), before, "something ran on host1");
    assert_eq!(exec_entries(&env), Vec::<serde_json::Value>::new());

    // The control: a valid command does run, and the canary and the audit trail show it.
    let run = env.run(&["exec", "host1", "log", "file=/srv/data/x"]);
    run.code(0);
    assert_eq!(run.stdout, "/srv/data/x\n");
    assert!(
        host.home.join("ran-log").exists(),
        "the canary missed a run"
    );
    let entries = exec_entries(&env);
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["command"], "touch ~/ran-log; echo '/srv/data/x'");
}
