//! A connection as the sensors describe it, and what is derived from one
//! without a random draw: ports, report ids, the PTR name of an address.

use super::host::Host;
use crate::rng::fnv1a;

/// A connection's transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proto {
    Tcp,
    Udp,
}

impl Proto {
    /// Lower case, as Sysmon and the firewalls write it.
    pub fn lower(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        }
    }
}

/// One outbound connection.
#[derive(Debug, Clone, Copy)]
pub struct Conn<'a> {
    pub remote_ip: &'a str,
    pub remote_port: u16,
    pub proto: Proto,
    /// `RemoteUrl` as Defender writes it: empty on raw TCP, the site's name
    /// on a browser's HTTP(S).
    pub remote_url: &'a str,
    /// Whether the remote end answered.
    pub up: bool,
    /// The firewall's application name (PAN-OS App-ID): `unknown-tcp`,
    /// `ssl`, `web-browsing`, `dns`.
    pub app: &'a str,
}

/// A number in `[lo, hi)` derived from `parts` (no random draw).
pub(super) fn derived(parts: &[&str], lo: u64, hi: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325_u64;
    for p in parts {
        h = fnv1a(p.as_bytes()) ^ h.rotate_left(13);
    }
    lo + h % (hi - lo).max(1)
}

/// The host's source port for a connection at `t`.
pub(super) fn ephemeral(h: &Host, t: i64, c: &Conn<'_>) -> u16 {
    derived(
        &[
            &h.id.name,
            &t.to_string(),
            c.remote_ip,
            &c.remote_port.to_string(),
        ],
        49_152,
        65_535,
    ) as u16
}

/// The PTR name Sysmon's reverse lookup finds for `ip`, if any: none for
/// private and Cloudflare (104.16.0.0/13) addresses nor for about half of the
/// rest; a hoster's generic name otherwise.
pub fn ptr_name(ip: &str) -> Option<String> {
    let addr: std::net::Ipv4Addr = ip.parse().ok()?;
    let [a, b, c, d] = addr.octets();
    if addr.is_private() || (a == 104 && (16..24).contains(&b)) {
        return None;
    }
    if ip == "8.8.8.8" || ip == "8.8.4.4" {
        return Some("dns.google".to_owned());
    }
    fnv1a(ip.as_bytes())
        .is_multiple_of(2)
        .then(|| format!("static.{d}.{c}.{b}.{a}.clients.vps-hosting.example"))
}

/// The host part of an `http(s)://` URL.
pub fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', ':', '?']).next().unwrap_or(rest)
}
