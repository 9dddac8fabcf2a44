//! The five documented benign programs, each run on an interval:
//! the BackupTool backup job, an admin's network diagnostics, a software update
//! through msiexec, a log cleanup tool and the third-party NanoCore Studio.

use std::sync::Arc;

use super::plan::Plan;
use crate::record::Record;
use crate::rng::Rng;
use crate::scenario::JobParams;
use crate::shapes::{answer, Host, Meta, Spec, Task};
use crate::stream::Activity;
use crate::time;
use crate::variety::{Dimension, Pick, CMD};

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
    /// The host's variety stream, and the scenario's picks.
    vrng: Rng,
    picks: Vec<(Dimension, Pick)>,
    /// The tool's image (its install folder and file name).
    image: String,
    /// Its install folder.
    dir: String,
    /// Whether its image is signed by its vendor.
    signed: bool,
    /// The daily start time its tasks are registered with.
    task_start: String,
    /// When its tasks are registered, if before the window
    /// (`registered_days_before`); taken when done.
    register_at: Option<i64>,
    /// Whether its tasks are registered already.
    registered: bool,
}

/// The documented install folder and file name of each job's tool.
fn documented(kind: JobKind) -> (&'static str, &'static str) {
    let split = |p: &'static str| p.rsplit_once('\\').unwrap_or(("", p));
    match kind {
        JobKind::Backup => split(BACKUP_TOOL),
        JobKind::NetDiag => split(NETDIAG_TOOL),
        JobKind::Update => split(UPDATER),
        JobKind::Cleanup => split(CLEANUP_TOOL),
        JobKind::Studio => split(STUDIO),
    }
}

impl Job {
    pub fn new(plan: &Plan, mut host: Host, mut vrng: Rng, kind: JobKind, p: &JobParams) -> Job {
        // Drawn once per host, in this order: where it is installed, its task's
        // name, whether it is signed, when its task is scheduled.
        let (doc_dir, file) = documented(kind);
        let mut draw = |dim, documented: &str| {
            p.pick(dim)
                .map_or_else(|| documented.to_owned(), |pk| pk.value(&mut vrng))
        };
        let dir = draw(Dimension::InstallDir, doc_dir);
        let first_task = if kind == JobKind::Cleanup {
            "TempCleanup"
        } else {
            "Nightly Backup"
        };
        let task_name = draw(Dimension::TaskName, first_task);
        let signed = draw(Dimension::Signature, "unsigned") == "signed" || kind == JobKind::Update;
        let task_start = draw(Dimension::TaskStart, "02:00");
        let image = format!("{dir}\\{file}");
        // Installed elsewhere, the tool is the same build: its digests are the
        // documented install's.
        if dir != doc_dir {
            host.installed_as = Some((image.clone(), format!("{doc_dir}\\{file}")));
        }
        let tasks = Self::tasks(kind, &host.id.name, &image, &task_name);
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
            vrng,
            picks: p.variety.clone(),
            image,
            dir,
            signed,
            task_start,
            register_at: p
                .registered_days_before
                .map(|d| plan.start - (d * 86_400_000.0) as i64),
            registered: false,
        }
    }

    /// A per-run value: the scenario's pick for `dim`, else `documented`.
    fn per_run(&mut self, dim: Dimension, documented: &str) -> String {
        match self.picks.iter().find(|(d, _)| *d == dim) {
            Some((_, p)) => p.value(&mut self.vrng),
            None => documented.to_owned(),
        }
    }

    /// The tool's version information, signed by `vendor` when it is signed.
    fn meta(&self, meta: Meta, vendor: &str) -> Meta {
        if self.signed {
            meta.signed(vendor)
        } else {
            meta
        }
    }

    /// The tasks each job runs as: the backup, the updater's check, and the two
    /// cleanup tasks (paths as Windows writes them).
    fn tasks(kind: JobKind, host: &str, image: &str, first: &str) -> Vec<Task> {
        match kind {
            JobKind::Backup => vec![Task::new(
                first,
                image,
                &format!(
                    r#"--job "Nightly Backup" --source C:\Windows\System32\config\RegBack --source C:\Users --target \\backup01.corp.contoso.com\archive\{host}"#
                ),
                true,
            )],
            JobKind::Update => vec![Task::new(
                r"Fabrikam\Viewer Update",
                image,
                "/check /silent",
                true,
            )],
            JobKind::Cleanup => vec![
                Task::new(first, image, "/temp /days 7", true),
                Task::new(r"Maintenance\LogCleanup", image, "/logs /days 30", true),
            ],
            JobKind::NetDiag | JobKind::Studio => Vec::new(),
        }
    }

    /// An administrator registers the job's tasks with `schtasks.exe /create`
    /// and, when the job's first run is the task's, starts it with
    /// `schtasks.exe /run`, which asks the Task Scheduler service to run it (the
    /// service, not schtasks.exe, starts the action). Returns the time after.
    fn register(&mut self, mut t: i64, start_now: bool, out: &mut Vec<Record>) -> i64 {
        self.registered = true;
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
                    &format!(r#"schtasks.exe /create /tn "{}" /tr "{tr}" /sc daily /st {} /ru SYSTEM /f"#, task.name, self.task_start),
                ),
                "task-register",
                out,
            );
            t += self.gap() / 4 + 1;
            self.host
                .register_task(t, &create, &task, "task-register", out);
        }
        let first_run_is_a_task = start_now && self.kind != JobKind::Cleanup;
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
        let meta = Meta::new(
            "BackupTool Software Ltd.",
            "BackupTool archiver",
            "BackupTool",
            "nanocore.exe",
            "3.2.1.0",
        );
        let spec = self.tasks[0]
            .spec()
            .meta(self.meta(meta, "BackupTool Software Ltd."))
            .cwd(&format!("{}\\", self.dir));
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
        // Per run, in this order: the shell, then the tool's arguments.
        let shell = self.per_run(Dimension::Shell, CMD);
        let args = self.per_run(Dimension::Command, "netstat -ano");
        let explorer = Arc::clone(&self.host.boot.explorer);
        let cwd = format!("{}\\", self.dir);
        let sh = self.host.spawn(
            t,
            &explorer,
            Spec::new(&shell, &format!(r#""{shell}""#)).cwd(&cwd),
            "admin-shell",
            out,
        );
        t += self.gap() * 4;
        let meta = Meta::new(
            "Contoso IT",
            "Network diagnostics helper",
            "Contoso NetDiag",
            "nanocore.exe",
            "1.4.0.0",
        );
        let tool = self.host.spawn(
            t,
            &sh,
            Spec::new(&self.image, &format!("nanocore.exe {args}"))
                .meta(self.meta(meta, "Contoso IT"))
                .cwd(&cwd),
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
                r"{}\reports\{}-{}-{}-{n}.txt",
                self.dir,
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
        let meta = self.meta(meta, "SysTidy Software");
        let tool = if self.run.is_multiple_of(2) {
            // An admin runs it by hand with cleanup arguments (per run, in this
            // order: the shell, then the arguments).
            let shell = self.per_run(Dimension::Shell, CMD);
            let args = self.per_run(
                Dimension::Command,
                r"/clean /logs C:\ProgramData\Fabrikam\logs /days 30",
            );
            let explorer = Arc::clone(&self.host.boot.explorer);
            let sh = self.host.spawn(
                t,
                &explorer,
                Spec::new(&shell, &format!(r#""{shell}""#)),
                "admin-shell",
                out,
            );
            t += self.gap() * 4;
            let image = self.image.clone();
            self.host.spawn(
                t,
                &sh,
                Spec::new(&image, &format!(r#""{image}" {args}"#)).meta(meta),
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
        let meta = Meta::new(
            STUDIO_COMPANY,
            "NanoCore Studio",
            "NanoCore Studio",
            "NanoCore-Studio.exe",
            "7.4.2.0",
        );
        let image = self.image.clone();
        let app = self.host.spawn(
            t,
            &explorer,
            Spec::new(&image, &format!(r#""{image}" "{scan}""#))
                .meta(self.meta(meta, STUDIO_COMPANY))
                .cwd(&format!("{}\\", self.dir)),
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
        self.register_at
            .or((self.next < self.end).then_some(self.next))
    }

    fn emit(&mut self, out: &mut Vec<Record>) {
        if let Some(at) = self.register_at.take() {
            // Registered days before the window, by an administrator: the
            // runs come inside it.
            if !self.tasks.is_empty() {
                self.register(at, false, out);
            }
            return;
        }
        let mut t = self.next;
        if !self.registered && !self.tasks.is_empty() {
            t = self.register(t, true, out);
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
