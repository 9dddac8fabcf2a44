//! A host's network traffic, sent to the sensors that see it: Defender's
//! `DeviceNetworkEvents`, Sysmon event 3 (when the configuration logs it and its
//! include rules match), the perimeter firewall's and the web proxy's
//! `CommonSecurityLog`. No traffic row draws from the host's random stream:
//! ports and report ids are derived from the connection, so adding a sensor
//! changes no other row.

use super::conn::{ephemeral, url_host, Conn, Proto};
use super::host::{Host, Sensor};
use super::process::Proc;
use super::{defender, perimeter, sysmon};
use crate::record::Record;
use crate::scenario::{Firewall, Proxy};

impl Host {
    /// `p` connects out at `t`: the endpoint's row and the firewall's.
    pub fn connect(&mut self, t: i64, p: &Proc, c: &Conn<'_>, step: &str, out: &mut Vec<Record>) {
        let local_port = ephemeral(self, t, c);
        match self.id.sensor {
            Sensor::Defender if self.id.sensors.defender_network => {
                out.push(defender::connection(self, t, p, c, local_port, step));
            }
            Sensor::Sysmon
                if c.up
                    && self.id.sensors.sysmon_logs(3)
                    && self.id.sensors.sysmon_net_includes(&p.image, c.remote_port) =>
            {
                out.push(sysmon::connection(self, t, p, c, local_port, step));
            }
            Sensor::Defender | Sensor::Sysmon | Sensor::None => {}
        }
        if self.id.sensors.firewall != Firewall::None {
            out.push(perimeter::firewall(self, t, c, local_port, step));
        }
    }

    /// `p` fetches `url` (from `remote_ip`) at `t`: the connection, then the
    /// proxy's row.
    pub fn fetch(
        &mut self,
        t: i64,
        p: &Proc,
        url: &str,
        remote_ip: &str,
        step: &str,
        out: &mut Vec<Record>,
    ) {
        let https = url.starts_with("https://");
        let host = url_host(url);
        let port = if https { 443 } else { 80 };
        let c = Conn {
            remote_ip,
            remote_port: port,
            proto: Proto::Tcp,
            remote_url: host,
            up: true,
            app: if https { "ssl" } else { "web-browsing" },
        };
        self.connect(t, p, &c, step, out);
        if self.id.sensors.proxy != Proxy::None {
            out.push(perimeter::proxy(self, t + 1, url, remote_ip, step));
        }
    }
}

impl Host {
    /// An internet scanner probes the perimeter's public address at `t`: the
    /// firewall (if any) denies it and logs the probe.
    pub fn probe(&mut self, t: i64, scanner: &str, port: u16, step: &str, out: &mut Vec<Record>) {
        if self.id.sensors.firewall != Firewall::None {
            out.push(perimeter::inbound(self, t, scanner, port, step));
        }
    }
}
