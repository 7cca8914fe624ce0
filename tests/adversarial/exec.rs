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

/// (what the case tries, the command and its PARAM=VALUE arguments)
fn cases() -> Vec<(&'static str, Vec<String>)> {
    let long = "a".repeat(300);
    let mut cases: Vec<(&'static str, Vec<String>)> = Vec::new();
    let mut add = |what: &'static str, words: &[&str]| {
        cases.push((what, words.iter().map(|w| w.to_string()).collect()));
    };
    // unit
    add("unit: `;`", &["svc", "service=nginx; touch ~/pwned"]);
    add("unit: `&&`", &["svc", "service=nginx && touch ~/pwned"]);
    add("unit: `|`", &["svc", "service=nginx|touch ~/pwned"]);
    add("unit: `$()`", &["svc", "service=$(touch ~/pwned)"]);
    add("unit: backticks", &["svc", "service=`touch ~/pwned`"]);
    add(
        "unit: ${IFS}",
        &["svc", "service=x${IFS}touch${IFS}~/pwned"],
    );
    add("unit: newline", &["svc", "service=nginx\ntouch ~/pwned"]);
    add("unit: CR", &["svc", "service=nginx\rtouch"]);
    add("unit: tab", &["svc", "service=nginx\ttouch"]);
    add("unit: SOH", &["svc", "service=nginx\u{1}"]);
    add("unit: DEL", &["svc", "service=nginx\u{7f}"]);
    add("unit: ESC", &["svc", "service=\u{1b}[2J"]);
    add("unit: C1 CSI", &["svc", "service=a\u{9b}31m"]);
    add("unit: single quotes", &["svc", "service='nginx'"]);
    add("unit: double quotes", &["svc", "service=\"nginx\""]);
    add(
        "unit: quote break-out",
        &["svc", "service=x'; touch ~/pwned; '"],
    );
    add("unit: own placeholder", &["svc", "service={service}"]);
    add("unit: lone `}`", &["svc", "service=nginx}"]);
    add("unit: lone `{`", &["svc", "service={nginx"]);
    add("unit: `-` option", &["svc", "service=-now"]);
    add("unit: `--` option", &["svc", "service=--help"]);
    add("unit: empty", &["svc", "service="]);
    add("unit: space", &["svc", "service=nginx sshd"]);
    add("unit: very long", &["svc", &format!("service={long}")]);
    add("unit: Cyrillic look-alike", &["svc", "service=ngin\u{445}"]);
    add("unit: bidi override", &["svc", "service=x\u{202e}ecivres"]);
    add("unit: glob", &["svc", "service=ssh*"]);
    add("unit: tilde", &["svc", "service=~root"]);
    add("unit: redirect", &["svc", "service=x>~/pwned"]);
    // container
    add("container: `-` option", &["ctr", "container=-rm"]);
    add("container: `--` option", &["ctr", "container=--privileged"]);
    add("container: `;`", &["ctr", "container=web;id"]);
    add("container: `$()`", &["ctr", "container=web$(id)"]);
    add("container: leading dot", &["ctr", "container=.hidden"]);
    add("container: traversal", &["ctr", "container=web/../x"]);
    add("container: empty", &["ctr", "container="]);
    add(
        "container: too long",
        &["ctr", &format!("container={}", &long[..129])],
    );
    add("container: look-alike", &["ctr", "container=w\u{435}b"]);
    add("container: placeholder", &["ctr", "container={container}"]);
    add("container: newline", &["ctr", "container=web\nid"]);
    // path
    add(
        "path: traversal",
        &["log", "file=/var/log/../../etc/shadow"],
    );
    add("path: trailing `..`", &["log", "file=/var/log/.."]);
    add("path: `.`", &["log", "file=/var/log/./x"]);
    add("path: `//` inside", &["log", "file=/var/log//x"]);
    add("path: `//` first", &["log", "file=//var/log/x"]);
    add("path: prefix look-alike", &["log", "file=/var/logs/x"]);
    add("path: prefix extended", &["log", "file=/var/log2"]);
    add(
        "path: second prefix look-alike",
        &["log", "file=/srv/database"],
    );
    add("path: relative", &["log", "file=var/log/x"]);
    add("path: tilde", &["log", "file=~/x"]);
    add("path: outside", &["log", "file=/etc/shadow"]);
    add(
        "path: via /proc",
        &["log", "file=/proc/self/root/var/log/x"],
    );
    add("path: `;`", &["log", "file=/var/log/x;touch ~/pwned"]);
    add("path: `$()`", &["log", "file=/var/log/$(touch ~/pwned)"]);
    add("path: backticks", &["log", "file=/var/log/`id`"]);
    add("path: space", &["log", "file=/var/log/x y"]);
    add("path: placeholder", &["log", "file=/var/log/{file}"]);
    add("path: glob", &["log", "file=/var/log/*"]);
    add("path: newline", &["log", "file=/var/log/x\n/etc/shadow"]);
    add("path: single quote", &["log", "file=/var/log/'x'"]);
    add("path: double quote", &["log", "file=/var/log/\"x\""]);
    add("path: backslash", &["log", "file=/var/log/x\\"]);
    add("path: option-looking", &["log", "file=-/var/log"]);
    add("path: empty", &["log", "file="]);
    add(
        "path: Cyrillic look-alike",
        &["log", "file=/v\u{430}r/log/x"],
    );
    add(
        "path: bidi override",
        &["log", "file=/var/log/\u{202e}gol.x"],
    );
    add(
        "path: part too long",
        &["log", &format!("file=/var/log/{long}")],
    );
    add(
        "path: too long",
        &["log", &format!("file=/var/log{}", "/a".repeat(2100))],
    );
    // int
    add("int: `+1`", &["lines", "lines=+1"]);
    add("int: hex", &["lines", "lines=0x10"]);
    add("int: leading space", &["lines", "lines= 1"]);
    add("int: trailing space", &["lines", "lines=1 "]);
    add("int: overflow", &["lines", "lines=99999999999999999999"]);
    add("int: i64 max + 1", &["lines", "lines=9223372036854775808"]);
    add("int: below range", &["lines", "lines=0"]);
    add("int: negative", &["lines", "lines=-1"]);
    add("int: above range", &["lines", "lines=501"]);
    add("int: exponent", &["lines", "lines=1e3"]);
    add("int: leading zero", &["lines", "lines=010"]);
    add("int: `;`", &["lines", "lines=5;touch ~/pwned"]);
    add("int: empty", &["lines", "lines="]);
    add("int: Arabic-Indic digit", &["lines", "lines=\u{663}"]);
    add("int: fullwidth digit", &["lines", "lines=\u{ff11}"]);
    add("int: placeholder", &["lines", "lines={lines}"]);
    // choice
    add("choice: other case", &["level", "level=ERROR"]);
    add("choice: `;`", &["level", "level=error;touch ~/pwned"]);
    add("choice: trailing space", &["level", "level=error "]);
    add("choice: prefix", &["level", "level=err"]);
    add("choice: placeholder", &["level", "level={level}"]);
    add("choice: empty", &["level", "level="]);
    add("choice: option-looking", &["level", "level=-error"]);
    // pairs: one value reaching through the other's placeholder
    add(
        "pair: the issue's reproduction",
        &["pair", "a=/var/log/{b}", "b=/var/log/x $(touch ~/pwned)"],
    );
    add(
        "pair: b names a",
        &["pair", "a=/var/log/x", "b=/var/log/{a}"],
    );
    add(
        "pair: braces split across values",
        &["pair", "a=/var/log/x}", "b={/var/log/y"],
    );
    add(
        "pair: int names the path",
        &["tail", "n={file}", "file=/var/log/syslog"],
    );
    add(
        "pair: choice names the unit",
        &["pick", "mode={service}", "service=x;touch ~/pwned"],
    );
    add(
        "pair: unit names the choice",
        &["pick", "mode=soft", "service={mode}"],
    );
    add(
        "pair: quote opened in one, closed in the other",
        &["pair", "a=/var/log/x'", "b=/var/log/';touch ~/pwned;'"],
    );
    // the arguments themselves
    add("duplicated param", &["lines", "lines=5", "lines=6"]);
    add(
        "duplicated param in a pair",
        &["pair", "a=/var/log/x", "a=/var/log/y", "b=/var/log/z"],
    );
    add("unknown param", &["svc", "unit=nginx"]);
    add("extra unknown param", &["svc", "service=nginx", "extra=1"]);
    add("param name in upper case", &["svc", "SERVICE=nginx"]);
    add("PARAM without `=`", &["svc", "service"]);
    add("empty param name", &["svc", "=nginx"]);
    add("missing param", &["pair", "a=/var/log/x"]);
    add("no params at all", &["tail"]);
    add("command not listed", &["rm", "/"]);
    // (A word starting with `-` before `--` is a flag to clap: unknown flags are usage
    // errors, exit 2. After `--` it is a word, and no PARAM=VALUE.)
    add("option after `--`", &["svc", "--", "-rf"]);
    add("command with `;`", &["svc;id", "service=nginx"]);
    add("command look-alike", &["sv\u{441}", "service=nginx"]);
    cases
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
