//! How a found machine is named (the id it would get in fleet.yaml) and whether fleet.yaml
//! already has it (by address or DNS name), for the sources that find machines by address.

use std::net::IpAddr;

use crate::fleet::Fleet;

/// A fleet id from a host name or DNS name: its first label, lower-cased, every character
/// outside `[a-z0-9-]` made `-`, no leading or trailing `-`; `host-<address>` when nothing is
/// left (or no name is known).
pub(crate) fn id_for(name: Option<&str>, address: IpAddr) -> String {
    let from_name = name
        .and_then(|n| n.split('.').next())
        .map(slug)
        .filter(|s| !s.is_empty());
    from_name.unwrap_or_else(|| match slug(&address.to_string()) {
        s if s.is_empty() => "host-0".to_string(), // `::`
        s => format!("host-{s}"),
    })
}

fn slug(text: &str) -> String {
    let dashed: String = text
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9') => c,
            _ => '-',
        })
        .collect();
    let mut out = String::with_capacity(dashed.len());
    for c in dashed.chars() {
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The fleet machine at one of `addresses` or named `dns_name` (case-insensitive, trailing
/// dot ignored), if any.
pub(crate) fn in_fleet(
    fleet: &Fleet,
    addresses: &[IpAddr],
    dns_name: Option<&str>,
) -> Option<String> {
    let dns = dns_name.map(|n| n.trim_end_matches('.').to_ascii_lowercase());
    fleet
        .machines
        .iter()
        .find(|m| {
            let address = m.address.trim_end_matches('.').to_ascii_lowercase();
            address
                .parse::<IpAddr>()
                .is_ok_and(|ip| addresses.contains(&ip))
                || dns.as_deref() == Some(address.as_str())
        })
        .map(|m| m.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_the_first_label_or_the_address() {
        let ip: IpAddr = "192.168.1.5".parse().unwrap();
        assert_eq!(id_for(Some("NAS_01.lan"), ip), "nas-01");
        assert_eq!(id_for(Some("..."), ip), "host-192-168-1-5");
        assert_eq!(id_for(None, ip), "host-192-168-1-5");
        assert_eq!(id_for(None, "fd00::1".parse().unwrap()), "host-fd00-1");
        assert_eq!(id_for(None, "::".parse().unwrap()), "host-0");
    }
}
