//! The page's frame and its parts shared by every view: the inline style sheet (the PRD's
//! dark "mission control" phosphor palette, a light variant through `prefers-color-scheme`),
//! the head and navigation, LEDs and alert severities that tell states apart by shape as
//! well as colour, bars and badges. Nothing is loaded from anywhere else.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::alerts::Severity;
use crate::monitor::state::State;
use crate::monitor::status::MachineStatus;

/// The style sheet: a constant of this file, the only markup not escaped.
const STYLE: &str = r#"
:root{--bg:#070b08;--panel:#0e1510;--line:#1d2b21;--text:#cfe8d2;--dim:#7d9a82;--ok:#39ff7a;--warn:#ffb000;--bad:#ff4d4d;--idle:#6c7a70;--bar:#1a261d;
--mono:ui-monospace,"JetBrains Mono","SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace;color-scheme:dark}
@media (prefers-color-scheme:light){:root{--bg:#f3f5f0;--panel:#fff;--line:#d5ddd3;--text:#16241a;--dim:#56685a;--ok:#0b8a3a;--warn:#a45f00;--bad:#c41e1e;--idle:#7b857d;--bar:#e4eae2;color-scheme:light}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
a{color:inherit}
header.top{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:baseline;padding:.7rem 1rem;border-bottom:1px solid var(--line)}
header.top b{font-family:var(--mono);letter-spacing:.08em;color:var(--ok)}
nav a{margin-right:.9rem;color:var(--dim);text-decoration:none}nav a[aria-current]{color:var(--text);text-decoration:underline}
main{padding:.8rem 1rem 2rem;max-width:1400px;margin:0 auto}
.summary{font-family:var(--mono);padding:.6rem .8rem;border:1px solid var(--line);background:var(--panel);border-radius:6px;margin-bottom:.8rem}
form.filter{display:flex;flex-wrap:wrap;gap:.4rem;margin-bottom:1rem}
form.filter input,form.filter select,form.filter button{font:inherit;background:var(--panel);color:var(--text);border:1px solid var(--line);border-radius:4px;padding:.3rem .5rem;min-height:2.2rem}
form.filter input{flex:1 1 10rem}
h2{font-size:.85rem;letter-spacing:.12em;text-transform:uppercase;color:var(--dim);margin:1.2rem 0 .5rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:.7rem}
.card{display:block;text-decoration:none;background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.6rem .7rem}
.card:hover,.card:focus{border-color:var(--dim)}
.card.ws{border-style:dashed}
.card.paused{border-left:4px solid var(--warn)}
.card h3{display:flex;align-items:center;gap:.45rem;margin:0 0 .35rem;font-size:1rem}
.card h3 .id{font-family:var(--mono);font-size:.75rem;font-weight:normal;color:var(--dim);margin-left:auto;max-width:40%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.meta{font-size:.8rem;color:var(--dim);display:flex;flex-wrap:wrap;gap:.2rem .7rem}
.m{font-family:var(--mono)}
.r{display:grid;grid-template-columns:2.6rem 1fr 3.2rem;gap:.4rem;align-items:center;font-size:.8rem;margin:0;color:var(--dim)}.r b{font:inherit;font-family:var(--mono);color:var(--text)}
.r i{--c:var(--ok);height:.45rem;border-radius:3px;background:linear-gradient(90deg,var(--c) var(--w,0%),var(--bar) 0)}.r i.w{--c:var(--warn)}.r i.c{--c:var(--bad)}
.badge{font-size:.72rem;border:1px solid var(--line);border-radius:3px;padding:0 .3rem;white-space:nowrap}
.badge.ok{color:var(--ok)}.badge.warn{color:var(--warn);border-color:var(--warn)}.badge.bad{color:var(--bad);border-color:var(--bad)}
.led{flex:none;width:14px;height:14px}.led.online{color:var(--ok)}.led.warning{color:var(--warn)}.led.offline{color:var(--bad)}.led.away,.led.unknown{color:var(--idle)}
@media (prefers-reduced-motion:no-preference){.led.online{animation:pulse 2.4s ease-in-out infinite}}
@keyframes pulse{50%{opacity:.55}}
svg.spark{width:100%;height:26px;display:block;margin-top:.3rem}
svg.spark path,svg.chart path.l{fill:none;stroke:var(--ok);stroke-width:1.5;stroke-linecap:round;stroke-linejoin:round;vector-effect:non-scaling-stroke}
svg.chart{width:100%;height:140px;display:block;background:var(--bar);border-radius:4px}
svg.chart path.a{fill:var(--ok);opacity:.12}
svg.chart text{fill:var(--dim);font:10px var(--mono)}
.panels{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:.8rem}
section.p{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;min-width:0}
section.p h2{margin-top:0}
table{border-collapse:collapse;width:100%;font-size:.85rem}td,th{text-align:left;padding:.2rem .4rem;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--dim);font-weight:normal}td.n{font-family:var(--mono);text-align:right;white-space:nowrap}
.scroll{overflow-x:auto}
.avail{display:flex;gap:2px;height:1.4rem}.avail i{flex:1;border-radius:2px;background:var(--idle);opacity:.5}
.avail i.online{background:var(--ok);opacity:1}.avail i.offline{background:var(--bad);opacity:1}.avail i.away{background:var(--idle);opacity:.9}
.ranges a{margin-right:.6rem}.ranges a[aria-current]{color:var(--ok);font-weight:bold}.dim{color:var(--dim)}
.empty{color:var(--dim);font-style:italic}
.sev{font-weight:bold;white-space:nowrap}.sev.critical,.sev.high{color:var(--bad)}.sev.medium{color:var(--warn)}.sev.low{color:var(--dim)}
.sev.critical::before{content:"■ ";content:"■ "/""}.sev.high::before{content:"▲ ";content:"▲ "/""}.sev.medium::before{content:"◆ ";content:"◆ "/""}.sev.low::before{content:"○ ";content:"○ "/""}
ul.al{list-style:none;margin:.35rem 0 0;padding:0;font-size:.8rem;overflow-wrap:anywhere}
@media (max-width:420px){main{padding:.6rem}.grid{grid-template-columns:1fr}.panels{grid-template-columns:1fr}}
"#;

/// The whole document around `body`.
pub(crate) fn page(title: &str, current: Nav, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="dark light";
                meta http-equiv="refresh" content="60";
                title { (title) " · homelabcmd" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                (PreEscaped(LED_SHAPES))
                header.top {
                    b { "HOMELABCMD" }
                    nav {
                        a href="/" aria-current=[(current == Nav::Fleet).then_some("page")] { "Fleet" }
                        a href="/compliance" aria-current=[(current == Nav::Compliance).then_some("page")] { "Compliance" }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// Which view the navigation marks as current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nav {
    Fleet,
    Machine,
    Compliance,
}

/// What a machine's LED shows: its state, or a warning on an online machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Led {
    Online,
    Warning,
    Offline,
    Away,
    Unknown,
}

impl Led {
    pub(crate) fn of(m: &MachineStatus) -> Self {
        match m.state {
            State::Online if !m.warnings.is_empty() => Self::Warning,
            State::Online => Self::Online,
            State::Offline => Self::Offline,
            State::Away => Self::Away,
            State::Unknown => Self::Unknown,
        }
    }

    pub(crate) fn class(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Warning => "warning",
            Self::Offline => "offline",
            Self::Away => "away",
            Self::Unknown => "unknown",
        }
    }
}

/// The LED: a filled circle (online), a triangle (warning), a square (offline), a ring (away),
/// a dashed ring (never seen); its name is there for screen readers. The shapes are drawn
/// once per page (`LED_SHAPES`) and used by reference.
pub(crate) fn led(led: Led) -> Markup {
    html! {
        svg.led.(led.class()) role="img" aria-label=(led.class()) {
            use href={ "#l-" (led.class()) } {}
        }
    }
}

/// The LED shapes, defined once at the top of the body.
const LED_SHAPES: &str = r##"<svg width="0" height="0" style="position:absolute" aria-hidden="true"><symbol id="l-online" viewBox="0 0 14 14"><circle cx="7" cy="7" r="6" fill="currentColor"/></symbol><symbol id="l-warning" viewBox="0 0 14 14"><path d="M7 1 13 13H1Z" fill="currentColor"/></symbol><symbol id="l-offline" viewBox="0 0 14 14"><rect x="1.5" y="1.5" width="11" height="11" fill="currentColor"/></symbol><symbol id="l-away" viewBox="0 0 14 14"><circle cx="7" cy="7" r="5" fill="none" stroke="currentColor" stroke-width="2"/></symbol><symbol id="l-unknown" viewBox="0 0 14 14"><circle cx="7" cy="7" r="5" fill="none" stroke="currentColor" stroke-width="1.5" stroke-dasharray="2 2"/></symbol></svg>"##;

/// A severity by shape as well as colour, and by name: ■ critical, ▲ high, ◆ medium, ○ low.
/// The shape comes from the style sheet (with empty alternative text, so screen readers read
/// only the name), which keeps a card's alerts few bytes.
pub(crate) fn severity(s: Severity) -> Markup {
    html! { b.sev.(s.as_str()) { (s.as_str()) } }
}

/// A labelled bar: `label [=====   ] 42%`, amber and red past the thresholds.
pub(crate) fn bar(label: &str, percent: Option<f64>, warn: f64, crit: f64) -> Markup {
    let level = |p: f64| {
        if p >= crit {
            Some("c")
        } else if p >= warn {
            Some("w")
        } else {
            None
        }
    };
    html! {
        p.r {
            @if label.is_empty() { span {} } @else { (label) }
            @match percent {
                Some(p) => {
                    i class=[level(p)] style={ "--w:" (format!("{:.0}", p.clamp(0.0, 100.0))) "%" } {}
                    b { (format!("{p:.0}%")) }
                }
                None => { i {} b { "–" } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_severity_has_a_shape_of_its_own() {
        let shapes: Vec<&str> = Severity::ALL
            .iter()
            .map(|s| {
                let rule = format!(".sev.{s}::before{{content:\"");
                let at = STYLE.find(&rule).expect("a shape for each severity") + rule.len();
                STYLE[at..].split('"').next().unwrap()
            })
            .collect();
        let mut distinct = shapes.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 4, "{shapes:?}");
        assert!(shapes.iter().all(|s| s.trim().chars().count() == 1));
        let html = severity(Severity::High).into_string();
        assert_eq!(html, "<b class=\"sev high\">high</b>");
    }
}
