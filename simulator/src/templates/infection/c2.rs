//! The implant's C2 traffic: its lookups (through the Windows resolver, or its
//! own DNS server over UDP/53), its TCP connections to the C2 address, and the
//! dropper's download.

use std::sync::Arc;

use super::{Infection, RAND};
use crate::record::Record;
use crate::scenario::DEFAULT_C2_PORT;
use crate::shapes::{answer, url_host, Answer, Conn, Proc, Proto, DNS_SUFFIX};

/// Milliseconds between an answer and the connection it leads to.
const CONNECT_AFTER_MS: i64 = 25;

impl Infection {
    /// The address the scenario gives C2 `i`, if it gives any.
    fn given_address(&self, i: usize) -> Option<&(String, u16)> {
        let a = &self.p.c2_addresses;
        (!a.is_empty()).then(|| &a[i % a.len()])
    }

    /// The answer for a name: a C2 name resolves to its given address; any
    /// other name (or with none given) to the simulated DNS's answer.
    fn resolve(&self, name: &str) -> Answer {
        let bare = name.trim_end_matches('.');
        let c2 = self
            .p
            .c2_hosts
            .iter()
            .position(|h| h.trim_end_matches('.').eq_ignore_ascii_case(bare));
        match c2.and_then(|i| self.given_address(i)) {
            Some((ip, _)) => Answer {
                cname: None,
                ips: vec![ip.clone()],
                nxdomain: false,
            },
            None => answer(name, "A", false),
        }
    }

    /// `p` downloads `url`: the lookup of its host, then the fetch (the
    /// connection, and the proxy's row).
    pub(super) fn download(&mut self, t: i64, p: &Arc<Proc>, url: &str, out: &mut Vec<Record>) {
        let host = url_host(url).to_owned();
        let ip = if host.parse::<std::net::IpAddr>().is_ok() {
            host.clone()
        } else {
            let ans = self.resolve(&host);
            self.host
                .lookup(t, Some(p), &host, "A", &ans, true, "stage-download", out);
            ans.ips.first().cloned().unwrap_or_default()
        };
        self.host
            .fetch(t + CONNECT_AFTER_MS, p, url, &ip, "stage-download", out);
    }

    /// Look up C2 name `i` (unless cached) and give its address: `None` when
    /// the answer is NXDOMAIN.
    fn lookup_c2(&mut self, t: i64, i: usize, out: &mut Vec<Record>) -> Option<String> {
        let configured = self.p.c2_hosts[i].clone();
        // `%RAND%` asks a fresh random label each time: never in the cache.
        let random = configured.contains(RAND);
        let (expiry, cached) = &self.cache[i];
        if !random && t < *expiry {
            return cached.clone();
        }
        let name = if random {
            let len = self.host.rng.range(10, 16) as usize;
            configured.replace(RAND, &self.host.rng.label(len))
        } else {
            configured
        };
        let nx = self.host.rng.chance(self.p.nxdomain_share);
        let ans: Answer = match &self.p.sinkhole {
            Some(ip) if !nx => Answer {
                cname: None,
                ips: vec![ip.clone()],
                nxdomain: false,
            },
            _ if nx => answer(&name, "A", true),
            _ => self.resolve(&name),
        };
        let c2 = self.c2.clone();
        if let Some(resolver) = self.p.c2_resolver.clone() {
            // Its own DNS client: a UDP exchange with its server, which no DNS
            // log sees (nor any suffix search).
            if let Some(c2) = c2.as_deref() {
                let c = Conn {
                    remote_ip: &resolver,
                    remote_port: 53,
                    proto: Proto::Udp,
                    remote_url: "",
                    up: true,
                    app: "dns",
                };
                self.host.connect(t, c2, &c, "c2-lookup", out);
            }
        } else {
            self.host
                .lookup(t, c2.as_deref(), &name, "A", &ans, true, "c2-lookup", out);
            if nx && !name.ends_with('.') {
                // The Windows resolver's suffix search: after the NXDOMAIN it
                // asks again with the primary DNS suffix appended, and the
                // corporate server (authoritative for it) says NXDOMAIN too.
                // Only the server logs it; the process asked for one name.
                let retry = format!("{name}.{DNS_SUFFIX}");
                let at = t + self.host.rng.range(3, 40);
                self.host.server_lookup(
                    at,
                    &retry,
                    "A",
                    &answer(&retry, "A", true),
                    "suffix-search",
                    out,
                );
            }
        }
        let ip = ans.ips.first().cloned();
        self.cache[i] = (t + (self.p.ttl_seconds * 1000.0) as i64, ip.clone());
        ip
    }

    /// A connection attempt: resolve the C2 (or take its address), connect,
    /// and schedule the next attempt.
    pub(super) fn connect(&mut self, t: i64, out: &mut Vec<Record>) {
        let by_address = self.p.c2_hosts.is_empty();
        let n = if by_address {
            self.p.c2_addresses.len()
        } else {
            self.p.c2_hosts.len()
        }
        .max(1);
        let i = self.host_index % n;
        let target = if by_address {
            self.given_address(i).cloned()
        } else {
            let port = self.given_address(i).map_or(DEFAULT_C2_PORT, |a| a.1);
            self.lookup_c2(t, i, out).map(|ip| (ip, port))
        };
        let reconnect =
            self.secs(self.p.restart_delay_seconds) + self.secs(self.p.connect_delay_seconds) + 1;
        // A sinkhole answers, but no C2 listens there.
        let up =
            target.is_some() && self.p.sinkhole.is_none() && self.host.rng.chance(self.p.c2_up);
        if let (Some((ip, port)), Some(c2)) = (&target, self.c2.clone()) {
            let c = Conn {
                remote_ip: ip,
                remote_port: *port,
                proto: Proto::Tcp,
                remote_url: "",
                up,
                app: "unknown-tcp",
            };
            self.host
                .connect(t + CONNECT_AFTER_MS, &c2, &c, "c2-connect", out);
        }
        let next = if up {
            // Connected: keep-alives until the session drops.
            let mean = self.p.session_minutes * 60.0 / self.p.keepalive_seconds;
            let beats = 1.0 + self.host.rng.exp(mean).floor();
            let session = (beats * self.p.keepalive_seconds * 1000.0).min(9.0e15) as i64;
            t + session + reconnect
        } else {
            // Refused or timed out: try the next host.
            self.host_index = (i + 1) % n;
            t + self.host.rng.range(300, 21_000) + reconnect
        };
        self.schedule(next);
    }
}
