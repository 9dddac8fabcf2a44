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
                let first =
                    [13, 20, 23, 34, 40, 52, 104, 142, 151, 172, 185, 198][usize::from(b(k)) % 12];
                format!("{first}.{}.{}.{}", b(k + 1), b(k + 2), b(k + 3) % 250 + 2)
            }
        })
        .collect();
    Answer {
        cname,
        ips,
        nxdomain: false,
    }
}
