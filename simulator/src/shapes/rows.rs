//! What happens on a host, sent to the sensors that see it: a process starts, a
//! file is written or renamed, a name is looked up.

use std::sync::Arc;

use super::dns::Answer;
use super::host::{Host, Sensor};
use super::meta::known_meta;
use super::path::basename;
use super::process::{Proc, Spec};
use super::{defender, dnsevents, sysmon};
use crate::record::Record;

impl Host {
    /// Start a process at `t`; its creation row (if the host has a sensor) goes to `out`.
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
            hash_key: spec
                .hash_key
                .unwrap_or_else(|| basename(&spec.image).to_ascii_lowercase()),
            image: spec.image,
            command_line: spec.command_line,
            current_directory: cwd,
            system,
            integrity: if system { "System" } else { "Medium" },
            meta,
            created_ms: t,
            task_name: spec.task_name,
            parent: Some(Arc::clone(parent)),
        });
        if let Some(r) = self.process_row(t, &p, step) {
            out.push(r);
        }
        p
    }

    /// The creation row of `p`, when the host has an endpoint sensor.
    pub fn process_row(&mut self, t: i64, p: &Proc, step: &str) -> Option<Record> {
        match self.sensor {
            Sensor::None => None,
            Sensor::Sysmon => Some(sysmon::process(self, t, p, step)),
            Sensor::Defender => Some(defender::process(self, t, p, step)),
        }
    }

    /// `p` creates the file `path` at `t`.
    pub fn file(&mut self, t: i64, p: &Proc, path: &str, step: &str, out: &mut Vec<Record>) {
        match self.sensor {
            Sensor::None => {}
            Sensor::Sysmon => out.push(sysmon::file(self, t, p, path, step)),
            Sensor::Defender => {
                out.push(defender::file(self, t, p, "FileCreated", path, None, step));
            }
        }
    }

    /// `p` renames `from` to `to` at `t`: Sysmon records nothing (event 11 is
    /// creation only); Defender writes a `FileRenamed` row.
    pub fn rename(
        &mut self,
        t: i64,
        p: &Proc,
        from: &str,
        to: &str,
        step: &str,
        out: &mut Vec<Record>,
    ) {
        if self.sensor == Sensor::Defender {
            out.push(defender::file(
                self,
                t,
                p,
                "FileRenamed",
                to,
                Some(from),
                step,
            ));
        }
    }

    /// A DNS lookup of `name` by `p` at `t`: the endpoint's row (Sysmon 22 or
    /// Defender `DnsQueryResponse`, when the host has a sensor and `p` is known)
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
            match self.sensor {
                Sensor::None => {}
                Sensor::Sysmon => out.push(sysmon::lookup(self, t, p, name, ans, step)),
                Sensor::Defender => out.push(defender::lookup(self, t, p, name, qtype, step)),
            }
        }
        if server && self.server_dns {
            out.push(dnsevents::lookup(self, t, name, qtype, ans, step));
        }
    }
}
