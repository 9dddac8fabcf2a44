//! Host attribution as an analyst does it: a DNS server's row (`DnsEvents`)
//! names the client only by address, so it belongs to the host whose address
//! `ClientIP` is at that time (learned from `DeviceNetworkInfo` on Defender
//! hosts and `Heartbeat` elsewhere, latest report first). The label names the
//! host that truly asked; where the two differ (a forwarder, a host that
//! reports no address) the report shows what it costs at host level.
//!
//! Endpoint rows name their own host, so they count for it either way. Memory is
//! bounded by the number of hosts and addresses.

use std::collections::{BTreeMap, BTreeSet};

use detections::{Event, Learned, Source};
use simulator::Label;

use crate::metrics::{Confusion, FoldMap};
use crate::report::{ForwardedTo, HostAttribution};

/// What one host did and how it was seen.
#[derive(Debug, Default, Clone, Copy)]
struct Seen {
    infected: bool,
    by_label: bool,
    by_client_ip: bool,
}

/// The alerts of other hosts one host received through its address.
#[derive(Debug, Default)]
struct Received {
    alerts: u64,
    clients: BTreeSet<String>,
}

/// Accumulates attribution, row by row.
#[derive(Debug, Default)]
pub struct Attribution {
    /// Address -> host (short name, upper case).
    by_ip: FoldMap<String>,
    /// Each host's (summed, never listed: looked up on every row).
    hosts: FoldMap<Seen>,
    dns_alerts: u64,
    to_labelled_host: u64,
    to_another_host: u64,
    unmapped: u64,
    received: BTreeMap<String, Received>,
    /// The short name of the row's host (reused from row to row).
    me: String,
}

/// A host's short name as labels write it: the first DNS label, upper case.
fn short(host: &str) -> String {
    first_label(host).to_ascii_uppercase()
}

/// A host name's first label (`host.split('.').next()`; a short name is
/// read a byte at a time, without a call to search it).
fn first_label(host: &str) -> &str {
    match host.bytes().position(|b| b == b'.') {
        Some(dot) => &host[..dot],
        None => host,
    }
}

impl Attribution {
    /// Take one judged row, its label and whether an alert stands on it.
    pub fn observe(&mut self, ev: &Event, label: &Label, alert: bool) {
        if let (Some(Learned::Addresses { ips }), Some(host)) = (&ev.learned, &ev.host) {
            for ip in ips {
                self.by_ip.insert(ip.clone(), short(host));
            }
        }
        // The row's host, named without a new string where it was seen before
        // (the many rows without an alert).
        let mut me = std::mem::take(&mut self.me);
        me.clear();
        me.push_str(first_label(&label.host));
        me.make_ascii_uppercase();
        match self.hosts.get_mut(me.as_str()) {
            Some(seen) => seen.infected |= label.malicious,
            None => self.hosts.entry(me.clone()).or_default().infected |= label.malicious,
        }
        if !alert {
            self.me = me;
            return;
        }
        self.hosts.entry(me.clone()).or_default().by_label = true;
        if ev.source != Source::DnsEvents {
            self.hosts.entry(me).or_default().by_client_ip = true;
            return;
        }
        self.dns_alerts += 1;
        let owner = ev
            .client_ip
            .as_ref()
            .and_then(|ip| self.by_ip.get(ip))
            .cloned();
        match owner {
            None => self.unmapped += 1,
            Some(owner) => {
                if owner == me {
                    self.to_labelled_host += 1;
                } else {
                    self.to_another_host += 1;
                    let r = self.received.entry(owner.clone()).or_default();
                    r.alerts += 1;
                    r.clients.insert(me);
                }
                self.hosts.entry(owner).or_default().by_client_ip = true;
            }
        }
    }

    /// The report's section.
    pub fn finish(self) -> HostAttribution {
        let mut host_by_label = Confusion::default();
        let mut host_by_client_ip = Confusion::default();
        for s in self.hosts.values() {
            host_by_label.add(s.infected, s.by_label);
            host_by_client_ip.add(s.infected, s.by_client_ip);
        }
        HostAttribution {
            dns_alerts: self.dns_alerts,
            to_labelled_host: self.to_labelled_host,
            to_another_host: self.to_another_host,
            unmapped: self.unmapped,
            host_by_label,
            host_by_client_ip,
            forwarded: self
                .received
                .into_iter()
                .map(|(host, r)| ForwardedTo {
                    infected: self.hosts.get(&host).is_some_and(|s| s.infected),
                    host,
                    alerts: r.alerts,
                    clients: r.clients.into_iter().collect(),
                })
                .collect(),
        }
    }
}
