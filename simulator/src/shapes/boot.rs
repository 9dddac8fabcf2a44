//! A host's boot (the processes it starts before the sensors' first row: none is
//! written for them) and the Task Scheduler running a task's action.

use std::sync::Arc;

use super::host::{Host, AD_DOMAIN};
use super::meta::known_meta;
use super::process::{binary_key, Boot, Proc, Spec};
use crate::record::Record;
use crate::scenario::Windows;

const SYSTEM32: &str = r"C:\Windows\System32";
/// Windows 7's task engine, between the Schedule service and a task's action.
pub const TASKENG: &str = r"C:\Windows\System32\taskeng.exe";

impl Host {
    pub(super) fn pid(&mut self) -> u32 {
        (self.rng.range(400, 15_000) as u32) & !3
    }

    pub(super) fn guid(&mut self, t: i64) -> String {
        let secs = (t.div_euclid(1000)) as u64;
        format!(
            "{{{}-{:04x}-{:04x}-{}-{}}}",
            self.guid_prefix,
            secs & 0xffff,
            (secs >> 16) & 0xffff,
            self.rng.hex(4),
            self.rng.hex(12)
        )
    }

    /// A process a boot starts (no row is written for it).
    fn booted(
        &mut self,
        image: &str,
        command_line: &str,
        system: bool,
        parent: Option<&Arc<Proc>>,
        t: i64,
    ) -> Arc<Proc> {
        Arc::new(Proc {
            guid: self.guid(t),
            pid: self.pid(),
            image: image.to_owned(),
            command_line: command_line.to_owned(),
            current_directory: format!("{SYSTEM32}\\"),
            system,
            integrity: if system { "System" } else { "Medium" },
            meta: known_meta(image).unwrap_or_default(),
            hash_key: binary_key(image),
            created_ms: t,
            parent: parent.cloned(),
        })
    }

    /// The processes a boot at `t` starts: `wininit.exe` → `services.exe` → the
    /// Schedule service; `winlogon.exe` → `userinit.exe` → `explorer.exe` (the
    /// user logs on one to ten minutes later).
    pub(super) fn boot(&mut self, t: i64) -> Boot {
        let wininit = self.booted(
            &format!(r"{SYSTEM32}\wininit.exe"),
            "wininit.exe",
            true,
            None,
            t,
        );
        let services = self.booted(
            &format!(r"{SYSTEM32}\services.exe"),
            r"C:\Windows\system32\services.exe",
            true,
            Some(&wininit),
            t + 900,
        );
        let schedule_cmd = match self.id.windows {
            Windows::Win7 => r"C:\Windows\system32\svchost.exe -k netsvcs",
            Windows::Win10 | Windows::Win11 => {
                r"C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule"
            }
        };
        let schedule = self.booted(
            &format!(r"{SYSTEM32}\svchost.exe"),
            schedule_cmd,
            true,
            Some(&services),
            t + 4_000,
        );
        let logon = t + self.rng.range(60_000, 600_000);
        let winlogon = self.booted(
            &format!(r"{SYSTEM32}\winlogon.exe"),
            "winlogon.exe",
            true,
            None,
            t + 1_500,
        );
        let userinit = self.booted(
            &format!(r"{SYSTEM32}\userinit.exe"),
            r"C:\Windows\system32\userinit.exe",
            false,
            Some(&winlogon),
            logon,
        );
        let explorer = self.booted(
            r"C:\Windows\explorer.exe",
            r"C:\Windows\Explorer.EXE",
            false,
            Some(&userinit),
            logon + 400,
        );
        Boot {
            services,
            schedule,
            explorer,
        }
    }

    /// The host restarts at `t`: every process is new (new PIDs, GUIDs and
    /// creation times).
    pub fn reboot(&mut self, t: i64) {
        self.boot = self.boot(t);
    }

    /// The Task Scheduler runs a task's action (`spec`, from [`Task::spec`]) at
    /// `t`, as Windows builds the tree: under the Schedule service on Windows 10
    /// and 11; under a transient `taskeng.exe` (in the task's account) on
    /// Windows 7. `schtasks.exe` is never the parent: it only asks the service.
    pub fn run_task(&mut self, t: i64, spec: Spec, step: &str, out: &mut Vec<Record>) -> Arc<Proc> {
        let schedule = Arc::clone(&self.boot.schedule);
        match self.id.windows {
            Windows::Win10 | Windows::Win11 => self.spawn(t, &schedule, spec, step, out),
            Windows::Win7 => {
                let account = if spec.system {
                    r"S-1-5-18:NT AUTHORITY\System:Service:".to_owned()
                } else {
                    format!(
                        r"{}:{}\{}:Interactive:[1]",
                        self.user_sid(),
                        AD_DOMAIN,
                        self.id.user
                    )
                };
                let id = self.rng.hex_upper(32);
                let cmd = format!(
                    "taskeng.exe {{{}-{}-{}-{}-{}}} {account}",
                    &id[..8],
                    &id[8..12],
                    &id[12..16],
                    &id[16..20],
                    &id[20..]
                );
                let engine = Spec::new(TASKENG, &cmd);
                let engine = if spec.system { engine.system() } else { engine };
                let eng = self.spawn(t, &schedule, engine, step, out);
                let later = t + self.rng.range(20, 300);
                self.spawn(later, &eng, spec, step, out)
            }
        }
    }
}
