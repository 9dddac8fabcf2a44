//! What each host's sensors report about the host itself, beside its activity:
//! the Log Analytics agent's `Heartbeat` every minute (Sysmon hosts, whose agent
//! ships their events), Defender's `DeviceNetworkInfo` at the window's start
//! and every hour. A host without a sensor reports nothing.

use super::plan::Plan;
use crate::record::Record;
use crate::rng::{derive, Rng};
use crate::shapes::{heartbeat, network_info, Host, Sensor};
use crate::stream::Activity;

/// The agent's heartbeat period.
pub const HEARTBEAT_MS: i64 = 60_000;
/// How often the simulated Defender sensor reports its network adapters.
pub const NETWORK_INFO_MS: i64 = 3_600_000;

pub struct Inventory {
    host: Host,
    next: i64,
    end: i64,
    every: i64,
}

impl Inventory {
    /// Host `host`'s reports (a copy of the host with its own random stream,
    /// so the activity's stream is unchanged).
    pub fn new(plan: &Plan, mut host: Host, i: u32) -> Inventory {
        host.rng = Rng::new(derive(&[host.rng.u64(), 0x0069_6e76, u64::from(i)]));
        let every = match host.id.sensor {
            Sensor::Defender => NETWORK_INFO_MS,
            Sensor::Sysmon => HEARTBEAT_MS,
            Sensor::None => 0,
        };
        Inventory {
            next: if every == 0 { plan.end } else { plan.start },
            end: plan.end,
            every,
            host,
        }
    }
}

impl Activity for Inventory {
    fn next_start(&self) -> Option<i64> {
        (self.next < self.end).then_some(self.next)
    }

    fn emit(&mut self, out: &mut Vec<Record>) {
        let t = self.next;
        out.push(match self.host.id.sensor {
            Sensor::Defender => network_info(&mut self.host, t),
            _ => heartbeat(&self.host, t),
        });
        self.next = t + self.every.max(1);
    }
}
