//! The five documented benign programs, each run on an interval:
//! the BackupTool backup job, an admin's network diagnostics, a software update
//! through msiexec, a log cleanup tool and the third-party NanoCore Studio.

use std::sync::Arc;

use super::plan::Plan;
use crate::record::Record;
use crate::scenario::JobParams;
use crate::shapes::{answer, Host, Meta, Proc, Sensor, Spec};
use crate::stream::Activity;
use crate::time;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Backup,
    NetDiag,
    Update,
    Cleanup,
    Studio,
}

/// The backup tool's image (the first exclusion's path).
pub const BACKUP_TOOL: &str = r"C:\Program Files\BackupTool\nanocore.exe";
/// The admin's diagnostics tool.
pub const NETDIAG_TOOL: &str = r"C:\Tools\NetDiag\nanocore.exe";
/// The cleanup tool.
pub const CLEANUP_TOOL: &str = r"C:\Program Files\SysTidy\nanocore.exe";
/// The third-party tool.
pub const STUDIO: &str = r"C:\Program Files\Nanocore Imaging\NanoCore-Studio.exe";
/// Its vendor, as its version information says.
pub const STUDIO_COMPANY: &str = "Nanocore Imaging GmbH";
/// The update staging folder (the third exclusion's path).
pub const UPDATE_PACKAGE: &str = r"C:\Windows\Temp\update_package";

const CMD: &str = r"C:\Windows\System32\cmd.exe";
const POWERSHELL: &str = r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe";
const SCHTASKS: &str = r"C:\Windows\System32\schtasks.exe";
const MSIEXEC: &str = r"C:\Windows\System32\msiexec.exe";
const RUNDLL32: &str = r"C:\Windows\System32\rundll32.exe";

pub struct Job {
    host: Host,
    kind: JobKind,
    files: u32,
    end: i64,
    next: i64,
    interval_ms: f64,
    jitter: f64,
    run: u64,
    explorer: Arc<Proc>,
    scheduler: Arc<Proc>,
}

impl Job {
    pub fn new(plan: &Plan, mut host: Host, kind: JobKind, p: &JobParams) -> Job {
        let explorer = host.explorer(plan.start);
        let scheduler = host.scheduler(plan.start);
        let interval_ms = p.interval_minutes * 60_000.0 / plan.scale;
        let window = (plan.end - plan.start).max(1) as f64;
        let next = plan.start + (host.rng.unit() * interval_ms.min(window)) as i64;
        Job {
            kind,
            files: p.files_per_run,
            end: plan.end,
            next,
            interval_ms,
            jitter: plan.scenario.generator.jitter,
            run: 0,
            explorer,
            scheduler,
            host,
        }
    }

    fn gap(&mut self) -> i64 {
        self.host.rng.range(150, 2_500)
    }

    fn backup(&mut self, mut t: i64, out: &mut Vec<Record>) {
        let task = "Nightly Backup";
        let sched = Arc::clone(&self.scheduler);
        let sch = self.host.spawn(
            t,
            &sched,
            Spec::new(SCHTASKS, &format!(r#"schtasks.exe /run /tn "{task}""#)).system(),
            "backup-task",
            out,
        );
        t += self.gap();
        let name = self.host.name.clone();
        let tool = self.host.spawn(
            t,
            &sch,
            Spec::new(
                BACKUP_TOOL,
                &format!(
                    r#""{BACKUP_TOOL}" --job "{task}" --source C:\Windows\System32\config\RegBack --source C:\Users --target \\backup01.corp.contoso.com\archive\{name}"#
                ),
            )
            .system()
            .meta(Meta::new("BackupTool Software Ltd.", "BackupTool archiver", "BackupTool", "nanocore.exe", "3.2.1.0"))
            .cwd(r"C:\Program Files\BackupTool\"),
            "backup-run",
            out,
        );
        t += self.gap();
        let server = "backup01.corp.contoso.com";
        self.host.lookup(
            t,
            Some(&tool),
            server,
            "A",
            &answer(server, "A", false),
            true,
            "backup-lookup",
            out,
        );
        let stamp = format!("{}_{}", time::compact_date(t), time::compact_time(t));
        for n in 1..=self.files {
            t += self.gap() * 20;
            let path = format!(r"C:\ProgramData\BackupTool\staging\{name}_{stamp}_part{n:03}.zip");
            self.host.file(t, &tool, &path, "backup-archive", out);
        }
    }

    fn netdiag(&mut self, mut t: i64, out: &mut Vec<Record>) {
        const ARGS: [&str; 5] = [
            "netstat -ano",
            "netstat -rn",
            "nmap -sT -p 22,80,443,3389 10.20.0.0/24",
            "nmap -sn 10.20.4.0/24",
            "tcpdump -i 1 -c 200 port 53",
        ];
        let explorer = Arc::clone(&self.explorer);
        let use_ps = self.host.rng.chance(0.5);
        let shell = if use_ps {
            Spec::new(POWERSHELL, &format!(r#""{POWERSHELL}""#))
        } else {
            Spec::new(CMD, &format!(r#""{CMD}""#))
        };
        let sh = self.host.spawn(
            t,
            &explorer,
            shell.cwd(r"C:\Tools\NetDiag\"),
            "admin-shell",
            out,
        );
        t += self.gap() * 4;
        let args = *self.host.rng.pick(&ARGS).unwrap_or(&ARGS[0]);
        let tool = self.host.spawn(
            t,
            &sh,
            Spec::new(NETDIAG_TOOL, &format!("nanocore.exe {args}"))
                .meta(Meta::new(
                    "Contoso IT",
                    "Network diagnostics helper",
                    "Contoso NetDiag",
                    "nanocore.exe",
                    "1.4.0.0",
                ))
                .cwd(r"C:\Tools\NetDiag\"),
            "diag-run",
            out,
        );
        for name in [
            "dc01.corp.contoso.com",
            "gw01.corp.contoso.com",
            "fs01.corp.contoso.com",
        ] {
            t += self.gap();
            self.host.lookup(
                t,
                Some(&tool),
                name,
                "A",
                &answer(name, "A", false),
                true,
                "diag-lookup",
                out,
            );
        }
        for n in 1..=self.files {
            t += self.gap();
            let path = format!(
                r"C:\Tools\NetDiag\reports\{}-{}-{}-{n}.txt",
                self.host.name,
                time::compact_date(t),
                time::compact_time(t)
            );
            self.host.file(t, &tool, &path, "diag-report", out);
        }
    }

    fn update(&mut self, mut t: i64, out: &mut Vec<Record>) {
        let updater_image = r"C:\Program Files\Fabrikam\Viewer\FabrikamUpdate.exe";
        let fabrikam =
            |d: &str, o: &str| Meta::new("Fabrikam, Inc.", d, "Fabrikam Viewer", o, "4.2.0.0");
        let sched = Arc::clone(&self.scheduler);
        let updater = self.host.spawn(
            t,
            &sched,
            Spec::new(
                updater_image,
                &format!(r#""{updater_image}" /check /silent"#),
            )
            .system()
            .meta(fabrikam("Fabrikam Update Service", "FabrikamUpdate.exe")),
            "updater",
            out,
        );
        t += self.gap();
        let server = "updates.fabrikam.com";
        self.host.lookup(
            t,
            Some(&updater),
            server,
            "A",
            &answer(server, "A", false),
            true,
            "update-lookup",
            out,
        );
        let version = format!("4.2.{}", 10 + self.run);
        let msi = format!(r"{UPDATE_PACKAGE}\FabrikamViewer-{version}.msi");
        for path in [
            format!(r"{UPDATE_PACKAGE}\manifest.json"),
            msi.clone(),
            format!(r"{UPDATE_PACKAGE}\nanocore.dll"),
        ] {
            t += self.gap();
            self.host.file(t, &updater, &path, "stage-package", out);
        }
        t += self.gap();
        let installer = self.host.spawn(
            t,
            &updater,
            Spec::new(
                MSIEXEC,
                &format!(r#"C:\Windows\system32\msiexec.exe /i "{msi}" /qn /norestart"#),
            )
            .system(),
            "msiexec",
            out,
        );
        let app = r"C:\Program Files\Fabrikam\Viewer";
        let mut installed = vec![
            format!(r"{app}\nanocore.dll"),
            format!(r"{app}\FabrikamViewer.exe"),
        ];
        installed.extend((1..=self.files).map(|n| format!(r"{app}\resources\viewer_{n:02}.pak")));
        for path in installed {
            t += self.gap();
            self.host.file(t, &installer, &path, "install-files", out);
        }
        t += self.gap();
        let ca_tmp = format!(
            r"C:\Windows\Installer\MSI{}.tmp",
            self.host.rng.hex_upper(4)
        );
        let sfx = self.host.rng.range(100_000, 999_999);
        let ca = self.host.spawn(
            t,
            &installer,
            Spec::new(
                RUNDLL32,
                &format!(
                    r#"C:\Windows\system32\rundll32.exe "{ca_tmp}",zzzzInvokeManagedCustomActionOutOfProc SfxCA_{sfx} 7 Fabrikam.Setup!Fabrikam.Setup.Actions.RegisterPlugins"#
                ),
            )
            .system(),
            "custom-action",
            out,
        );
        t += self.gap();
        self.host.file(
            t,
            &ca,
            &format!(r"{app}\plugins\nanocore.dll"),
            "custom-action",
            out,
        );
    }

    fn cleanup(&mut self, mut t: i64, out: &mut Vec<Record>) {
        let meta = Meta::new(
            "SysTidy Software",
            "SysTidy cleanup tool",
            "SysTidy",
            "nanocore.exe",
            "2.0.3.0",
        );
        let tool = if self.run.is_multiple_of(2) {
            // An admin runs it by hand with cleanup arguments.
            let explorer = Arc::clone(&self.explorer);
            let sh = self.host.spawn(
                t,
                &explorer,
                Spec::new(CMD, &format!(r#""{CMD}""#)),
                "admin-shell",
                out,
            );
            t += self.gap() * 4;
            self.host.spawn(
                t,
                &sh,
                Spec::new(
                    CLEANUP_TOOL,
                    &format!(
                        r#""{CLEANUP_TOOL}" /clean /logs C:\ProgramData\Fabrikam\logs /days 30"#
                    ),
                )
                .meta(meta),
                "cleanup-run",
                out,
            )
        } else {
            // The scheduled task, whose own command line has no cleanup word: only
            // its task name says what it is.
            let (task, args) = if self.run % 4 == 1 {
                ("TempCleanup", "/temp /days 7")
            } else {
                (r"\Maintenance\LogCleanup", "/logs /days 30")
            };
            let cmd = format!(r#""{CLEANUP_TOOL}" {args}"#);
            if self.host.sensor == Sensor::Sysmon {
                // Sysmon records no task name; it is readable only from a
                // `schtasks.exe /run /tn` parent.
                let sched = Arc::clone(&self.scheduler);
                let sch = self.host.spawn(
                    t,
                    &sched,
                    Spec::new(SCHTASKS, &format!(r#"schtasks.exe /run /tn "{task}""#)).system(),
                    "cleanup-task",
                    out,
                );
                t += self.gap();
                self.host.spawn(
                    t,
                    &sch,
                    Spec::new(CLEANUP_TOOL, &cmd).system().meta(meta),
                    "cleanup-run",
                    out,
                )
            } else {
                let sched = Arc::clone(&self.scheduler);
                self.host.spawn(
                    t,
                    &sched,
                    Spec::new(CLEANUP_TOOL, &cmd).system().meta(meta).task(task),
                    "cleanup-run",
                    out,
                )
            }
        };
        for n in 1..=self.files {
            t += self.gap();
            let path = format!(
                r"C:\ProgramData\SysTidy\reports\tidy-{}-{}-{n}.log",
                time::compact_date(t),
                time::compact_time(t)
            );
            self.host.file(t, &tool, &path, "cleanup-report", out);
        }
    }

    fn studio(&mut self, mut t: i64, out: &mut Vec<Record>) {
        let scan = format!(
            r"{}\Pictures\Scans\scan_{:04}.tif",
            self.host.profile(),
            40 + self.run
        );
        let explorer = Arc::clone(&self.explorer);
        let app = self.host.spawn(
            t,
            &explorer,
            Spec::new(STUDIO, &format!(r#""{STUDIO}" "{scan}""#))
                .meta(Meta::new(
                    STUDIO_COMPANY,
                    "NanoCore Studio",
                    "NanoCore Studio",
                    "NanoCore-Studio.exe",
                    "7.4.2.0",
                ))
                .cwd(r"C:\Program Files\Nanocore Imaging\"),
            "studio",
            out,
        );
        for name in ["license.nanocore-imaging.de", "updates.nanocore-imaging.de"] {
            t += self.gap();
            self.host.lookup(
                t,
                Some(&app),
                name,
                "A",
                &answer(name, "A", false),
                true,
                "studio-lookup",
                out,
            );
        }
        t += self.gap();
        let ini = format!(
            r"{}\Nanocore Imaging\NanoCore-Studio.ini",
            self.host.appdata()
        );
        self.host.file(t, &app, &ini, "studio-settings", out);
        for n in 1..=self.files {
            t += self.gap() * 10;
            let path = format!(
                r"{}\Pictures\Scans\Export\scan_{:04}_{n}.png",
                self.host.profile(),
                40 + self.run
            );
            self.host.file(t, &app, &path, "studio-export", out);
        }
    }
}

impl Activity for Job {
    fn next_start(&self) -> Option<i64> {
        (self.next < self.end).then_some(self.next)
    }

    fn emit(&mut self, out: &mut Vec<Record>) {
        let t = self.next;
        match self.kind {
            JobKind::Backup => self.backup(t, out),
            JobKind::NetDiag => self.netdiag(t, out),
            JobKind::Update => self.update(t, out),
            JobKind::Cleanup => self.cleanup(t, out),
            JobKind::Studio => self.studio(t, out),
        }
        self.run += 1;
        self.next = t + self.host.rng.jitter_ms(self.interval_ms, self.jitter);
    }
}
