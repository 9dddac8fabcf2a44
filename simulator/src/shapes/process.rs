//! The process tree: processes, what a new one looks like, the processes a
//! boot starts and the scheduled tasks the Task Scheduler runs (`boot` starts
//! them on a host).

use std::sync::Arc;

use super::meta::Meta;

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
