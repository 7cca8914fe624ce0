//! What every source does last to what it found: a fleet id for each candidate (from its
//! DNS name or host name, unique among the candidates, valid for fleet.yaml), the fleet
//! machine a candidate already is (matched by address or DNS name), and one stable order.

use std::collections::HashSet;

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

/// The fleet machine `c` already is: one whose address is among `c`'s addresses, or equals
/// its DNS name (case-insensitive, a trailing dot ignored).
pub(crate) fn in_fleet(fleet: &Fleet, c: &Candidate) -> Option<String> {
    let dns = c.dns_name.as_deref().map(|d| d.trim_end_matches('.'));
    fleet
        .machines
        .iter()
        .find(|m| {
            let address = m.address.trim_end_matches('.');
            match address.parse::<std::net::IpAddr>() {
                Ok(ip) => c.addresses.contains(&ip),
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
        c.in_fleet = in_fleet(fleet, c);
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
