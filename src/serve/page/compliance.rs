//! The compliance view: every machine with packs, its state as last checked, and its
//! mismatches by kind and name (never file contents), drift first.

use maud::{Markup, html};

use super::data::ComplianceData;
use super::layout::{Led, Nav, led, page};
use crate::monitor::status::MachineStatus;

pub(crate) fn render(d: &ComplianceData) -> Markup {
    let mut rows: Vec<(&MachineStatus, Vec<&str>)> = d
        .status
        .machines
        .iter()
        .filter_map(|s| {
            let m = d.fleet.machine(&s.id)?;
            (!m.packs.is_empty()).then(|| (s, m.packs.iter().map(String::as_str).collect()))
        })
        .collect();
    let rank = |s: &MachineStatus| match s.compliance.as_ref().map(|c| c.state.as_str()) {
        Some("drift") => 0,
        None | Some("not_checked") => 1,
        _ => 2,
    };
    rows.sort_by_key(|(s, _)| rank(s));
    let count = |r: usize| rows.iter().filter(|(s, _)| rank(s) == r).count();
    let body = html! {
        div.summary role="status" {
            (count(2)) " compliant · " (count(0)) " drifted · " (count(1)) " not checked"
        }
        @if rows.is_empty() { p.empty { "No machine has packs in fleet.yaml." } }
        div.panels {
            @for (s, packs) in &rows {
                section.p data-machine=(s.id) data-compliance=(s.compliance.as_ref().map_or("not_checked", |c| c.state.as_str())) {
                    h2 style="display:flex;gap:.4rem;align-items:center;text-transform:none;letter-spacing:0;font-size:1rem;color:inherit" {
                        (led(Led::of(s))) a href={ "/m/" (s.id) } { (s.name) }
                    }
                    p.dim { "packs: " (packs.join(", ")) }
                    @match &s.compliance {
                        None => p.empty { "not checked yet" },
                        Some(c) => {
                            p {
                                @match c.state.as_str() {
                                    "compliant" => span.badge.ok { "✓ compliant" },
                                    "drift" => span.badge.warn { "⚠ " (c.mismatches) " mismatches" },
                                    _ => span.badge { "not checked" },
                                }
                                " " span.dim.m { "checked " (c.checked_at) }
                            }
                            @if let Some(list) = d.mismatches.get(&s.id) {
                                ul { @for x in list { li { (x.kind) ": " span.m { (x.subject) } } } }
                            }
                        }
                    }
                }
            }
        }
    };
    let _ = d.now;
    page("Compliance", Nav::Compliance, body)
}
