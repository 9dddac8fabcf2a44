//! The implant's persistence other than its scheduled task (a Run value, a
//! service, a Startup-folder shortcut), what starts it again after a reboot,
//! and the processes a scenario puts between the user's shell and the
//! delivery.

use std::sync::Arc;

use super::Infection;
use crate::record::Record;
use crate::scenario::Persistence;
use crate::shapes::{Proc, Spec};

const REG: &str = r"C:\Windows\System32\reg.exe";
const SC: &str = r"C:\Windows\System32\sc.exe";
/// The per-user Run key.
pub const RUN_KEY: &str = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run";

impl Infection {
    /// Install the persistence of a directly started implant (not its
    /// scheduled task): `reg.exe add` of a Run value, `sc.exe create` of a
    /// service, or a shortcut written into the Startup folder. Returns the
    /// time after.
    pub(super) fn persist(
        &mut self,
        mut t: i64,
        implant: &Arc<Proc>,
        out: &mut Vec<Record>,
    ) -> i64 {
        let name = self.p.task_name.trim_start_matches('\\').to_owned();
        let action = self.task.command_line();
        match self.p.persistence {
            Persistence::None | Persistence::ScheduledTask => {}
            Persistence::RunKey => {
                t += self.gap();
                let data = action.replace('"', "\\\"");
                let cmd = format!(r#""{REG}" add {RUN_KEY} /v "{name}" /t REG_SZ /d "{data}" /f"#);
                self.host
                    .spawn(t, implant, Spec::new(REG, &cmd), "persistence", out);
            }
            Persistence::Service => {
                t += self.gap();
                let bin = action.replace('"', "\\\"");
                let cmd = format!(r#""{SC}" create "{name}" binPath= "{bin}" start= auto"#);
                self.host
                    .spawn(t, implant, Spec::new(SC, &cmd), "persistence", out);
            }
            Persistence::StartupFolder => {
                t += self.gap();
                let lnk = format!(
                    r"{}\Microsoft\Windows\Start Menu\Programs\Startup\{name}.lnk",
                    self.host.appdata()
                );
                self.host.file(t, implant, &lnk, "persistence", out);
            }
        }
        t
    }

    /// What starts the implant after a reboot: the Task Scheduler,
    /// `explorer.exe` (a Run value, the Startup folder) or `services.exe`
    /// (as SYSTEM).
    pub(super) fn restart(&mut self, t: i64, out: &mut Vec<Record>) -> Arc<Proc> {
        let spec = self.implant_spec();
        match self.p.persistence {
            Persistence::RunKey | Persistence::StartupFolder => {
                let explorer = Arc::clone(&self.host.boot.explorer);
                self.host.spawn(t, &explorer, spec, "relaunch", out)
            }
            Persistence::Service => {
                let services = Arc::clone(&self.host.boot.services);
                self.host
                    .spawn(t, &services, spec.system(), "relaunch", out)
            }
            Persistence::ScheduledTask | Persistence::None => {
                self.host.run_task(t, spec, "relaunch", out)
            }
        }
    }

    /// The scenario's `parent_chain`, started in turn under the user's shell
    /// (`t` moves past each start): its last process, or `None` when the
    /// scenario gives none.
    pub(super) fn chain(
        &mut self,
        t: &mut i64,
        explorer: &Arc<Proc>,
        out: &mut Vec<Record>,
    ) -> Option<Arc<Proc>> {
        let mut parent = Arc::clone(explorer);
        for image in self.p.parent_chain.clone() {
            parent = self.host.spawn(
                *t,
                &parent,
                Spec::new(&image, &format!(r#""{image}""#)),
                "delivery-parent",
                out,
            );
            *t += self.gap();
        }
        (!self.p.parent_chain.is_empty()).then_some(parent)
    }
}
