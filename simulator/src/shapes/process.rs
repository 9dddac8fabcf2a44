//! The process tree: processes, what a new one looks like, the processes a
//! boot starts (before the sensors' first row: none is written) and the
//! scheduled tasks the Task Scheduler runs.

use std::sync::Arc;

use super::host::Host;
use super::meta::{known_meta, Meta};
use crate::scenario::Windows;

/// A running process, with its parent chain.
#[derive(Debug, Clone)]
pub struct Proc {
    pub guid: String,
    pub pid: u32,
    pub image: String,
    pub command_line: String,
    pub current_directory: String,
    /// `true` for `NT AUTHORITY\SYSTEM`, else the host's user.
    pub system: bool,
    pub integrity: &'static str,
    pub meta: Meta,
    /// Key of the binary's stable hashes: the same file has the same hashes in
    /// every row and table that names it.
    pub hash_key: String,
    pub created_ms: i64,
    pub parent: Option<Arc<Proc>>,
}

/// What a new process looks like (its parent is given separately).
#[derive(Debug, Clone)]
pub struct Spec {
    pub image: String,
    pub command_line: String,
    pub system: bool,
    pub meta: Option<Meta>,
    /// Key of the binary's hashes; default [`binary_key`] of the image (the same
    /// binary everywhere).
    pub hash_key: Option<String>,
    pub current_directory: Option<String>,
}

/// The hash key of the binary at `image`: its path, case folded (Windows paths
/// compare without case).
pub fn binary_key(image: &str) -> String {
    format!("file:{}", image.to_ascii_lowercase())
}

impl Spec {
    pub fn new(image: &str, command_line: &str) -> Spec {
        Spec {
            image: image.to_owned(),
            command_line: command_line.to_owned(),
            system: false,
            meta: None,
            hash_key: None,
            current_directory: None,
        }
    }

    pub fn system(mut self) -> Spec {
        self.system = true;
        self
    }

    pub fn meta(mut self, meta: Meta) -> Spec {
        self.meta = Some(meta);
        self
    }

    pub fn hash_key(mut self, key: String) -> Spec {
        self.hash_key = Some(key);
        self
    }

    pub fn cwd(mut self, dir: &str) -> Spec {
        self.current_directory = Some(dir.to_owned());
        self
    }
}

/// A scheduled task: its path (as Windows writes it, `\DHCP Monitor`) and its
/// `Exec` action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub name: String,
    /// The program the action runs.
    pub command: String,
    /// Its arguments.
    pub arguments: String,
    /// Runs as SYSTEM (else as the host's user, at logon).
    pub system: bool,
}

impl Task {
    /// A task named `name` (a leading `\` is added when missing: Windows names
    /// tasks by their path in the task folder tree).
    pub fn new(name: &str, command: &str, arguments: &str, system: bool) -> Task {
        let name = if name.starts_with('\\') {
            name.to_owned()
        } else {
            format!("\\{name}")
        };
        Task {
            name,
            command: command.to_owned(),
            arguments: arguments.to_owned(),
            system,
        }
    }

    /// The action's command line as the Task Scheduler starts it: the program,
    /// quoted, then the arguments.
    pub fn command_line(&self) -> String {
        if self.arguments.is_empty() {
            format!("\"{}\"", self.command)
        } else {
            format!("\"{}\" {}", self.command, self.arguments)
        }
    }

    /// The action's process spec (SYSTEM when the task runs as SYSTEM).
    pub fn spec(&self) -> Spec {
        let s = Spec::new(&self.command, &self.command_line());
        if self.system {
            s.system()
        } else {
            s
        }
    }
}

/// The processes a boot starts, which every later process hangs from.
#[derive(Debug, Clone)]
pub struct Boot {
    /// `services.exe`, the parent of every service.
    pub services: Arc<Proc>,
    /// The Task Scheduler service: `svchost.exe -k netsvcs -p -s Schedule`
    /// (Windows 10 and 11), `svchost.exe -k netsvcs` (Windows 7).
    pub schedule: Arc<Proc>,
    /// The user's shell, the parent of what the user starts.
    pub explorer: Arc<Proc>,
}

impl Boot {
    /// Stands in until [`Host::new`] boots the host (never seen in a row).
    pub(super) fn placeholder() -> Boot {
        let p = Arc::new(Proc {
            guid: String::new(),
            pid: 0,
            image: String::new(),
            command_line: String::new(),
            current_directory: String::new(),
            system: true,
            integrity: "System",
            meta: Meta::default(),
            hash_key: String::new(),
            created_ms: 0,
            parent: None,
        });
        Boot {
            services: Arc::clone(&p),
            schedule: Arc::clone(&p),
            explorer: p,
        }
    }
}

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
        let schedule_cmd = match self.windows {
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
    pub fn run_task(
        &mut self,
        t: i64,
        spec: Spec,
        step: &str,
        out: &mut Vec<crate::record::Record>,
    ) -> Arc<Proc> {
        let schedule = Arc::clone(&self.boot.schedule);
        match self.windows {
            Windows::Win10 | Windows::Win11 => self.spawn(t, &schedule, spec, step, out),
            Windows::Win7 => {
                let account = if spec.system {
                    r"S-1-5-18:NT AUTHORITY\System:Service:".to_owned()
                } else {
                    format!(
                        r"{}:{}\{}:Interactive:[1]",
                        self.user_sid(),
                        super::host::AD_DOMAIN,
                        self.user
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
