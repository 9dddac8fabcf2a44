//! What happens on a host, sent to the sensors that see it: a process starts, a
//! file is written or renamed, a name is looked up.

use std::sync::Arc;

use super::dns::Answer;
use super::host::{Host, Sensor};
use super::meta::known_meta;
use super::process::{binary_key, Proc, Spec};
use super::{defender, dnsevents, inventory, sysmon};
use crate::record::Record;

impl Host {
    /// Start a process at `t`; its creation row (if the host has a sensor) goes to
    /// `out`, after its image's certificate row the first time a Defender host
    /// runs a signed image.
    pub fn spawn(
        &mut self,
        t: i64,
        parent: &Arc<Proc>,
        spec: Spec,
        step: &str,
        out: &mut Vec<Record>,
    ) -> Arc<Proc> {
        let meta = spec
            .meta
            .or_else(|| known_meta(&spec.image))
            .unwrap_or_default();
        let system = spec.system;
        let cwd = spec.current_directory.unwrap_or_else(|| {
            if system {
                r"C:\Windows\system32\".to_owned()
            } else {
                format!("{}\\", self.profile())
            }
        });
        let p = Arc::new(Proc {
            guid: self.guid(t),
            pid: self.pid(),
            hash_key: spec.hash_key.unwrap_or_else(|| match &self.installed_as {
                Some((image, build)) if image.eq_ignore_ascii_case(&spec.image) => {
                    binary_key(build)
                }
                _ => binary_key(&spec.image),
            }),
            image: spec.image,
            command_line: spec.command_line,
            current_directory: cwd,
            system,
            integrity: if system { "System" } else { "Medium" },
            meta,
            created_ms: t,
            parent: Some(Arc::clone(parent)),
        });
        if self.id.sensor == Sensor::Defender {
            if let Some(r) = inventory::certificate(self, t, &p) {
                out.push(r);
            }
        }
        if let Some(r) = self.process_row(t, &p, step) {
            out.push(r);
        }
        p
    }

    /// The creation row of `p`, when the host has an endpoint sensor.
    pub fn process_row(&mut self, t: i64, p: &Proc, step: &str) -> Option<Record> {
        match self.id.sensor {
            Sensor::None => None,
            Sensor::Sysmon if self.id.sensors.sysmon_logs(1) => {
                Some(sysmon::process(self, t, p, step))
            }
            Sensor::Sysmon => None,
            Sensor::Defender => Some(defender::process(self, t, p, step)),
        }
    }

    /// `p` creates the file `path` at `t` (its hashes are the path's: the
    /// binary that later runs from there has the same).
    pub fn file(&mut self, t: i64, p: &Proc, path: &str, step: &str, out: &mut Vec<Record>) {
        self.write(t, p, path, &binary_key(path), step, out);
    }

    /// `p` creates the file `path`, whose content has the hash key `key`, at `t`.
    pub fn write(
        &mut self,
        t: i64,
        p: &Proc,
        path: &str,
        key: &str,
        step: &str,
        out: &mut Vec<Record>,
    ) {
        match self.id.sensor {
            Sensor::None => {}
            Sensor::Sysmon if self.id.sensors.sysmon_logs(11) => {
                out.push(sysmon::file(self, t, p, path, step));
            }
            Sensor::Sysmon => {}
            Sensor::Defender => {
                out.push(defender::file(
                    self,
                    t,
                    p,
                    "FileCreated",
                    path,
                    key,
                    None,
                    step,
                ));
            }
        }
    }

    /// `p` renames `from` to `to` (content key `key`) at `t`: Sysmon records
    /// nothing (event 11 is creation only); Defender writes a `FileRenamed` row.
    #[allow(clippy::too_many_arguments)]
    pub fn rename(
        &mut self,
        t: i64,
        p: &Proc,
        from: &str,
        to: &str,
        key: &str,
        step: &str,
        out: &mut Vec<Record>,
    ) {
        if self.id.sensor == Sensor::Defender {
            out.push(defender::file(
                self,
                t,
                p,
                "FileRenamed",
                to,
                key,
                Some(from),
                step,
            ));
        }
    }

    /// A DNS lookup of `name` by `p` at `t`: the endpoint's row (Sysmon 22 or
    /// Defender `DnsQueryResponse`, when the host has a sensor that sees DNS,
    /// `endpoint_dns` is on for the host and `step` and `p` is known; Sysmon
    /// 22 not on Windows 7)
    /// and the DNS server's `DnsEvents` row (when `server`).
    #[allow(clippy::too_many_arguments)]
    pub fn lookup(
        &mut self,
        t: i64,
        p: Option<&Proc>,
        name: &str,
        qtype: &str,
        ans: &Answer,
        server: bool,
        step: &str,
        out: &mut Vec<Record>,
    ) {
        if let Some(p) = p {
            match self.id.sensor {
                _ if !self.id.sensors.endpoint_dns_sees(step) => {}
                Sensor::None => {}
                Sensor::Sysmon
                    if self.id.sensors.sysmon_logs(22) && self.id.windows.has_dns_query_event() =>
                {
                    out.push(sysmon::lookup(self, t, p, name, ans, step));
                }
                Sensor::Sysmon => {}
                Sensor::Defender => out.push(defender::lookup(self, t, p, name, qtype, step)),
            }
        }
        if server && self.id.server_dns {
            out.push(dnsevents::lookup(self, t, name, qtype, ans, step));
        }
    }

    /// The DNS server's row alone: a query the endpoint's resolver made for the
    /// host without a process asking for that name (a suffix-search retry).
    pub fn server_lookup(
        &mut self,
        t: i64,
        name: &str,
        qtype: &str,
        ans: &Answer,
        step: &str,
        out: &mut Vec<Record>,
    ) {
        if self.id.server_dns {
            out.push(dnsevents::lookup(self, t, name, qtype, ans, step));
        }
    }
}
