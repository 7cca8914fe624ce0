//! Broken fleet and pack files: each problem is reported as `file:line:col: message`, with
//! the line, a caret under the spot and a hint of what is valid; all problems in one run.
//! The expected texts are whole: a change in any message shows up here.

use crate::common::{BASE_PACK, FLEET, TestEnv};

/// Commit `files` over the minimal valid fleet, run `validate`, expect exit 2 and `stderr`.
fn assert_invalid(files: &[(&str, &str)], stderr: &str) {
    let mut all: Vec<(&str, &str)> = vec![
        ("fleet.yaml", FLEET),
        ("packs/base.yaml", BASE_PACK),
        ("packs/files/bashrc", "# bashrc\n"),
    ];
    for (path, text) in files {
        all.retain(|(p, _)| p != path);
        all.push((path, text));
    }
    let env = TestEnv::with_files(&all);
    let run = env.run(&["validate"]);
    run.code(2);
    assert_eq!(run.stdout, "");
    let expected = stderr.replace("{HEAD}", &env.git(&["rev-parse", "--short=7", "HEAD"]));
    assert_eq!(run.stderr, expected, "\n--- got ---\n{}", run.stderr);
}

#[test]
fn yaml_syntax() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
machines:
  web1: { address: web1.lan, packs: [base }
"#,
        )],
        r#"fleet.yaml:3:37: invalid YAML: mismatched bracket '[' closed by '}'
 3 |   web1: { address: web1.lan, packs: [base }
   |                                     ^
  hint: check the indentation and quoting near this spot; values with `: ` or `#` need quotes
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn bad_indentation() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
machines:
  web1:
    address: web1.lan
   packs: [base]
"#,
        )],
        r#"fleet.yaml:5:4: invalid YAML: while parsing a block mapping, did not find expected key
 5 |    packs: [base]
   |    ^
  hint: check the indentation and quoting near this spot; values with `: ` or `#` need quotes
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn unknown_top_key() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
machine:
  web1: { address: web1.lan }
"#,
        )],
        r#"fleet.yaml:1:1: fleet.yaml has no `machines`
 1 | version: 1
   | ^
  hint: add `machines:` with at least one machine, e.g. `web1: { address: web1.lan }`

fleet.yaml:2:1: unknown key `machine` in fleet.yaml
 2 | machine:
   | ^^^^^^^
  hint: did you mean `machines`? valid keys: version, defaults, machines, groups, commands
error: the fleet is invalid: 2 problems in 1 file
"#,
    );
}

#[test]
fn unknown_machine_key() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
machines:
  web1:
    address: web1.lan
    pack: [base]
"#,
        )],
        r#"fleet.yaml:5:5: unknown key `pack` in machine `web1`
 5 |     pack: [base]
   |     ^^^^
  hint: did you mean `packs`? valid keys: name, type, address, connect, tdp_w, location, tags, services, packs, ssh, offline_after, thresholds, alerts
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn wrong_type() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
machines:
  web1:
    address: web1.lan
    tdp_w: sixty
"#,
        )],
        r#"fleet.yaml:5:12: `tdp_w` (watts) must be a whole number, found `sixty`
 5 |     tdp_w: sixty
   |            ^^^^^
  hint: use a whole number from 0 to 5000
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn bad_machine_type() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
machines:
  web1:
    address: web1.lan
    type: desktop
"#,
        )],
        r#"fleet.yaml:5:11: `type` cannot be `desktop`
 5 |     type: desktop
   |           ^^^^^^^
  hint: valid values: server, workstation
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn unknown_pack() {
    assert_invalid(
        &[
            (
                "fleet.yaml",
                r#"version: 1
machines:
  studypc:
    type: workstation
    address: studypc.lan
    packs: [developer-mx]
"#,
            ),
            (
                "packs/developer-lite.yaml",
                r#"extends: base
"#,
            ),
            (
                "packs/developer-max.yaml",
                r#"extends: developer-lite
"#,
            ),
        ],
        r#"fleet.yaml:6:13: unknown pack `developer-mx`
 6 |     packs: [developer-mx]
   |             ^^^^^^^^^^^^
  hint: did you mean `developer-max`? valid packs (files in packs/): base, developer-lite, developer-max
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn extends_cycle() {
    assert_invalid(
        &[
            (
                "packs/a.yaml",
                r#"extends: b
"#,
            ),
            (
                "packs/b.yaml",
                r#"extends: [base, a]
"#,
            ),
        ],
        r#"packs/a.yaml:1:10: `extends` makes a cycle: a -> b -> a
 1 | extends: b
   |          ^
  hint: a pack may not inherit from itself; remove one `extends` in the cycle
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn extends_self() {
    assert_invalid(
        &[(
            "packs/loop.yaml",
            r#"extends: loop
"#,
        )],
        r#"packs/loop.yaml:1:10: `extends` makes a cycle: loop -> loop
 1 | extends: loop
   |          ^^^^
  hint: a pack may not inherit from itself; remove one `extends` in the cycle
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn unknown_extends() {
    assert_invalid(
        &[(
            "packs/lite.yaml",
            r#"extends: bsae
"#,
        )],
        r#"packs/lite.yaml:1:10: pack `lite` extends unknown pack `bsae`
 1 | extends: bsae
   |          ^^^^
  hint: did you mean `base`? valid packs (files in packs/): base, lite
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn duplicate_id() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
machines:
  web1:
    address: web1.lan
  web2:
    address: web2.lan
  web1:
    address: 10.0.0.5
"#,
        )],
        r#"fleet.yaml:7:3: `web1` is written twice in `machines` (first at line 3)
 7 |   web1:
   |   ^^^^
  hint: a key may appear once; merge the two entries
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn bad_address() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
machines:
  web1: { address: "https://web1.lan" }
  web2: { address: "web2.lan:2222" }
  web3: { address: "root@web3" }
  web4: { address: web_4.lan }
"#,
        )],
        r#"fleet.yaml:3:20: `https://web1.lan` is not a valid address
 3 |   web1: { address: "https://web1.lan" }
   |                    ^^^^^^^^^^^^^^^^^^
  hint: write only the host name or IP address, without a scheme

fleet.yaml:4:20: `web2.lan:2222` is not a valid address
 4 |   web2: { address: "web2.lan:2222" }
   |                    ^^^^^^^^^^^^^^^
  hint: write only the host; the port goes in `ssh: { port: N }`

fleet.yaml:5:20: `root@web3` is not a valid address
 5 |   web3: { address: "root@web3" }
   |                    ^^^^^^^^^^^
  hint: write only the host; the SSH user goes in `ssh: { user: NAME }`

fleet.yaml:6:20: `web_4.lan` is not a valid address
 6 |   web4: { address: web_4.lan }
   |                    ^^^^^^^^^
  hint: a host name is dot-separated labels of letters, digits and `-` (e.g. `nas.tail1234.ts.net`), or an IPv4/IPv6 address
error: the fleet is invalid: 4 problems in 1 file
"#,
    );
}

#[test]
fn threshold_range() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
defaults:
  thresholds: { disk: [90, 80], ram: 150, cpu: 0 }
machines:
  web1: { address: web1.lan }
"#,
        )],
        r#"fleet.yaml:3:23: the disk warning threshold (90) must be below the critical one (80)
 3 |   thresholds: { disk: [90, 80], ram: 150, cpu: 0 }
   |                       ^
  hint: write `disk: [WARNING, CRITICAL]`, e.g. `disk: [80, 90]`

fleet.yaml:3:38: `ram` (percent) is 150, out of range
 3 |   thresholds: { disk: [90, 80], ram: 150, cpu: 0 }
   |                                      ^^^
  hint: use a whole number from 1 to 100

fleet.yaml:3:48: `cpu` (percent) is 0, out of range
 3 |   thresholds: { disk: [90, 80], ram: 150, cpu: 0 }
   |                                                ^
  hint: use a whole number from 1 to 100
error: the fleet is invalid: 3 problems in 1 file
"#,
    );
}

#[test]
fn alert_settings() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
defaults:
  alerts: { clear_margin: 60, raise_after: 0, cpu_window: 5x, reminders: { urgent: 4h, critical: 10s } }
machines:
  web1:
    address: web1.lan
    alerts: { containers: maybe, raise_afterr: 2 }
"#,
        )],
        r#"fleet.yaml:3:27: `clear_margin` (percentage points) is 60, out of range
 3 |   alerts: { clear_margin: 60, raise_after: 0, cpu_window: 5x, reminders: { urgent: 4h, critical: 10s } }
   |                           ^^
  hint: use a whole number from 0 to 50

fleet.yaml:3:44: `raise_after` (evaluations) is 0, out of range
 3 |   alerts: { clear_margin: 60, raise_after: 0, cpu_window: 5x, reminders: { urgent: 4h, critical: 10s } }
   |                                            ^
  hint: use a whole number from 1 to 1000

fleet.yaml:3:59: `cpu_window` must be a duration, found `5x`
 3 |   alerts: { clear_margin: 60, raise_after: 0, cpu_window: 5x, reminders: { urgent: 4h, critical: 10s } }
   |                                                           ^^
  hint: write it like `90s`, `30m`, `1h30m` or `2d`, from 0s to 1d

fleet.yaml:3:76: `urgent` in `reminders` is not a severity
 3 |   alerts: { clear_margin: 60, raise_after: 0, cpu_window: 5x, reminders: { urgent: 4h, critical: 10s } }
   |                                                                            ^^^^^^
  hint: valid severities: low, medium, high, critical

fleet.yaml:3:98: the `critical` reminder interval is 10s, out of range
 3 |   alerts: { clear_margin: 60, raise_after: 0, cpu_window: 5x, reminders: { urgent: 4h, critical: 10s } }
   |                                                                                                  ^^^
  hint: use a duration from 1m to 30d

fleet.yaml:7:27: `containers` must be true or false, found `maybe`
 7 |     alerts: { containers: maybe, raise_afterr: 2 }
   |                           ^^^^^

fleet.yaml:7:34: unknown key `raise_afterr` in `alerts`
 7 |     alerts: { containers: maybe, raise_afterr: 2 }
   |                                  ^^^^^^^^^^^^
  hint: did you mean `raise_after`? valid keys: clear_margin, raise_after, clear_after, cpu_window, containers, reminders, actions
error: the fleet is invalid: 7 problems in 1 file
"#,
    );
}

#[test]
fn missing_source() {
    assert_invalid(
        &[
            (
                "packs/dev.yaml",
                r#"files:
  - { path: ~/.bashrc.d/aliases.sh, source: files/alias.sh }
  - { path: ~/.vimrc, source: files/vimrc }
"#,
            ),
            (
                "packs/files/aliases.sh",
                r#"alias ll='ls -l'
"#,
            ),
        ],
        r#"packs/dev.yaml:2:45: source file `packs/files/alias.sh` does not exist in commit {HEAD} (HEAD)
 2 |   - { path: ~/.bashrc.d/aliases.sh, source: files/alias.sh }
   |                                             ^^^^^^^^^^^^^^
  hint: did you mean `packs/files/aliases.sh`? the path is relative to packs/

packs/dev.yaml:3:31: source file `packs/files/vimrc` does not exist in commit {HEAD} (HEAD)
 3 |   - { path: ~/.vimrc, source: files/vimrc }
   |                               ^^^^^^^^^^^
  hint: add the file to packs/files/; the path is relative to packs/
error: the fleet is invalid: 2 problems in 1 file
"#,
    );
}

#[test]
fn sudo_password_in_clear() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
machines:
  web1:
    address: web1.lan
    ssh: { user: admin, sudo_password: hunter2 }
"#,
        )],
        r#"fleet.yaml:5:40: a sudo password must not be written in fleet.yaml
  hint: store it with `homelabcmd secrets set NAME` and write `sudo_password: secret:NAME`
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn bad_duration() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
defaults:
  offline_after: 3 minutes
machines:
  web1: { address: web1.lan, offline_after: 2s }
"#,
        )],
        r#"fleet.yaml:3:18: `offline_after` must be a duration, found `3 minutes`
 3 |   offline_after: 3 minutes
   |                  ^^^^^^^^^
  hint: write it like `90s`, `30m`, `1h30m` or `2d`, from 10s to 30d

fleet.yaml:5:45: `offline_after` is 2s, out of range
 5 |   web1: { address: web1.lan, offline_after: 2s }
   |                                             ^^
  hint: use a duration from 10s to 30d
error: the fleet is invalid: 2 problems in 1 file
"#,
    );
}

#[test]
fn unknown_group_machine() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
machines:
  pihole-master: { address: 10.0.0.2 }
  pihole-backup: { address: 10.0.0.3 }
groups:
  dns: { machines: [pihole-master, pihole-bakup], stagger: 30m }
"#,
        )],
        r#"fleet.yaml:6:36: unknown machine `pihole-bakup`
 6 |   dns: { machines: [pihole-master, pihole-bakup], stagger: 30m }
   |                                    ^^^^^^^^^^^^
  hint: did you mean `pihole-backup`? valid machines: pihole-master, pihole-backup
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn bad_mode_and_path() {
    assert_invalid(
        &[(
            "packs/dev.yaml",
            r#"files:
  - { path: .bashrc, content: "x" }
  - { path: ~/.profile, content: "x", mode: "0999" }
  - { path: ~/../etc/passwd, content: "x" }
"#,
        )],
        r#"packs/dev.yaml:2:13: `.bashrc` is not a usable target path
 2 |   - { path: .bashrc, content: "x" }
   |             ^^^^^^^
  hint: write an absolute path or one under the home directory like `~/.config/git/config`, without `..`, a trailing `/`, backslashes or control characters

packs/dev.yaml:3:45: `0999` is not a file mode
 3 |   - { path: ~/.profile, content: "x", mode: "0999" }
   |                                             ^^^^^^
  hint: write the octal mode, e.g. `mode: "0644"` or `mode: "0755"`

packs/dev.yaml:4:13: `~/../etc/passwd` is not a usable target path
 4 |   - { path: ~/../etc/passwd, content: "x" }
   |             ^^^^^^^^^^^^^^^
  hint: write an absolute path or one under the home directory like `~/.config/git/config`, without `..`, a trailing `/`, backslashes or control characters
error: the fleet is invalid: 3 problems in 1 file
"#,
    );
}

#[test]
fn bad_packages() {
    assert_invalid(
        &[(
            "packs/dev.yaml",
            r#"packages:
  - curl: "~8.5"
  - Git
  - [a, b]
  - jq
  - jq
"#,
        )],
        r#"packs/dev.yaml:2:11: `~8.5` is not a version constraint
 2 |   - curl: "~8.5"
   |           ^^^^^^
  hint: write an operator and a version: `>= 8.5`, `= 2.39.2-1`; operators: >=, >, =, <=, <

packs/dev.yaml:3:5: `Git` is not a valid package name
 3 |   - Git
   |     ^^^
  hint: Debian package names are lowercase letters, digits, `+`, `-` and `.`

packs/dev.yaml:4:5: a package must be a name or `name: "CONSTRAINT"`, found a list
 4 |   - [a, b]
   |     ^
  hint: e.g. `- git` or `- curl: ">= 8.5"`

packs/dev.yaml:6:5: package `jq` is listed twice
 6 |   - jq
   |     ^^
error: the fleet is invalid: 4 problems in 1 file
"#,
    );
}

#[test]
fn pack_conflict() {
    assert_invalid(
        &[
            (
                "fleet.yaml",
                r#"version: 1
machines:
  web1:
    address: web1.lan
    packs: [base, web]
"#,
            ),
            (
                "packs/web.yaml",
                r##"files:
  - { path: ~/.bashrc, content: "# other\n" }
"##,
            ),
        ],
        r#"fleet.yaml:3:3: packs `base` and `web` of machine `web1` both set `~/.bashrc`, differently
 3 |   web1:
   |   ^
  hint: keep it in one pack, or make `web` extend `base` so it may override it
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn pack_name_mismatch() {
    assert_invalid(
        &[(
            "packs/web.yaml",
            r#"name: webserver
"#,
        )],
        r#"packs/web.yaml:1:7: the pack in `packs/web.yaml` is named `webserver`
 1 | name: webserver
   |       ^^^^^^^^^
  hint: a pack's name is its file name: write `name: web` or rename the file
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn file_source_and_content() {
    assert_invalid(
        &[(
            "packs/web.yaml",
            r#"files:
  - { path: ~/.a, source: files/bashrc, content: "x" }
  - { path: ~/.b, mode: "0644" }
"#,
        )],
        r#"packs/web.yaml:2:50: `~/.a` has both `source` and `content`
 2 |   - { path: ~/.a, source: files/bashrc, content: "x" }
   |                                                  ^^^
  hint: keep one: `source` names a file under packs/, `content` is the text itself

packs/web.yaml:3:5: `~/.b` has neither `source` nor `content`
 3 |   - { path: ~/.b, mode: "0644" }
   |     ^
  hint: add `source: files/NAME` (a file under packs/) or `content: |` with the text
error: the fleet is invalid: 2 problems in 1 file
"#,
    );
}

#[test]
fn command_placeholders() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
machines:
  web1: { address: web1.lan }
commands:
  tail-log:
    run: "tail -n {line} {file}"
    params:
      file: { type: path }
      lines: int
  purge: { sudo: maybe }
"#,
        )],
        r#"fleet.yaml:6:10: `{line}` in `run` is not a declared parameter
 6 |     run: "tail -n {line} {file}"
   |          ^^^^^^^^^^^^^^^^^^^^^^^
  hint: did you mean `lines`? valid parameters: file, lines

fleet.yaml:6:10: parameter `lines` is declared but `run` never uses `{lines}`
 6 |     run: "tail -n {line} {file}"
   |          ^^^^^^^^^^^^^^^^^^^^^^^

fleet.yaml:8:13: a `path` parameter needs the prefixes it may be under
 8 |       file: { type: path }
   |             ^
  hint: write `{ type: path, prefix: [/var/log] }`

fleet.yaml:10:3: command `purge` has no `run`
 10 |   purge: { sudo: maybe }
    |   ^^^^^
  hint: add it, e.g. `run: "systemctl restart {service}"`
error: the fleet is invalid: 4 problems in 1 file
"#,
    );
}

#[test]
fn notify_targets() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
defaults:
  notify:
    - slack: hooks.slack.com/x
    - email: me@example.com
  electricity: { price_per_kwh: cheap, currency: pounds }
machines:
  web1: { address: web1.lan }
"#,
        )],
        r#"fleet.yaml:4:14: `hooks.slack.com/x` is not an http(s) URL
 4 |     - slack: hooks.slack.com/x
   |              ^^^^^^^^^^^^^^^^^
  hint: write the URL, or `secret:NAME` for one kept encrypted

fleet.yaml:5:7: unknown key `email` in a `notify` entry
 5 |     - email: me@example.com
   |       ^^^^^
  hint: valid keys: slack, webhook, ntfy, name, min_severity

fleet.yaml:6:33: `price_per_kwh` must be a number from 0 to 100, found `cheap`
 6 |   electricity: { price_per_kwh: cheap, currency: pounds }
   |                                 ^^^^^

fleet.yaml:6:50: `pounds` is not a currency code
 6 |   electricity: { price_per_kwh: cheap, currency: pounds }
   |                                                  ^^^^^^
  hint: use a three-letter ISO 4217 code such as GBP, EUR or USD
error: the fleet is invalid: 4 problems in 1 file
"#,
    );
}

#[test]
fn empty_fleet() {
    assert_invalid(
        &[("fleet.yaml", r#""#)],
        r#"fleet.yaml:1:1: fleet.yaml is empty
  hint: start from `homelabcmd init`, or write `version: 1` and `machines:`
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn not_a_mapping() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"- web1
- web2
"#,
        )],
        r#"fleet.yaml:1:1: fleet.yaml must be a mapping of `key: value`, found a list
 1 | - web1
   | ^
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn placeholders_inside_quotes() {
    // Each value is single-quoted when rendered: inside the template's own quotes, the value
    // would come out unquoted (single) or keep its quotes as text (double).
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
machines:
  web1: { address: web1.lan }
commands:
  find-word:
    run: "grep '{pattern}' /var/log/syslog"
    params: { pattern: { type: choice, values: [error, warn] } }
  say:
    run: 'echo "hello {word}" {word}'
    params: { word: { type: choice, values: [hi] } }
  fine: { run: "echo \\{x} '}' {n}", params: { n: int } }
"#,
        )],
        r#"fleet.yaml:6:10: `{pattern}` is inside single quotes in `run`: homelabcmd quotes every value itself, and quoting it again would let the value out of its quotes
 6 |     run: "grep '{pattern}' /var/log/syslog"
   |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  hint: write it bare, outside any quotes: `{pattern}`, not `'{pattern}'`

fleet.yaml:9:10: `{word}` is inside double quotes in `run`: homelabcmd quotes every value itself, and quoting it again would let the value out of its quotes
 9 |     run: 'echo "hello {word}" {word}'
   |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  hint: write it bare, outside any quotes: `{word}`, not `"{word}"`
error: the fleet is invalid: 2 problems in 1 file
"#,
    );
}

#[test]
fn machine_without_settings() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 1
machines:
  web1:
  web2: { address: web2.lan }
"#,
        )],
        r#"fleet.yaml:3:3: machine `web1` has no settings
 3 |   web1:
   |   ^^^^
  hint: give it at least an address, e.g. `web1: { address: web1.lan }`
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn version_two() {
    assert_invalid(
        &[(
            "fleet.yaml",
            r#"version: 2
machines:
  web1: { address: web1.lan }
"#,
        )],
        r#"fleet.yaml:1:10: fleet.yaml version `2` is not one this homelabcmd reads
 1 | version: 2
   |          ^
  hint: write `version: 1`; a newer fleet.yaml needs a newer homelabcmd
error: the fleet is invalid: 1 problem in 1 file
"#,
    );
}

#[test]
fn errors_in_several_files() {
    assert_invalid(
        &[
            (
                "fleet.yaml",
                r#"version: 1
machines:
  web1:
    address: web1.lan
    packs: [base, extra]
    tags: [a b]
"#,
            ),
            (
                "packs/base.yaml",
                r#"files:
  - { path: ~/.bashrc, source: files/bashrc, mode: 644, ownr: me }
"#,
            ),
        ],
        r#"fleet.yaml:5:19: unknown pack `extra`
 5 |     packs: [base, extra]
   |                   ^^^^^
  hint: valid packs (files in packs/): base

fleet.yaml:6:12: `a b` in `tags` may only hold letters, digits, `_`, `-` and `.`
 6 |     tags: [a b]
   |            ^^^

packs/base.yaml:2:57: unknown key `ownr` in a file
 2 |   - { path: ~/.bashrc, source: files/bashrc, mode: 644, ownr: me }
   |                                                         ^^^^
  hint: did you mean `owner`? valid keys: path, source, content, mode, owner, group
error: the fleet is invalid: 3 problems in 2 files
"#,
    );
}
