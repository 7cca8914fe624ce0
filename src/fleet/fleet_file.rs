//! Decoding `fleet.yaml`: machines, defaults, groups and the command whitelist. References to
//! other things (packs, machines, secrets) are collected as `Ref`s for `validate` to check.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

use super::decode::{Decoder, Fields};
use super::diagnostic::Pos;
use super::model::{
    CommandSpec, ConnectMode, Defaults, Electricity, Fleet, Group, Machine, MachineType,
    NotifyKind, NotifyTarget, ParamType, SshSettings, Thresholds, Value,
};
use super::template::{self, Piece};
use super::yaml::{Kind, Node};

/// A name used in one place that must exist somewhere else.
#[derive(Debug, Clone)]
pub(crate) struct Ref {
    pub(crate) kind: RefKind,
    pub(crate) name: String,
    pub(crate) file: String,
    pub(crate) pos: Pos,
    pub(crate) end: Pos,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RefKind {
    /// A pack assigned to a machine.
    Pack,
    /// A pack named in another pack's `extends`.
    Extends { from: String },
    /// A machine named in a group.
    Machine,
    /// A file under `packs/` named as a pack file's `source`.
    Source,
    /// An encrypted secret named as `secret:NAME`.
    Secret,
}

impl Ref {
    pub(crate) fn at(kind: RefKind, name: &str, file: &str, node: &Node) -> Self {
        Self {
            kind,
            name: name.to_string(),
            file: file.to_string(),
            pos: node.pos,
            end: node.end,
        }
    }
}

const TOP_KEYS: &[&str] = &["version", "defaults", "machines", "groups", "commands"];
const DEFAULT_KEYS: &[&str] = &[
    "ssh",
    "offline_after",
    "thresholds",
    "alerts",
    "electricity",
    "notify",
];
const MACHINE_KEYS: &[&str] = &[
    "name",
    "type",
    "address",
    "connect",
    "tdp_w",
    "location",
    "tags",
    "services",
    "packs",
    "ssh",
    "offline_after",
    "thresholds",
    "alerts",
];
const SSH_KEYS: &[&str] = &[
    "user",
    "port",
    "identity",
    "sudo_password",
    "connect_timeout",
    "command_timeout",
];
const THRESHOLD_KEYS: &[&str] = &["disk", "ram", "cpu"];
const GROUP_KEYS: &[&str] = &["machines", "stagger"];
const COMMAND_KEYS: &[&str] = &["run", "sudo", "params", "description", "timeout"];

/// Decode fleet.yaml. Packs are filled in by the loader.
/// `declared` receives every machine id written, valid or not, so that references to a
/// broken machine are not reported as unknown.
pub(crate) fn decode(
    d: &mut Decoder<'_>,
    root: &Node,
    refs: &mut Vec<Ref>,
    declared: &mut Vec<String>,
) -> Fleet {
    let mut fleet = Fleet {
        version: 1,
        defaults: Defaults::default(),
        machines: Vec::new(),
        groups: Vec::new(),
        commands: Vec::new(),
        packs: BTreeMap::new(),
    };
    if root.is_null() {
        d.error(root, "fleet.yaml is empty").hint =
            Some("start from `homelabcmd init`, or write `version: 1` and `machines:`".into());
        return fleet;
    }
    let Some(top) = d.fields(root, "fleet.yaml", TOP_KEYS) else {
        return fleet;
    };
    if let Some(v) = top.get("version")
        && v.as_scalar() != Some("1")
    {
        d.error(
            v,
            format!(
                "fleet.yaml version `{}` is not one this homelabcmd reads",
                v.as_scalar().unwrap_or("?")
            ),
        )
        .hint = Some("write `version: 1`; a newer fleet.yaml needs a newer homelabcmd".into());
    }
    if let Some(node) = top.get("defaults") {
        fleet.defaults = defaults(d, node, refs);
    }
    match top.get("machines") {
        Some(node) => fleet.machines = machines(d, node, &fleet.defaults, refs, declared),
        None => {
            d.error(root, "fleet.yaml has no `machines`").hint = Some(
                "add `machines:` with at least one machine, e.g. `web1: { address: web1.lan }`"
                    .into(),
            );
        }
    }
    if let Some(node) = top.get("groups") {
        fleet.groups = groups(d, node, refs);
    }
    if let Some(node) = top.get("commands") {
        fleet.commands = commands(d, node);
    }
    super::alerts_file::check_actions(d, &fleet);
    fleet
}

fn defaults(d: &mut Decoder<'_>, node: &Node, refs: &mut Vec<Ref>) -> Defaults {
    let mut out = Defaults::default();
    let Some(f) = d.fields(node, "`defaults`", DEFAULT_KEYS) else {
        return out;
    };
    if let Some(n) = f.get("ssh") {
        out.ssh = ssh(d, n, "`defaults.ssh`", refs);
    }
    if let Some(n) = f.get("offline_after") {
        out.offline_after = offline_after(d, n).unwrap_or(out.offline_after);
    }
    if let Some(n) = f.get("thresholds") {
        out.thresholds = thresholds(d, n, Thresholds::default());
    }
    if let Some(n) = f.get("alerts") {
        out.alerts = super::alerts_file::alert_settings(d, n, &out.alerts);
    }
    if let Some(n) = f.get("electricity") {
        out.electricity = electricity(d, n);
    }
    if let Some(n) = f.get("notify") {
        out.notify = notify(d, n, refs);
    }
    out
}

fn offline_after(d: &mut Decoder<'_>, node: &Node) -> Option<Duration> {
    d.duration(
        node,
        "`offline_after`",
        Duration::from_secs(10),
        Duration::from_secs(30 * 86_400),
    )
}

fn machines(
    d: &mut Decoder<'_>,
    node: &Node,
    defaults: &Defaults,
    refs: &mut Vec<Ref>,
    declared: &mut Vec<String>,
) -> Vec<Machine> {
    let mut out = Vec::new();
    let Some(entries) = d.entries(node, "`machines`") else {
        return out;
    };
    for (id, key, value) in entries {
        declared.push(id.to_string());
        if let Some(complaint) = check_id(id) {
            d.error(key, format!("machine id `{id}` {complaint}")).hint = Some(
                "machine ids are lowercase letters, digits and `-`, like `omv-homeserver`".into(),
            );
            continue;
        }
        if let Some(m) = machine(d, id, key, value, defaults, refs) {
            out.push(m);
        }
    }
    out
}

fn machine(
    d: &mut Decoder<'_>,
    id: &str,
    key: &Node,
    node: &Node,
    defaults: &Defaults,
    refs: &mut Vec<Ref>,
) -> Option<Machine> {
    let what = format!("machine `{id}`");
    if node.is_null() {
        d.error(key, format!("{what} has no settings")).hint = Some(format!(
            "give it at least an address, e.g. `{id}: {{ address: {id}.lan }}`"
        ));
        return None;
    }
    let f = d.fields(node, &what, MACHINE_KEYS)?;
    let kind = match f.get("type") {
        None => Some(MachineType::Server),
        Some(n) => choice(d, n, "`type`", MachineType::NAMES).map(|i| match i {
            0 => MachineType::Server,
            _ => MachineType::Workstation,
        }),
    };
    let address = d
        .require(
            &f,
            key,
            "address",
            &what,
            &format!("address: {id}.tail1234.ts.net"),
        )
        .and_then(|n| address(d, n));
    let connect = match f.get("connect") {
        None => Some(match &address {
            Some(a) if a.ends_with(".ts.net") => ConnectMode::Tailscale,
            _ => ConnectMode::Direct,
        }),
        Some(n) => choice(d, n, "`connect`", ConnectMode::NAMES).map(|i| match i {
            0 => ConnectMode::Tailscale,
            _ => ConnectMode::Direct,
        }),
    };
    let tdp_w = f
        .get("tdp_w")
        .and_then(|n| d.int(n, "`tdp_w` (watts)", 0, 5000));
    let packs = f
        .get("packs")
        .map(|n| words_with_refs(d, n, "`packs`", RefKind::Pack, refs))
        .unwrap_or_default();
    // Everything is decoded before any `?`, so one bad field does not hide the others.
    let name = f.get("name").and_then(|n| d.string(n, "`name`"));
    let location = f.get("location").and_then(|n| d.string(n, "`location`"));
    let tags = f.get("tags").map(|n| d.words(n, "`tags`", check_word));
    let services = f
        .get("services")
        .map(|n| d.words(n, "`services`", check_unit));
    let ssh = f
        .get("ssh")
        .map(|n| ssh(d, n, &format!("`ssh` of {what}"), refs));
    let offline_after = f.get("offline_after").and_then(|n| offline_after(d, n));
    let thresholds = f
        .get("thresholds")
        .map(|n| thresholds(d, n, defaults.thresholds));
    let alerts = f
        .get("alerts")
        .map(|n| super::alerts_file::alert_settings(d, n, &defaults.alerts));
    Some(Machine {
        id: id.to_string(),
        name: name.unwrap_or_else(|| id.to_string()),
        kind: kind?,
        address: address?,
        connect: connect?,
        tdp_w: tdp_w.map(|w| w as u32),
        location,
        tags: tags.unwrap_or_default(),
        services: services.unwrap_or_default(),
        packs,
        ssh: ssh.unwrap_or_default(),
        offline_after,
        thresholds: thresholds.unwrap_or(defaults.thresholds),
        alerts: alerts.unwrap_or_else(|| defaults.alerts.clone()),
        pos: key.pos,
    })
}

/// A list of names that refer to things defined elsewhere (checked later).
fn words_with_refs(
    d: &mut Decoder<'_>,
    node: &Node,
    what: &str,
    kind: RefKind,
    refs: &mut Vec<Ref>,
) -> Vec<String> {
    let words = d.words(node, what, |_| None);
    if let Kind::Seq(items) = &node.kind {
        for item in items {
            if let Some(name) = item.as_scalar().filter(|n| words.iter().any(|w| w == n)) {
                refs.push(Ref::at(kind.clone(), name, d.file, item));
            }
        }
    }
    words
}

/// Index of the word in `names`, or an error naming the valid ones.
pub(crate) fn choice(
    d: &mut Decoder<'_>,
    node: &Node,
    what: &str,
    names: &[&str],
) -> Option<usize> {
    let text = d.string(node, what)?;
    match names.iter().position(|n| *n == text) {
        Some(i) => Some(i),
        None => {
            let hint = super::diagnostic::suggest(&text, "values", names);
            d.error(node, format!("{what} cannot be `{text}`")).hint = Some(hint);
            None
        }
    }
}

fn value(d: &mut Decoder<'_>, node: &Node, what: &str, refs: &mut Vec<Ref>) -> Option<Value> {
    let text = d.string(node, what)?;
    let value = Value::parse(&text);
    if let Value::Secret(name) = &value {
        if check_word(name).is_some() {
            d.error(node, format!("`{text}` is not a valid secret reference"))
                .hint =
                Some("write `secret:NAME`, NAME made of letters, digits, `_` and `-`".into());
            return None;
        }
        refs.push(Ref::at(RefKind::Secret, name, d.file, node));
    }
    Some(value)
}

fn ssh(d: &mut Decoder<'_>, node: &Node, what: &str, refs: &mut Vec<Ref>) -> SshSettings {
    let mut out = SshSettings::default();
    let Some(f) = d.fields(node, what, SSH_KEYS) else {
        return out;
    };
    if let Some(n) = f.get("user") {
        out.user = d.string(n, "`user`").filter(|u| {
            let ok = check_user(u);
            if !ok {
                d.error(n, format!("`{u}` is not a valid user name"))
                    .hint = Some("user names are lowercase letters, digits, `_`, `-`, starting with a letter or `_`".into());
            }
            ok
        });
    }
    if let Some(n) = f.get("port") {
        out.port = d.int(n, "`port`", 1, 65_535).map(|p| p as u16);
    }
    if let Some(n) = f.get("identity") {
        out.identity = value(d, n, "`identity`", refs);
    }
    if let Some(n) = f.get("sudo_password") {
        out.sudo_password = value(d, n, "`sudo_password`", refs).filter(|v| {
            let secret = matches!(v, Value::Secret(_));
            if !secret {
                let e = d.error(n, "a sudo password must not be written in fleet.yaml");
                e.secret = true;
                e.hint = Some("store it with `homelabcmd secrets set NAME` and write `sudo_password: secret:NAME`".into());
            }
            secret
        });
    }
    let timeout = |d: &mut Decoder<'_>, n: &Node, w: &str| {
        d.duration(n, w, Duration::from_secs(1), Duration::from_secs(3600))
    };
    if let Some(n) = f.get("connect_timeout") {
        out.connect_timeout = timeout(d, n, "`connect_timeout`");
    }
    if let Some(n) = f.get("command_timeout") {
        out.command_timeout = timeout(d, n, "`command_timeout`");
    }
    out
}

fn thresholds(d: &mut Decoder<'_>, node: &Node, base: Thresholds) -> Thresholds {
    let mut out = base;
    let Some(f) = d.fields(node, "`thresholds`", THRESHOLD_KEYS) else {
        return out;
    };
    let pct = |d: &mut Decoder<'_>, n: &Node, w: &str| d.int(n, w, 1, 100).map(|v| v as u8);
    if let Some(n) = f.get("disk") {
        match &n.kind {
            Kind::Seq(items) if items.len() == 2 => {
                let w = pct(d, &items[0], "the disk warning threshold");
                let c = pct(d, &items[1], "the disk critical threshold");
                if let (Some(w), Some(c)) = (w, c) {
                    if w < c {
                        (out.disk_warning, out.disk_critical) = (w, c);
                    } else {
                        d.error(n, format!("the disk warning threshold ({w}) must be below the critical one ({c})"))
                            .hint = Some("write `disk: [WARNING, CRITICAL]`, e.g. `disk: [80, 90]`".into());
                    }
                }
            }
            _ => {
                d.error(
                    n,
                    format!("`disk` must be two percentages, found {}", n.describe()),
                )
                .hint = Some("write `disk: [WARNING, CRITICAL]`, e.g. `disk: [80, 90]`".into());
            }
        }
    }
    if let Some(n) = f.get("ram") {
        out.ram = pct(d, n, "`ram` (percent)").unwrap_or(out.ram);
    }
    if let Some(n) = f.get("cpu") {
        out.cpu = pct(d, n, "`cpu` (percent)").unwrap_or(out.cpu);
    }
    out
}

fn electricity(d: &mut Decoder<'_>, node: &Node) -> Electricity {
    let mut out = Electricity::default();
    let Some(f) = d.fields(node, "`electricity`", &["price_per_kwh", "currency"]) else {
        return out;
    };
    if let Some(n) = f.get("price_per_kwh") {
        out.price_per_kwh = d
            .number(n, "`price_per_kwh`", 0.0, 100.0)
            .unwrap_or(out.price_per_kwh);
    }
    if let Some(n) = f.get("currency")
        && let Some(c) = d.string(n, "`currency`")
    {
        if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()) {
            out.currency = c;
        } else {
            d.error(n, format!("`{c}` is not a currency code")).hint =
                Some("use a three-letter ISO 4217 code such as GBP, EUR or USD".into());
        }
    }
    out
}

fn notify(d: &mut Decoder<'_>, node: &Node, refs: &mut Vec<Ref>) -> Vec<NotifyTarget> {
    const KEYS: &[&str] = &["slack", "webhook", "ntfy", "name", "min_severity"];
    let mut out: Vec<NotifyTarget> = Vec::new();
    for item in d.list(node, "`notify`").unwrap_or_default() {
        let Some(f) = d.fields(item, "a `notify` entry", KEYS) else {
            continue;
        };
        let kinds: Vec<(NotifyKind, &Node)> = NotifyKind::ALL
            .into_iter()
            .filter_map(|k| f.get(k.as_str()).map(|n| (k, n)))
            .collect();
        let Some(&(kind, n)) = kinds.first() else {
            if !matches!(&item.kind, Kind::Map(entries) if !entries.is_empty()) {
                // (a mapping with only unknown keys was reported already)
                d.error(item, "a `notify` entry names no target").hint = Some(
                    "write e.g. `- slack: secret:slack_webhook` or `- ntfy: https://ntfy.sh/topic`"
                        .into(),
                );
            }
            continue;
        };
        if kinds.len() > 1 {
            d.error(item, "a `notify` entry names more than one target")
                .hint = Some("write one `- kind: url` entry per target".into());
            continue;
        }
        // Each part is checked (and reported) before an entry with any bad part is dropped.
        let min_severity = match f.get("min_severity") {
            Some(s) => severity(d, s),
            None => Some(crate::alerts::Severity::Low),
        };
        let name = match f.get("name") {
            Some(n) => target_name(d, n, &out),
            None => Some(default_target_name(kind, &out)),
        };
        let url = value(d, n, &format!("`{}`", kind.as_str()), refs);
        let (Some(min_severity), Some(name), Some(v)) = (min_severity, name, url) else {
            continue;
        };
        if let Value::Plain(url) = &v
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            d.error(n, format!("`{url}` is not an http(s) URL")).hint =
                Some("write the URL, or `secret:NAME` for one kept encrypted".into());
            continue;
        }
        out.push(NotifyTarget {
            name,
            kind,
            url: v,
            min_severity,
        });
    }
    out
}

fn severity(d: &mut Decoder<'_>, node: &Node) -> Option<crate::alerts::Severity> {
    use crate::alerts::Severity;
    let text = d.string(node, "`min_severity`")?;
    let found = Severity::parse(&text);
    if found.is_none() {
        let names: Vec<&str> = Severity::ALL.iter().map(|s| s.as_str()).collect();
        d.error(node, format!("`{text}` is not a severity")).hint =
            Some(format!("use one of {} (lowest first)", names.join(", ")));
    }
    found
}

fn target_name(d: &mut Decoder<'_>, node: &Node, earlier: &[NotifyTarget]) -> Option<String> {
    let name = d.string(node, "`name`")?;
    if let Some(complaint) = check_id(&name) {
        d.error(node, format!("target name `{name}` {complaint}"));
        return None;
    }
    if earlier.iter().any(|t| t.name == name) {
        d.error(node, format!("two `notify` targets are called `{name}`"))
            .hint = Some("give each target its own `name`".into());
        return None;
    }
    Some(name)
}

/// `slack` for the first Slack target, `slack-2` for the second, and so on.
fn default_target_name(kind: NotifyKind, earlier: &[NotifyTarget]) -> String {
    let base = kind.as_str();
    (1..)
        .map(|i| {
            if i == 1 {
                base.to_string()
            } else {
                format!("{base}-{i}")
            }
        })
        .find(|candidate| earlier.iter().all(|t| &t.name != candidate))
        .expect("an unused name")
}

fn groups(d: &mut Decoder<'_>, node: &Node, refs: &mut Vec<Ref>) -> Vec<Group> {
    let mut out = Vec::new();
    for (name, key, value) in d.entries(node, "`groups`").unwrap_or_default() {
        if let Some(complaint) = check_id(name) {
            d.error(key, format!("group name `{name}` {complaint}"));
            continue;
        }
        let what = format!("group `{name}`");
        let Some(f) = d.fields(value, &what, GROUP_KEYS) else {
            continue;
        };
        let machines = d
            .require(
                &f,
                key,
                "machines",
                &what,
                "machines: [pihole-master, pihole-backup]",
            )
            .map(|n| words_with_refs(d, n, "`machines`", RefKind::Machine, refs))
            .unwrap_or_default();
        let stagger = f.get("stagger").and_then(|n| {
            d.duration(
                n,
                "`stagger`",
                Duration::from_secs(0),
                Duration::from_secs(86_400),
            )
        });
        out.push(Group {
            name: name.to_string(),
            machines,
            stagger,
        });
    }
    out
}

fn commands(d: &mut Decoder<'_>, node: &Node) -> Vec<CommandSpec> {
    let mut out = Vec::new();
    for (name, key, value) in d.entries(node, "`commands`").unwrap_or_default() {
        if let Some(complaint) = check_id(name) {
            d.error(key, format!("command name `{name}` {complaint}"));
            continue;
        }
        let what = format!("command `{name}`");
        let Some(f) = d.fields(value, &what, COMMAND_KEYS) else {
            continue;
        };
        let Some(run_node) = d.require(
            &f,
            key,
            "run",
            &what,
            "run: \"systemctl restart {service}\"",
        ) else {
            continue;
        };
        let Some(run) = d.string(run_node, "`run`") else {
            continue;
        };
        let (params, declared) = f.get("params").map(|n| params(d, n)).unwrap_or_default();
        check_placeholders(d, run_node, &run, &declared);
        out.push(CommandSpec {
            name: name.to_string(),
            description: f
                .get("description")
                .and_then(|n| d.string(n, "`description`")),
            run,
            sudo: f
                .get("sudo")
                .and_then(|n| d.bool(n, "`sudo`"))
                .unwrap_or(false),
            params,
            timeout: f.get("timeout").and_then(|n| {
                d.duration(
                    n,
                    "`timeout`",
                    Duration::from_secs(1),
                    Duration::from_secs(86_400),
                )
            }),
        });
    }
    out
}

/// The parameters with a valid type, and the names of all that were declared.
fn params(d: &mut Decoder<'_>, node: &Node) -> (BTreeMap<String, ParamType>, Vec<String>) {
    let mut out = BTreeMap::new();
    let mut declared = Vec::new();
    for (name, key, value) in d.entries(node, "`params`").unwrap_or_default() {
        declared.push(name.to_string());
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            d.error(
                key,
                format!("parameter name `{name}` must be lowercase letters, digits and `_`"),
            );
            continue;
        }
        if let Some(t) = param_type(d, value) {
            out.insert(name.to_string(), t);
        }
    }
    (out, declared)
}

fn param_type(d: &mut Decoder<'_>, node: &Node) -> Option<ParamType> {
    let (type_node, f): (&Node, Option<Fields<'_>>) = match &node.kind {
        Kind::Map(_) => {
            let f = d.fields(
                node,
                "a parameter",
                &["type", "prefix", "min", "max", "values"],
            )?;
            (
                d.require(&f, node, "type", "a parameter", "type: path")?,
                Some(f),
            )
        }
        _ => (node, None),
    };
    let kind = choice(d, type_node, "a parameter type", ParamType::NAMES)?;
    let get = |k: &str| f.as_ref().and_then(|f| f.get(k));
    Some(match ParamType::NAMES[kind] {
        "unit" => ParamType::Unit,
        "container" => ParamType::Container,
        "path" => {
            let Some(prefix) = get("prefix") else {
                d.error(
                    node,
                    "a `path` parameter needs the prefixes it may be under",
                )
                .hint = Some("write `{ type: path, prefix: [/var/log] }`".into());
                return None;
            };
            let prefixes = d.words(prefix, "`prefix`", |p| {
                (!p.starts_with('/') || p.split('/').any(|c| c == ".."))
                    .then(|| "must be an absolute path without `..`".to_string())
            });
            ParamType::Path { prefixes }
        }
        "int" => {
            let min = get("min")
                .and_then(|n| d.int(n, "`min`", i64::MIN, i64::MAX))
                .unwrap_or(0);
            let max = get("max")
                .and_then(|n| d.int(n, "`max`", i64::MIN, i64::MAX))
                .unwrap_or(i64::MAX);
            ParamType::Int { min, max }
        }
        _ => {
            let Some(values) = get("values") else {
                d.error(node, "a `choice` parameter needs its `values`")
                    .hint = Some("write `{ type: choice, values: [soft, hard] }`".into());
                return None;
            };
            ParamType::Choice {
                values: d.words(values, "`values`", check_word),
            }
        }
    })
}

/// Every `{name}` in `run` is a declared parameter, written bare (not inside quotes), and
/// every parameter is used.
fn check_placeholders(d: &mut Decoder<'_>, node: &Node, run: &str, declared: &[String]) {
    let mut used = Vec::new();
    for piece in template::pieces(run) {
        if let Piece::Param { name, inside } = piece {
            used.push(name);
            if let Some(quote) = inside {
                d.error(
                    node,
                    format!(
                        "`{{{name}}}` is inside {} in `run`: homelabcmd quotes every value \
                         itself, and quoting it again would let the value out of its quotes",
                        quote.describe()
                    ),
                )
                .hint = Some(format!(
                    "write it bare, outside any quotes: `{{{name}}}`, not `{q}{{{name}}}{q}`",
                    q = quote.mark()
                ));
            }
        }
    }
    for name in &used {
        if !declared.iter().any(|d| d == name) {
            let known: Vec<&str> = declared.iter().map(String::as_str).collect();
            let hint = super::diagnostic::suggest(name, "parameters", &known);
            d.error(
                node,
                format!("`{{{name}}}` in `run` is not a declared parameter"),
            )
            .hint = Some(hint);
        }
    }
    for name in declared {
        if !used.contains(&name.as_str()) {
            d.error(
                node,
                format!("parameter `{name}` is declared but `run` never uses `{{{name}}}`"),
            );
        }
    }
}

/// Why `id` is not a valid machine, group or command name, if it is not.
pub(crate) fn check_id(id: &str) -> Option<String> {
    if id.is_empty() || id.len() > 63 {
        return Some("must be 1 to 63 characters long".into());
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Some("may only hold lowercase letters, digits and `-`".into());
    }
    if id.starts_with('-') || id.ends_with('-') {
        return Some("must not start or end with `-`".into());
    }
    None
}

/// Tags, choices, secret names: letters, digits, `_`, `-`, `.`.
fn check_word(w: &str) -> Option<String> {
    let ok = !w.is_empty()
        && w.len() <= 64
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    (!ok).then(|| "may only hold letters, digits, `_`, `-` and `.`".into())
}

/// A systemd unit name as `systemctl` accepts it.
pub(crate) fn check_unit(u: &str) -> Option<String> {
    let ok = !u.is_empty()
        && u.len() <= 255
        && !u.starts_with('-')
        && u.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.' | '@' | '\\'));
    (!ok).then(|| "is not a systemd unit name".into())
}

fn check_user(u: &str) -> bool {
    let mut chars = u.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && u.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-'))
}

/// A host name or an IP address, without scheme, user or port.
fn address(d: &mut Decoder<'_>, node: &Node) -> Option<String> {
    let text = d.string(node, "`address`")?;
    let bare = text.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<IpAddr>().is_ok() {
        return Some(bare.to_string());
    }
    let hint = if text.contains("://") {
        "write only the host name or IP address, without a scheme"
    } else if text.contains('@') {
        "write only the host; the SSH user goes in `ssh: { user: NAME }`"
    } else if text
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        "write only the host; the port goes in `ssh: { port: N }`"
    } else {
        "a host name is dot-separated labels of letters, digits and `-` (e.g. `nas.tail1234.ts.net`), or an IPv4/IPv6 address"
    };
    let valid_name = text.len() <= 253
        && !text.chars().all(|c| c.is_ascii_digit() || c == '.')
        && text.trim_end_matches('.').split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if valid_name {
        Some(text)
    } else {
        d.error(node, format!("`{text}` is not a valid address"))
            .hint = Some(hint.into());
        None
    }
}
