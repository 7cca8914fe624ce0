//! The machine view: state and badges, its watts and running cost, CPU / memory / load charts over 24 h, 7 d or 30 d,
//! the 30-day availability bar, filesystems, network, services, containers (only where
//! Docker is present), system info, active and recently resolved alerts, compliance
//! mismatches by name and recent audit entries (never their output).

use maud::{Markup, html};

use super::chart::chart;
use super::data::{MachineData, Range};
use super::fleet::{compliance_badge, connect, state_text};
use super::layout::{Led, Nav, bar, led, page, severity};
use crate::alerts::Alert;
use crate::alerts::model::AlertStatus;
use crate::monitor::availability::Bucket;
use crate::monitor::state::ago;
use crate::output::{bytes, duration};
use crate::store::metrics::percent;

pub(crate) fn render(d: &MachineData, show_address: bool) -> Markup {
    let m = &d.machine;
    let s = &d.detail.status;
    let body = html! {
        h1 style="display:flex;align-items:center;gap:.5rem;font-size:1.3rem;margin:.2rem 0" {
            (led(Led::of(s))) (m.name) span.m.dim style="font-size:.9rem" { (m.id) }
        }
        div.meta data-state=(super::fleet::state_name(s.state)) {
            span.state { (state_text(s)) }
            span { @if m.kind == crate::fleet::MachineType::Workstation { "workstation" } @else { "server" } }
            span.badge { (connect(m.connect)) }
            @if show_address { span.m.address { (m.address) } }
            @if s.paused { span.badge.warn title="maintenance mode: no alerts" { "maintenance" } }
            (compliance_badge(s))
            @for t in &m.tags { span.badge { "#" (t) } }
        }
        (power(d))
        @for w in &s.warnings { p.badge.warn style="display:inline-block;margin:.4rem .4rem 0 0" { "⚠ " (w) } }
        (open_alerts(d))
        h2 { "History" }
        p.ranges {
            @for r in Range::ALL {
                a href={ "?range=" (r.name()) } aria-current=[(r == d.range).then_some("page")] { (r.name()) }
            }
        }
        div.panels {
            section.p { (chart("CPU %", &d.cpu, d.from, d.now, Some(100.0), "%")) }
            section.p { (chart("Memory %", &d.ram, d.from, d.now, Some(100.0), "%")) }
            section.p { (chart("Load (1 min)", &d.load, d.from, d.now, None, "")) }
        }
        h2 { "Availability, 30 days" }
        div.avail role="img" aria-label="availability over 30 days, one bar a day" {
            @for b in &d.availability { i.(bucket(*b)) title=(bucket(*b)) {} }
        }
        div.panels style="margin-top:.8rem" {
            (filesystems(d))
            (network(d))
            (services(d))
            (containers(d))
            (system(d))
            (compliance(d))
            (audit(d))
        }
    };
    page(&m.name, Nav::Machine, body)
}

pub(crate) fn not_found() -> Markup {
    page(
        "Not found",
        Nav::Machine,
        html! { p { "No such machine in fleet.yaml. " a href="/" { "Back to the fleet" } } },
    )
}

/// The machine's active alerts (severity, summary, value and threshold, since when, who
/// acknowledged it, the suggested action) and its recently resolved ones.
fn open_alerts(d: &MachineData) -> Markup {
    let since = |t: i64| {
        html! { time datetime=(crate::clock::rfc3339(t)) title=(crate::clock::rfc3339(t)) { (ago(d.now - t)) } }
    };
    html! {
        section.p.alerts style="margin-top:.6rem" {
            h2 { "Alerts" }
            @if d.alerts.is_empty() { p.empty { "no open alerts" } }
            @else {
                div.scroll { table {
                    tr { th { "severity" } th { "alert" } th { "value" } th { "since" } th { "state" } }
                    @for a in &d.alerts {
                        tr data-alert=(a.id) data-status=(a.status.as_str()) {
                            td { (severity(a.severity)) }
                            td { (a.summary) @if let Some(action) = &a.action { br; span.dim { "suggested: " span.m { (action) } } } }
                            td.m { (a.value.as_deref().unwrap_or("–")) @if let Some(t) = &a.threshold { span.dim { " / " (t) } } }
                            td.m { (since(a.opened_at)) }
                            td { (alert_state(a, &since)) }
                        }
                    }
                } }
            }
            @if !d.resolved.is_empty() {
                p.dim { "Recently resolved" }
                div.scroll { table {
                    @for a in &d.resolved {
                        tr data-alert=(a.id) data-status="resolved" {
                            td { (severity(a.severity)) }
                            td { (a.summary) }
                            td.m { "opened " (since(a.opened_at)) }
                            td.m {
                                "resolved " @if let Some(t) = a.resolved_at { (since(t)) }
                                @if let Some(by) = &a.resolved_by { " by " (by) }
                            }
                        }
                    }
                } }
            }
        }
    }
}

/// "open", "acknowledged by alice 5m ago", or "stale" (its workstation is away).
fn alert_state(a: &Alert, since: &dyn Fn(i64) -> Markup) -> Markup {
    html! {
        @match a.status {
            AlertStatus::Acknowledged => {
                "acknowledged"
                @if let Some(by) = &a.acknowledged_by { " by " (by) }
                @if let Some(t) = a.acknowledged_at { " " (since(t)) }
            },
            AlertStatus::Stale => span.dim title="the workstation is away; judged again when it returns" { "stale" },
            status => (status.as_str()),
        }
    }
}

/// Its watts and running cost: "100 W · 8.0 h a day · 0.80 kWh · £0.19 a day · £5.76 a month".
fn power(d: &MachineData) -> Markup {
    let Some((c, currency)) = &d.cost else {
        return html! {};
    };
    let month = crate::cost::MONTH_DAYS;
    html! {
        p.meta.cost {
            span { "power" }
            @match (c.tdp_w, c.on, c.per_day, c.cost_per_day) {
                (Some(w), Some(on), Some(kwh), Some(cost)) => {
                    span.m { (w) " W" }
                    span.m { (on.hours_per_day(1)) " h a day" }
                    span.m { (kwh.kwh(2)) " kWh a day" }
                    span.m { (cost.show(currency)) " a day" }
                    span.m { ((cost * month).show(currency)) " a month" }
                },
                (Some(w), ..) => { span.m { (w) " W" } span.dim { "not enough history to tell its hours on" } },
                _ => span.dim { "no tdp_w in fleet.yaml" },
            }
        }
    }
}

fn bucket(b: Bucket) -> &'static str {
    match b {
        Bucket::Online => "online",
        Bucket::Offline => "offline",
        Bucket::Away => "away",
        Bucket::Unknown => "unknown",
    }
}

fn filesystems(d: &MachineData) -> Markup {
    let t = &d.machine.thresholds;
    html! {
        section.p {
            h2 { "Filesystems" }
            @match &d.detail.sample {
                None => p.empty { "no heartbeat yet" },
                Some(s) => {
                    @for f in &s.filesystems {
                        div title={ (f.device) " · " (f.fs_type) } {
                            div.meta { span.m { (f.mount) } span { (f.fs_type) } @if f.responsive { span.m { (bytes(f.used)) " of " (bytes(f.size)) } } @else { span.badge.bad { "not responding" } } }
                            @if f.responsive { (bar("", Some(percent(f.used, f.size)), f64::from(t.disk_warning), f64::from(t.disk_critical))) }
                        }
                    }
                }
            }
        }
    }
}

fn network(d: &MachineData) -> Markup {
    html! {
        section.p {
            h2 { "Network" }
            @if let Some(r) = &d.detail.network_rate {
                p.m { "rx " (bytes(r.rx_bytes_per_sec as u64)) "/s · tx " (bytes(r.tx_bytes_per_sec as u64)) "/s" }
            }
            @if let Some(s) = &d.detail.sample {
                div.scroll { table {
                    tr { th { "interface" } th { "received" } th { "sent" } }
                    @for i in &s.network { tr { td.m { (i.name) } td.n { (bytes(i.rx_bytes)) } td.n { (bytes(i.tx_bytes)) } } }
                } }
            } @else { p.empty { "no heartbeat yet" } }
        }
    }
}

fn services(d: &MachineData) -> Markup {
    let expected = &d.machine.services;
    html! {
        section.p {
            h2 { "Services" }
            @if expected.is_empty() { p.empty { "none listed in fleet.yaml" } }
            @else {
                table {
                    @for unit in expected {
                        @let reported = d.detail.sample.as_ref().and_then(|s| s.services.iter().find(|r| r.name == *unit || r.name.strip_suffix(".service") == Some(unit.as_str())));
                        tr {
                            td.m { (unit) }
                            @match reported {
                                Some(r) if r.active_state == "active" => td { span.badge.ok { "● " (r.active_state) } " " span.dim { (r.sub_state) } },
                                Some(r) => td { span.badge.bad { "■ " (r.active_state) } " " span.dim { (r.sub_state) } },
                                None => td.dim { "not reported" },
                            }
                        }
                    }
                }
            }
        }
    }
}

fn containers(d: &MachineData) -> Markup {
    let Some(docker) = d
        .detail
        .sample
        .as_ref()
        .map(|s| &s.docker)
        .filter(|d| d.available)
    else {
        return html! {};
    };
    html! {
        section.p {
            h2 { "Containers" }
            @if let Some(e) = &docker.error { p.badge.warn { "docker: " (e) } }
            div.scroll { table {
                @for c in &docker.containers {
                    tr { td.m { (c.name) } td { @if c.state == "running" { span.badge.ok { "● running" } } @else { span.badge.bad { "■ " (c.state) } } } td.dim { (c.status) } }
                }
            } }
        }
    }
}

fn system(d: &MachineData) -> Markup {
    let st = &d.detail.status;
    html! {
        section.p {
            h2 { "System" }
            table {
                @if let Some(s) = &d.detail.sample {
                    tr { th { "hostname" } td.m { (s.os.hostname) } }
                    tr { th { "OS" } td { (s.os.distribution) " " (s.os.version) } }
                    tr { th { "kernel" } td.m { (s.os.kernel) " (" (s.os.arch) ")" } }
                    tr { th { "uptime" } td.m { (duration(s.uptime_secs)) } }
                    tr { th { "load" } td.m { (format!("{:.2} {:.2} {:.2}", s.load.one, s.load.five, s.load.fifteen)) } }
                    tr { th { "memory" } td.m { (bytes(s.memory.used)) " of " (bytes(s.memory.total)) } }
                    @if let (Some(p), Some(sec)) = (s.updates.pending, s.updates.security) {
                        tr { th { "updates" } td.m { (p) " pending, " (sec) " security" } }
                    }
                }
                tr { th { "agent" } td.m { (st.agent_version.as_deref().unwrap_or("–")) } }
                tr { th { "last heartbeat" } td.m { (st.last_seen.as_deref().unwrap_or("never")) } }
            }
        }
    }
}

fn compliance(d: &MachineData) -> Markup {
    let c = &d.detail.status.compliance;
    html! {
        section.p {
            h2 { "Compliance" }
            @if d.machine.packs.is_empty() { p.empty { "no packs assigned" } }
            @else {
                p { "packs: " @for (i, p) in d.machine.packs.iter().enumerate() { @if i > 0 { ", " } span.m { (p) } } }
                @match c {
                    None => p.empty { "not checked yet (homelabcmd diff)" },
                    Some(c) => {
                        p.dim { (c.state.replace('_', " ")) ", checked " span.m { (c.checked_at) } }
                        @if !d.mismatches.is_empty() {
                            ul { @for x in &d.mismatches { li { (x.kind) ": " span.m { (x.subject) } } } }
                        }
                    }
                }
            }
        }
    }
}

fn audit(d: &MachineData) -> Markup {
    html! {
        section.p {
            h2 { "Recent changes (audit)" }
            @if d.audit.is_empty() { p.empty { "nothing recorded" } }
            @else {
                div.scroll { table {
                    tr { th { "time" } th { "action" } th { "name" } th { "exit" } }
                    @for e in &d.audit {
                        tr {
                            td.m { (crate::clock::rfc3339(e.time)) }
                            td { (e.action) }
                            td.m { (e.name) }
                            td.n { @match e.exit_code { Some(c) => (c), None => "–" } }
                        }
                    }
                } }
            }
        }
    }
}
