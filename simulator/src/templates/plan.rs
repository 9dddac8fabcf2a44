//! A scenario resolved against run options, and its hosts.

use std::sync::Arc;

use crate::options::Options;
use crate::rng::{derive, fnv1a, Rng};
use crate::scenario::Scenario;
use crate::scenario::Windows;
use crate::shapes::{address, Host, Identity, Sensor};

/// A scenario resolved against run options: the window, the scale and the seeds.
#[derive(Debug, Clone)]
pub struct Plan {
    pub scenario: Scenario,
    pub start: i64,
    pub end: i64,
    pub scale: f64,
    pub run_seed: u64,
}

impl Plan {
    pub fn new(scenario: &Scenario, opts: &Options) -> Plan {
        let g = &scenario.generator;
        let start = opts.start_ms().unwrap_or(g.start_ms);
        let hours = opts.hours().unwrap_or(g.hours);
        let len = (hours * 3_600_000.0).min(9.0e15) as i64;
        Plan {
            scenario: scenario.clone(),
            start,
            end: start.saturating_add(len),
            scale: opts.scale(),
            run_seed: opts.rng_seed(),
        }
    }

    /// The random stream of host `i`: derived from the run seed, the scenario's
    /// seed, its id and the host index.
    pub fn host_rng(&self, i: u32) -> Rng {
        Rng::new(derive(&[
            self.run_seed,
            self.scenario.generator.rng_seed,
            fnv1a(self.scenario.id.as_bytes()),
            u64::from(i),
        ]))
    }

    /// Host `i`'s variety stream, for the values a template draws from its
    /// distributions ([`crate::variety`]): its own, so that a fixed value
    /// leaves the host's other draws as they were.
    pub fn variety_rng(&self, i: u32) -> Rng {
        Rng::new(derive(&[
            self.run_seed,
            self.scenario.generator.rng_seed,
            fnv1a(self.scenario.id.as_bytes()),
            u64::from(i),
            fnv1a(b"variety"),
        ]))
    }

    /// Host `i`.
    pub fn host(&self, i: u32) -> Host {
        let g = &self.scenario.generator;
        let user = &g.users[i as usize % g.users.len().max(1)];
        let mut sensors = g.sensors.clone();
        // A host `endpoint_dns_off_hosts` names (by number) has no DNS view.
        if sensors.endpoint_dns_off_hosts.contains(&(i + 1)) {
            sensors.endpoint_dns = false;
        }
        Host::new(
            Identity {
                scenario: self.scenario.id.clone(),
                malicious: g.template.is_malicious(),
                name: g.host_name(i),
                user: user.clone(),
                sensor: Sensor::of(g.endpoint, i),
                windows: g.windows_of(i),
                server_dns: g.server_dns,
                dns_server: g.dns_server.clone(),
                forwarder_ip: self
                    .forwarder_name()
                    .map(|f| address(&self.scenario.id, &f)),
                sensors: Arc::new(sensors),
                inspected: f64::from(i) < (g.sensors.tls_inspection * f64::from(g.hosts)).round(),
                subnet: g.host_subnet,
            },
            self.host_rng(i),
            self.start,
        )
    }

    /// The DNS forwarder's name (`{host_prefix}-DNS`), when the scenario has one.
    fn forwarder_name(&self) -> Option<String> {
        let g = &self.scenario.generator;
        g.dns_forwarder.then(|| format!("{}-DNS", g.host_prefix))
    }

    /// The DNS forwarder: a Windows server with a Log Analytics agent (its
    /// `Heartbeat` maps its address to it), whose address the DNS server logs
    /// for every lookup of the scenario's hosts.
    pub fn forwarder(&self) -> Option<Host> {
        let name = self.forwarder_name()?;
        let g = &self.scenario.generator;
        Some(Host::new(
            Identity {
                scenario: self.scenario.id.clone(),
                malicious: false,
                name,
                user: "svc_dns".to_owned(),
                sensor: Sensor::Sysmon,
                windows: Windows::Win10,
                server_dns: g.server_dns,
                dns_server: g.dns_server.clone(),
                forwarder_ip: None,
                sensors: Arc::new(g.sensors.clone()),
                inspected: false,
                subnet: None,
            },
            self.host_rng(u32::MAX),
            self.start,
        ))
    }
}
