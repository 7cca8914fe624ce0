//! A network range in CIDR form (`192.168.1.0/24`, `fd00::/120`): parsed with errors that say
//! what is wrong, and walked host by host (IPv4 prefixes shorter than /31 skip the network and
//! broadcast addresses, RFC 3021 lets /31 and /32 use every address).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// A parsed range; host bits of the written address are cleared (`10.0.0.7/24` is `10.0.0.0/24`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cidr {
    network: IpAddr,
    prefix: u8,
}

/// Why a range could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum CidrError {
    #[error("`{text}` is not a CIDR range: the `/PREFIX` is missing")]
    NoPrefix { text: String },
    #[error("`{text}` is not a CIDR range: `{address}` is not an IPv4 or IPv6 address")]
    Address { text: String, address: String },
    #[error("`{text}` is not a CIDR range: the prefix `{prefix}` is not a number from 0 to {max}")]
    Prefix {
        text: String,
        prefix: String,
        max: u8,
    },
}

impl CidrError {
    pub(crate) fn hint(&self) -> String {
        match self {
            Self::NoPrefix { text } if text.contains(':') => {
                format!("add the prefix: `{text}/120` for 256 addresses, `{text}/128` for one")
            }
            Self::NoPrefix { text } => {
                format!("add the prefix: `{text}/24` for 256 addresses, `{text}/32` for one")
            }
            _ => "write it as ADDRESS/PREFIX, e.g. 192.168.1.0/24 or fd00::/120".into(),
        }
    }
}

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(text: &str) -> Result<Self, CidrError> {
        let (address, prefix) = text.trim().split_once('/').ok_or(CidrError::NoPrefix {
            text: text.to_string(),
        })?;
        let ip: IpAddr = address.parse().map_err(|_| CidrError::Address {
            text: text.to_string(),
            address: address.to_string(),
        })?;
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let prefix = prefix
            .parse::<u8>()
            .ok()
            .filter(|p| *p <= max)
            .ok_or_else(|| CidrError::Prefix {
                text: text.to_string(),
                prefix: prefix.to_string(),
                max,
            })?;
        let network = match ip {
            IpAddr::V4(v4) => IpAddr::V4(Ipv4Addr::from(
                u32::from(v4) & !host_mask(32, prefix) as u32,
            )),
            IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !host_mask(128, prefix))),
        };
        Ok(Self { network, prefix })
    }
}

/// The host bits of a `bits`-wide address under `prefix`.
fn host_mask(bits: u8, prefix: u8) -> u128 {
    let host = u32::from(bits - prefix);
    if host >= 128 {
        u128::MAX
    } else {
        (1u128 << host) - 1
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl Cidr {
    fn bits(&self) -> u8 {
        if self.network.is_ipv4() { 32 } else { 128 }
    }

    /// Every address in the range, network and broadcast included (saturates for huge IPv6
    /// ranges; callers refuse those before walking them).
    pub(crate) fn size(&self) -> u128 {
        host_mask(self.bits(), self.prefix).saturating_add(1)
    }

    /// The addresses probed: all of them, less an IPv4 range's network and broadcast
    /// addresses when its prefix is shorter than /31.
    pub(crate) fn hosts(&self) -> impl Iterator<Item = IpAddr> + use<> {
        let (first, last) = match self.network {
            IpAddr::V4(v4) => {
                let base = u128::from(u32::from(v4));
                let last = base + host_mask(32, self.prefix);
                if self.prefix < 31 {
                    (base + 1, last - 1)
                } else {
                    (base, last)
                }
            }
            IpAddr::V6(v6) => {
                let base = u128::from(v6);
                (base, base | host_mask(128, self.prefix))
            }
        };
        let v4 = self.network.is_ipv4();
        (first..=last).map(move |n| {
            if v4 {
                IpAddr::V4(Ipv4Addr::from(n as u32))
            } else {
                IpAddr::V6(Ipv6Addr::from(n))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(text: &str) -> Vec<String> {
        let cidr: Cidr = text.parse().unwrap();
        cidr.hosts().map(|h| h.to_string()).collect()
    }

    #[test]
    fn ipv4_ranges_skip_network_and_broadcast_below_31() {
        assert_eq!(hosts("10.0.0.9/30"), ["10.0.0.9", "10.0.0.10"]);
        assert_eq!(hosts("10.0.0.8/31"), ["10.0.0.8", "10.0.0.9"]);
        assert_eq!(hosts("10.0.0.8/32"), ["10.0.0.8"]);
        assert_eq!(hosts("10.0.0.0/24").len(), 254);
        let c: Cidr = "10.1.2.3/16".parse().unwrap();
        assert_eq!(
            (c.to_string(), c.size()),
            ("10.1.0.0/16".to_string(), 65536)
        );
    }

    #[test]
    fn ipv6_ranges_use_every_address() {
        assert_eq!(
            hosts("fd00::5/126"),
            ["fd00::4", "fd00::5", "fd00::6", "fd00::7"]
        );
        let all: Cidr = "::/0".parse().unwrap();
        assert_eq!(all.size(), u128::MAX);
    }

    #[test]
    fn bad_ranges_say_what_is_wrong() {
        let err = |t: &str| t.parse::<Cidr>().unwrap_err().to_string();
        assert_eq!(
            err("10.0.0.0"),
            "`10.0.0.0` is not a CIDR range: the `/PREFIX` is missing"
        );
        assert_eq!(
            err("10.0.0.300/24"),
            "`10.0.0.300/24` is not a CIDR range: `10.0.0.300` is not an IPv4 or IPv6 address"
        );
        assert_eq!(
            err("10.0.0.0/33"),
            "`10.0.0.0/33` is not a CIDR range: the prefix `33` is not a number from 0 to 32"
        );
        assert_eq!(
            err("fd00::/abc"),
            "`fd00::/abc` is not a CIDR range: the prefix `abc` is not a number from 0 to 128"
        );
    }
}
