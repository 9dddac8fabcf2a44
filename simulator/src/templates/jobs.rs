//! The five documented benign programs, each run on an interval:
//! the BackupTool backup job, an admin's network diagnostics, a software update
//! through msiexec, a log cleanup tool and the third-party NanoCore Studio.

use std::sync::Arc;

use super::plan::Plan;
use crate::record::Record;
use crate::scenario::JobParams;
use crate::shapes::{answer, Host, Meta, Spec, Task};
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
/// The updater the Task Scheduler runs.
pub const UPDATER: &str = r"C:\Program Files\Fabrikam\Viewer\FabrikamUpdate.exe";
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
    /// The scheduled tasks the job runs as (registered in its first episode).
    tasks: Vec<Task>,
}

impl Job {
    pub fn new(plan: &Plan, mut host: Host, kind: JobKind, p: &JobParams) -> Job {
        let tasks = Self::tasks(kind, &host.id.name);
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
            tasks,
            host,
        }
    }

    /// The tasks each job runs as: the backup, the updater's check, and the two
    /// cleanup tasks (paths as Windows writes them).
    fn tasks(kind: JobKind, host: &str) -> Vec<Task> {
        match kind {
            JobKind::Backup => vec![Task::new(
                "Nightly Backup",
                BACKUP_TOOL,
                &format!(
                    r#"--job "Nightly Backup" --source C:\Windows\System32\config\RegBack --source C:\Users --target \\backup01.corp.contoso.com\archive\{host}"#
                ),
                true,
            )],
            JobKind::Update => vec![Task::new(
                r"Fabrikam\Viewer Update",
                UPDATER,
                "/check /silent",
                true,
            )],
            JobKind::Cleanup => vec![
                Task::new("TempCleanup", CLEANUP_TOOL, "/temp /days 7", true),
                Task::new(
                    r"Maintenance\LogCleanup",
                    CLEANUP_TOOL,
                    "/logs /days 30",
                    true,
                ),
            ],
            JobKind::NetDiag | JobKind::Studio => Vec::new(),
        }
    }

    /// An administrator registers the job's tasks with `schtasks.exe /create`
    /// and, when the job's first run is the task's, starts it with
    /// `schtasks.exe /run`, which asks the Task Scheduler service to run it (the
    /// service, not schtasks.exe, starts the action). Returns the time after.
    fn register(&mut self, mut t: i64, out: &mut Vec<Record>) -> i64 {
        let explorer = Arc::clone(&self.host.boot.explorer);
        let shell = self.host.spawn(
            t,
            &explorer,
            Spec::new(CMD, &format!(r#""{CMD}""#)),
            "admin-shell",
            out,
        );
        for task in self.tasks.clone() {
            t += self.gap() * 4;
            let tr = task.command_line().replace('"', "\\\"");
            let create = self.host.spawn(
                t,
                &shell,
                Spec::new(
                    SCHTASKS,
                    &format!(r#"schtasks.exe /create /tn "{}" /tr "{tr}" /sc daily /st 02:00 /ru SYSTEM /f"#, task.name),
                ),
                "task-register",
                out,
            );
            t += self.gap() / 4 + 1;
            self.host
                .register_task(t, &create, &task, "task-register", out);
        }
        let first_run_is_a_task = self.kind != JobKind::Cleanup;
        if let Some(first) = self.tasks.first().filter(|_| first_run_is_a_task) {
            let run = format!(r#"schtasks.exe /run /tn "{}""#, first.name);
            t += self.gap() * 2;
            self.host
                .spawn(t, &shell, Spec::new(SCHTASKS, &run), "task-register", out);
            t += self.gap();
        }
        t
    }

    fn gap(&mut self) -> i64 {
        self.host.rng.range(150, 2_500)
    }

    fn backup(&mut self, mut t: i64, out: &mut Vec<Record>) {
        let name = self.host.id.name.clone();
        let spec = self.tasks[0]
            .spec()
            .meta(
                Meta::new(
                    "BackupTool Software Ltd.",
                    "BackupTool archiver",
                    "BackupTool",
                    "nanocore.exe",
                    "3.2.1.0",
                )
                .signed("BackupTool Software Ltd."),
            )
            .cwd(r"C:\Program Files\BackupTool\");
        let tool = self.host.run_task(t, spec, "backup-run", out);
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
        let explorer = Arc::clone(&self.host.boot.explorer);
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
                self.host.id.name,
                time::compact_date(t),
                time::compact_time(t)
            );
            self.host.file(t, &tool, &path, "diag-report", out);
        }
    }

    fn update(&mut self, mut t: i64, out: &mut Vec<Record>) {
        let fabrikam = |d: &str, o: &str| {
            Meta::new("Fabrikam, Inc.", d, "Fabrikam Viewer", o, "4.2.0.0").signed("Fabrikam, Inc.")
        };
        let spec = self.tasks[0]
            .spec()
            .meta(fabrikam("Fabrikam Update Service", "FabrikamUpdate.exe"));
        let updater = self.host.run_task(t, spec, "updater", out);
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
            let explorer = Arc::clone(&self.host.boot.explorer);
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
            // A scheduled run, whose own command line has no cleanup word: only
            // its task's name says what it is, and no process row carries it.
            let task = &self.tasks[if self.run % 4 == 1 { 0 } else { 1 }];
            let spec = task.spec().meta(meta);
            self.host.run_task(t, spec, "cleanup-run", out)
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
        let explorer = Arc::clone(&self.host.boot.explorer);
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
        let mut t = self.next;
        if self.run == 0 && !self.tasks.is_empty() {
            t = self.register(t, out);
        }
        match self.kind {
            JobKind::Backup => self.backup(t, out),
            JobKind::NetDiag => self.netdiag(t, out),
            JobKind::Update => self.update(t, out),
            JobKind::Cleanup => self.cleanup(t, out),
            JobKind::Studio => self.studio(t, out),
        }
        self.run += 1;
        self.next += self.host.rng.jitter_ms(self.interval_ms, self.jitter);
    }
}
