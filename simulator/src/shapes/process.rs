//! The process tree: processes, what a new one looks like, and the processes
//! already running when a scenario's window opens.

use std::sync::Arc;

use super::host::Host;
use super::meta::{known_meta, Meta};
use super::path::basename;

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
    /// Key of the binary's stable hashes.
    pub hash_key: String,
    pub created_ms: i64,
    /// Set when the Task Scheduler service started it.
    pub task_name: Option<String>,
    pub parent: Option<Arc<Proc>>,
}

/// What a new process looks like (its parent is given separately).
#[derive(Debug, Clone)]
pub struct Spec {
    pub image: String,
    pub command_line: String,
    pub system: bool,
    pub meta: Option<Meta>,
    /// Key of the binary's hashes; default: the image's file name (same binary
    /// everywhere).
    pub hash_key: Option<String>,
    pub task_name: Option<String>,
    pub current_directory: Option<String>,
}

impl Spec {
    pub fn new(image: &str, command_line: &str) -> Spec {
        Spec {
            image: image.to_owned(),
            command_line: command_line.to_owned(),
            system: false,
            meta: None,
            hash_key: None,
            task_name: None,
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

    pub fn task(mut self, name: &str) -> Spec {
        self.task_name = Some(name.to_owned());
        self
    }

    pub fn cwd(mut self, dir: &str) -> Spec {
        self.current_directory = Some(dir.to_owned());
        self
    }
}

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

    /// A process that was already running before the window (no row is written).
    pub fn existing(
        &mut self,
        image: &str,
        command_line: &str,
        system: bool,
        parent_image: &str,
        t: i64,
    ) -> Arc<Proc> {
        let parent = Arc::new(Proc {
            guid: self.guid(t - 60_000),
            pid: self.pid(),
            image: parent_image.to_owned(),
            command_line: parent_image.to_owned(),
            current_directory: r"C:\Windows\system32\".to_owned(),
            system: true,
            integrity: "System",
            meta: known_meta(parent_image).unwrap_or_default(),
            hash_key: basename(parent_image).to_ascii_lowercase(),
            created_ms: t - 60_000,
            task_name: None,
            parent: None,
        });
        Arc::new(Proc {
            guid: self.guid(t),
            pid: self.pid(),
            image: image.to_owned(),
            command_line: command_line.to_owned(),
            current_directory: r"C:\Windows\system32\".to_owned(),
            system,
            integrity: if system { "System" } else { "Medium" },
            meta: known_meta(image).unwrap_or_default(),
            hash_key: basename(image).to_ascii_lowercase(),
            created_ms: t,
            task_name: None,
            parent: Some(parent),
        })
    }

    /// The user's `explorer.exe`, running since before the window.
    pub fn explorer(&mut self, window_start: i64) -> Arc<Proc> {
        let t = window_start - 3_600_000 - self.rng.range(0, 3_600_000);
        self.existing(
            r"C:\Windows\explorer.exe",
            r"C:\Windows\Explorer.EXE",
            false,
            r"C:\Windows\System32\userinit.exe",
            t,
        )
    }

    /// The Task Scheduler service (`svchost.exe -k netsvcs -p -s Schedule`).
    pub fn scheduler(&mut self, window_start: i64) -> Arc<Proc> {
        let t = window_start - 7_200_000 - self.rng.range(0, 3_600_000);
        self.existing(
            r"C:\Windows\System32\svchost.exe",
            r"C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule",
            true,
            r"C:\Windows\System32\services.exe",
            t,
        )
    }

    /// `services.exe`, running since boot.
    pub fn services(&mut self, window_start: i64) -> Arc<Proc> {
        let t = window_start - 7_300_000 - self.rng.range(0, 3_600_000);
        self.existing(
            r"C:\Windows\System32\services.exe",
            r"C:\Windows\system32\services.exe",
            true,
            r"C:\Windows\System32\wininit.exe",
            t,
        )
    }
}
