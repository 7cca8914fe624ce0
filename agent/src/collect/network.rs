//! Bytes received and sent per interface since boot, from `/proc/net/dev` (loopback left out).

use homelabcmd_proto::Interface;

/// Parses the table after its two header lines: `  eth0: rx_bytes rx_packets ... tx_bytes ...`
/// (the transmit columns start at the ninth number).
pub(crate) fn parse_net_dev(text: &str) -> Vec<Interface> {
    text.lines()
        .filter_map(|line| {
            let (name, counters) = line.split_once(':')?;
            let name = name.trim();
            let numbers: Vec<u64> = counters
                .split_whitespace()
                .map(str::parse)
                .collect::<Result<_, _>>()
                .ok()?;
            if name == "lo" || name.is_empty() || numbers.len() < 9 {
                return None;
            }
            Some(Interface {
                name: name.to_owned(),
                rx_bytes: numbers[0],
                tx_bytes: numbers[8],
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NET_DEV: &str = "\
Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0
  eth0: 91367775    3869    0    0    0     0          0         0   228882    2350    0    0    0     0       0          0
wlp2s0:12345678901 10 0 0 0 0 0 0 987654321 5 0 0 0 0 0 0
docker0:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
";

    #[test]
    fn parses_net_dev() {
        let got = parse_net_dev(NET_DEV);
        let names: Vec<&str> = got.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["eth0", "wlp2s0", "docker0"]);
        assert_eq!((got[0].rx_bytes, got[0].tx_bytes), (91_367_775, 228_882));
        assert_eq!(
            (got[1].rx_bytes, got[1].tx_bytes),
            (12_345_678_901, 987_654_321)
        );
    }
}
