//! What every source does last to what it found: a fleet id for each candidate (from its
//! DNS name or host name, unique among the candidates, valid for fleet.yaml), the fleet
//! machine a candidate already is (matched by address or DNS name), and one stable order.

use std::collections::HashSet;
use std::net::IpAddr;

use super::Candidate;
use crate::fleet::Fleet;

/// The longest fleet id (`fleet::check_id`).
const ID_MAX: usize = 63;

/// A fleet id made from a host name: lower case, every run of other characters than
/// `[a-z0-9]` one `-`, no `-` at either end, at most 63 characters; `device` when nothing is
/// left.
pub(crate) fn fleet_id(name: &str) -> String {
    let mut id = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    id.truncate(ID_MAX);
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() { "device".into() } else { id }
}

/// A fleet id for a machine found by address: the first label of its name (see `fleet_id`),
/// else `host-<address>` (`host-192-168-1-5`).
pub(crate) fn id_for(name: Option<&str>, address: IpAddr) -> String {
    match name.and_then(|n| n.split('.').next()).map(fleet_id) {
        Some(id) if id != "device" => id,
        _ => match fleet_id(&address.to_string()) {
            id if id == "device" => "host-0".to_string(), // `::`
            id => format!("host-{id}"),
        },
    }
}

/// The fleet machine at one of `addresses` or whose address is `dns_name` (case-insensitive,
/// a trailing dot ignored), if any.
pub(crate) fn in_fleet(
    fleet: &Fleet,
    addresses: &[IpAddr],
    dns_name: Option<&str>,
) -> Option<String> {
    let dns = dns_name.map(|d| d.trim_end_matches('.'));
    fleet
        .machines
        .iter()
        .find(|m| {
            let address = m.address.trim_end_matches('.');
            match address.parse::<IpAddr>() {
                Ok(ip) => addresses.contains(&ip),
                Err(_) => dns.is_some_and(|d| d.eq_ignore_ascii_case(address)),
            }
        })
        .map(|m| m.id.clone())
}

/// Give every candidate its id (the first label of its DNS name, else its host name; a
/// second candidate with the same id gets `-2`, then `-3`…) and its fleet match, sorted by
/// id. An id a source already set (an agent's own machine id) is kept when it is valid.
pub(crate) fn settle(candidates: &mut [Candidate], fleet: &Fleet) {
    for c in candidates.iter_mut() {
        if c.id.is_empty() || crate::fleet::check_id(&c.id).is_some() {
            let label = c
                .dns_name
                .as_deref()
                .and_then(|d| d.split('.').next())
                .filter(|l| !l.is_empty())
                .unwrap_or(&c.hostname);
            c.id = fleet_id(label);
        }
        c.in_fleet = in_fleet(fleet, &c.addresses, c.dns_name.as_deref());
    }
    candidates.sort_by(|a, b| {
        (&a.id, &a.dns_name, &a.hostname, &a.addresses).cmp(&(
            &b.id,
            &b.dns_name,
            &b.hostname,
            &b.addresses,
        ))
    });
    let mut taken: HashSet<String> = HashSet::new();
    for c in candidates.iter_mut() {
        let base = c.id.clone();
        let mut n = 1;
        while !taken.insert(c.id.clone()) {
            n += 1;
            let suffix = format!("-{n}");
            let mut stem = base.clone();
            stem.truncate(ID_MAX - suffix.len());
            c.id = format!("{}{suffix}", stem.trim_end_matches('-'));
        }
    }
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

    #[test]
    fn host_names_become_valid_fleet_ids() {
        for (name, id) in [
            ("NAS", "nas"),
            ("Study PC (old)", "study-pc-old"),
            ("--x--", "x"),
            ("пк", "device"),
            ("", "device"),
            ("a.b_c", "a-b-c"),
        ] {
            assert_eq!(fleet_id(name), id, "{name:?}");
            assert_eq!(crate::fleet::check_id(&fleet_id(name)), None);
        }
        let long = "x".repeat(62) + "-y";
        assert_eq!(fleet_id(&long), "x".repeat(62));
    }
}
