//! The fleet view: the summary bar (with the count of open alerts and the running cost), the filter form (plain
//! GET, so it works without JavaScript and can be bookmarked), then servers and workstations
//! as two groups of cards in fleet.yaml order, each card with its current alerts.

use maud::{Markup, html};

use super::chart;
use super::data::FleetData;
use super::layout::{Led, Nav, bar, led, page, severity};
use super::query::{Filter, StateFilter};
use crate::alerts::Alert;
use crate::alerts::model::AlertStatus;
use crate::fleet::model::ConnectMode;
use crate::fleet::{Machine, MachineType};
use crate::monitor::state::{State, ago};
use crate::monitor::status::{MachineStatus, summary_line};

pub(crate) fn render(d: &FleetData, filter: &Filter) -> Markup {
    let shown: Vec<(&Machine, &MachineStatus)> = d
        .status
        .machines
        .iter()
        .filter_map(|s| Some((d.fleet.machine(&s.id)?, s)))
        .filter(|(m, s)| filter.keeps(m, s, d.alerts.contains_key(&s.id)))
        .collect();
    let body = html! {
        div.summary role="status" { (summary_line(&d.status)) " · " (alert_count(d)) (cost_summary(d)) }
        (filter_form(d, filter))
        @if shown.is_empty() {
            p.empty { "No machine matches these filters." }
        }
        @for (title, kind) in [("Servers", MachineType::Server), ("Workstations", MachineType::Workstation)] {
            @let group: Vec<_> = shown.iter().filter(|(m, _)| m.kind == kind).collect();
            @if !group.is_empty() {
                h2 { (title) " · " (group.len()) }
                div.grid {
                    @for (m, s) in group { (card(d, m, s)) }
                }
            }
        }
        @if !d.status.unregistered.is_empty() {
            p.dim {
                (d.status.unregistered.len()) " machine(s) send heartbeats but are not in fleet.yaml: "
                @for (i, u) in d.status.unregistered.iter().enumerate() {
                    @if i > 0 { ", " }
                    span.m { (u.id) }
                }
            }
        }
        @if let Some(s) = &d.sync { (sync_line(s, d.now)) }
    };
    page("Fleet", Nav::Fleet, body)
}

/// One small line: the latest sync with the fleet repository's remote.
fn sync_line(s: &crate::store::sync::SyncRecord, now: i64) -> Markup {
    html! {
        p.dim.sync {
            "fleet sync " (ago(now - s.attempted_at)) ": " (s.outcome)
            @if let Some(c) = &s.commit { " at " span.m { (c.get(..10).unwrap_or(c)) } }
            @if let Some(e) = &s.error { " — " (e) }
        }
    }
}

fn filter_form(d: &FleetData, f: &Filter) -> Markup {
    let mut tags: Vec<&str> = d
        .fleet
        .machines
        .iter()
        .flat_map(|m| m.tags.iter().map(String::as_str))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    let kind = |k: MachineType| f.kind == Some(k);
    html! {
        form.filter method="get" action="/" role="search" {
            input type="search" name="q" value=(f.text) placeholder="name" aria-label="Filter by name";
            select name="type" aria-label="Type" {
                option value="" { "any type" }
                option value="server" selected[kind(MachineType::Server)] { "servers" }
                option value="workstation" selected[kind(MachineType::Workstation)] { "workstations" }
            }
            select name="state" aria-label="State" {
                option value="" { "any state" }
                @for (name, s) in StateFilter::ALL {
                    option value=(name) selected[f.state == Some(s)] { (name) }
                }
            }
            select name="tag" aria-label="Tag" {
                option value="" { "any tag" }
                @for t in tags { option value=(t) selected[f.tag == t] { (t) } }
            }
            button type="submit" { "Filter" }
            @if !f.is_empty() { a href="/" style="align-self:center" { "clear" } }
        }
    }
}

fn card(d: &FleetData, m: &Machine, s: &MachineStatus) -> Markup {
    let ws = m.kind == MachineType::Workstation;
    let state = state_text(s);
    let t = &m.thresholds;
    html! {
        a.card.ws[ws].paused[s.paused] href={ "/m/" (m.id) } data-state=(state_name(s.state)) {
            h3 {
                (led(Led::of(s)))
                span { (m.name) }
                span.id { (m.id) }
            }
            div.meta {
                span { (state) }
                @if let (State::Online, Some(up)) = (s.state, s.uptime_secs) { span.m { "up " (crate::output::duration(up)) } }
                @if ws { span.badge { "workstation" } }
                span.badge { (connect(m.connect)) }
                @if s.paused { span.badge.warn title="maintenance mode: no alerts" { "maintenance" } }
                (compliance_badge(s))
            }
            @if s.state == State::Online {
                (bar("CPU", s.cpu_percent, f64::from(t.cpu), f64::from(t.cpu)))
                (bar("RAM", s.memory_percent, f64::from(t.ram), f64::from(t.ram)))
                (bar("Disk", s.disk.as_ref().map(|d| d.percent), f64::from(t.disk_warning), f64::from(t.disk_critical)))
            }
            @if let Some(points) = d.cpu.get(&m.id) {
                (chart::sparkline(points, d.now - 86_400, d.now))
            }
            @if !s.warnings.is_empty() {
                div.meta { span.badge.warn { "⚠ " (s.warnings.len()) " warning" @if s.warnings.len() != 1 { "s" } } }
            }
            (open_alerts(d.alerts.get(&m.id).map_or(&[][..], Vec::as_slice)))
        }
    }
}

/// How many alerts a card lists; the rest are counted (the page of 50 machines stays under
/// 50 KB).
const CARD_ALERTS: usize = 2;

/// The summary bar's count of open alerts (acknowledged ones included, and said), a link to
/// the machines that have them.
fn alert_count(d: &FleetData) -> Markup {
    let all = || d.alerts.values().flatten();
    let open = all().count();
    let acknowledged = all()
        .filter(|a| a.status == AlertStatus::Acknowledged)
        .count();
    let worst = all().map(|a| a.severity).max();
    html! {
        @if let Some(worst) = worst {
            a.sev.(worst.as_str()) href="/?state=alerting" { (open) " open alert" @if open != 1 { "s" } }
            @if acknowledged > 0 { " (" (acknowledged) " acknowledged)" }
        } @else { "no open alerts" }
    }
}

/// The summary bar's running cost of the fleet, a day and a month; what it counts in its title.
fn cost_summary(d: &FleetData) -> Markup {
    let Some(c) = d.cost.as_ref().filter(|c| c.all.machines > 0) else {
        return html! {};
    };
    let money = |m: crate::cost::Money| m.show(&c.currency);
    let mut title = format!(
        "electricity at {} {}/kWh: servers {}/day, workstations {}/day (measured)",
        c.price.text(),
        c.currency,
        money(c.servers.cost_per_day),
        money(c.workstations.cost_per_day)
    );
    for (id, why) in &c.all.excluded {
        title.push_str(&format!("; {id} not counted: {}", why.text()));
    }
    let month = c.all.cost_per_day * crate::cost::MONTH_DAYS;
    html! {
        " · " span.cost title=(title) {
            (money(c.all.cost_per_day)) "/day · " (money(month)) "/month"
            @if !c.all.excluded.is_empty() { " (" (c.all.excluded.len()) " not counted)" }
        }
    }
}

/// The card's current alerts, worst first: severity (shape, colour and name) and summary.
fn open_alerts(alerts: &[Alert]) -> Markup {
    html! {
        @if !alerts.is_empty() {
            ul.al {
                @for a in alerts.iter().take(CARD_ALERTS) {
                    li {
                        (severity(a.severity)) ": " (a.summary)
                        @if a.status == AlertStatus::Acknowledged { i.dim { " · acknowledged" } }
                    }
                }
                @if alerts.len() > CARD_ALERTS { li.dim { "and " (alerts.len() - CARD_ALERTS) " more" } }
            }
        }
    }
}

pub(crate) fn compliance_badge(s: &MachineStatus) -> Markup {
    html! {
        @match &s.compliance {
            Some(c) if c.state == "compliant" => span.badge.ok title="compliant with its packs" { "✓ compliant" },
            Some(c) if c.state == "drift" => span.badge.warn title="differs from its packs" { "⚠ " (c.mismatches) " drift" },
            _ => {},
        }
    }
}

pub(crate) fn state_text(s: &MachineStatus) -> String {
    let seen = s.last_seen_secs_ago.map(ago).unwrap_or_default();
    match s.state {
        State::Online => "online".into(),
        State::Offline => format!("offline, last seen {seen}"),
        State::Away => format!("last seen {seen}"),
        State::Unknown => "never seen".into(),
    }
}

pub(crate) fn state_name(s: State) -> &'static str {
    match s {
        State::Online => "online",
        State::Offline => "offline",
        State::Away => "away",
        State::Unknown => "unknown",
    }
}

pub(crate) fn connect(c: ConnectMode) -> &'static str {
    match c {
        ConnectMode::Tailscale => "tailscale",
        ConnectMode::Direct => "direct",
    }
}
