//! The simulated DNS: a stable answer for every name.

use super::host::DNS_SUFFIX;
use crate::rng::fnv1a;

/// A DNS answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub cname: Option<String>,
    pub ips: Vec<String>,
    pub nxdomain: bool,
}

/// The answer the simulated DNS gives for `name` (stable: derived from the name).
pub fn answer(name: &str, qtype: &str, nxdomain: bool) -> Answer {
    if nxdomain {
        return Answer {
            cname: None,
            ips: Vec::new(),
            nxdomain: true,
        };
    }
    let lower = name.trim_end_matches('.').to_ascii_lowercase();
    let h = fnv1a(lower.as_bytes());
    let b = |k: u32| ((h >> (8 * k)) & 0xff) as u8;
    let internal = lower.ends_with(DNS_SUFFIX);
    let cname = (!internal && h.is_multiple_of(3)).then(|| {
        let label = lower.split('.').next().unwrap_or("edge");
        let mut c = String::with_capacity(label.len() + 22);
        c.push_str(label);
        c.push_str(".edge-");
        push_hex(&mut c, (h >> 52) as u16);
        c.push_str(".azurefd.net");
        c
    });
    let count = if internal {
        1
    } else {
        1 + (h >> 40) as usize % 2
    };
    // Each address written a part at a time: the text `format!` gives
    // (`{:x}` for IPv6 groups, decimal for IPv4 octets), without its
    // machinery on every lookup.
    let ips = (0..count)
        .map(|k| {
            let k = k as u32;
            let mut ip = String::with_capacity(24);
            if qtype == "AAAA" {
                ip.push_str("2603:1030:");
                push_hex(&mut ip, u16::from(b(k)));
                ip.push(':');
                push_hex(&mut ip, u16::from(b(k + 1)));
                ip.push_str("::");
                push_hex(&mut ip, u16::from(b(k + 2)) + 1);
            } else if internal {
                ip.push_str("10.10.");
                push_dotted(&mut ip, &[b(k), b(k + 1) % 250 + 2]);
            } else {
                let first =
                    [13, 20, 23, 34, 40, 52, 104, 142, 151, 172, 185, 198][usize::from(b(k)) % 12];
                push_dotted(&mut ip, &[first, b(k + 1), b(k + 2), b(k + 3) % 250 + 2]);
            }
            ip
        })
        .collect();
    Answer {
        cname,
        ips,
        nxdomain: false,
    }
}

/// `v` in lower-case hex without leading zeros, as `{:x}` writes it.
fn push_hex(out: &mut String, v: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digits = (16 - v.leading_zeros()).div_ceil(4).max(1);
    for i in (0..digits).rev() {
        out.push(char::from(HEX[usize::from((v >> (4 * i)) & 0xf)]));
    }
}

/// The octets in decimal, a dot between each.
fn push_dotted(out: &mut String, octets: &[u8]) {
    for (i, o) in octets.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(itoa::Buffer::new().format(*o));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The answer as it was written with `format!`.
    fn formatted(name: &str, qtype: &str) -> (Option<String>, Vec<String>) {
        let lower = name.trim_end_matches('.').to_ascii_lowercase();
        let h = fnv1a(lower.as_bytes());
        let b = |k: u32| ((h >> (8 * k)) & 0xff) as u8;
        let internal = lower.ends_with(DNS_SUFFIX);
        let cname = (!internal && h.is_multiple_of(3)).then(|| {
            let label = lower.split('.').next().unwrap_or("edge");
            format!("{label}.edge-{:x}.azurefd.net", h >> 52)
        });
        let count = if internal {
            1
        } else {
            1 + (h >> 40) as usize % 2
        };
        let ips = (0..count)
            .map(|k| {
                let k = k as u32;
                if qtype == "AAAA" {
                    format!(
                        "2603:1030:{:x}:{:x}::{:x}",
                        b(k),
                        b(k + 1),
                        u16::from(b(k + 2)) + 1
                    )
                } else if internal {
                    format!("10.10.{}.{}", b(k), b(k + 1) % 250 + 2)
                } else {
                    let first = [13, 20, 23, 34, 40, 52, 104, 142, 151, 172, 185, 198]
                        [usize::from(b(k)) % 12];
                    format!("{first}.{}.{}.{}", b(k + 1), b(k + 2), b(k + 3) % 250 + 2)
                }
            })
            .collect();
        (cname, ips)
    }

    #[test]
    fn hex_is_written_as_format_writes_it() {
        for v in [
            0u16, 1, 9, 0xa, 0xf, 0x10, 0xff, 0x100, 0xfff, 0x1000, 0xffff,
        ] {
            let mut s = String::new();
            push_hex(&mut s, v);
            assert_eq!(s, format!("{v:x}"));
        }
    }

    proptest::proptest! {
        /// Every answer is the text the formatted answer gave.
        #[test]
        fn answers_are_the_formatted_text(
            name in "[a-zA-Z0-9.-]{0,24}(\\.corp\\.contoso\\.com)?\\.?",
            aaaa in proptest::bool::ANY,
        ) {
            let qtype = if aaaa { "AAAA" } else { "A" };
            let got = answer(&name, qtype, false);
            let (cname, ips) = formatted(&name, qtype);
            proptest::prop_assert_eq!(got.cname, cname);
            proptest::prop_assert_eq!(got.ips, ips);
        }
    }
}
