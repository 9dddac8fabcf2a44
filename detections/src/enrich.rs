//! The process join: a Sysmon DNS query (event 22) or file creation (event 11)
//! names only its process's image and GUID; the command line, parent and company
//! come from that process's creation (event 1), joined on host and `ProcessGuid`.
//! A PID alone is reused and is never a key.
//!
//! It also learns what no process row carries: a file's signer, from
//! `DeviceFileCertificateInfo` (joined on the image's `SHA1`), and the scheduled
//! task a process is the action of, from the task's creation (`DeviceEvents`
//! `ScheduledTaskCreated`, Security 4698), matched on the host and the action's
//! command line ([`crate::learn::normalise_command`]).
//!
//! And it names the endpoint of a firewall's or a proxy's row
//! (`CommonSecurityLog`), which knows it only by its source address: the host
//! that last reported that address (`DeviceNetworkInfo`, `Heartbeat`) before
//! the row, as the report's host attribution maps a DNS server's clients. An
//! address no host reported stays the row's host.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::Hash;
use std::sync::Arc;

use crate::event::{Event, Kind, Learned, Process, Source};
use crate::history::History;
use crate::learn::task_key_into;

/// What [`ProcessJoin::apply`] did to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joined {
    /// The row needs no join (no process, or not a DNS / file row); process
    /// creations are remembered.
    NotNeeded,
    /// The row's process creation was found and its fields filled in.
    Filled,
    /// The row names a process whose creation has not been seen (or was forgotten).
    Missing,
    /// A DNS or file row with a process but no process GUID: it cannot be joined.
    NoKey,
}

impl Joined {
    /// Whether a DNS or file row lacks its process creation's fields because the
    /// join could not find them.
    pub fn is_unjoined(self) -> bool {
        matches!(self, Joined::Missing | Joined::NoKey)
    }
}

/// What the join remembers of a process: its text shared with every other
/// process that has the same ([`Shared`]).
#[derive(Debug, Clone, Default)]
struct Known {
    command_line: Option<Arc<str>>,
    parent_image: Option<Arc<str>>,
    parent_command_line: Option<Arc<str>>,
    company: Option<Arc<str>>,
    signer: Option<Arc<str>>,
    task_name: Option<Arc<str>>,
    user: Option<Arc<str>>,
}

/// The least size of the shared pool at which it is swept.
const SWEEP_MIN: usize = 4_096;

/// The text the remembered processes hold, each distinct string once: a
/// fleet runs the same command lines, parents, companies and users over and
/// over, so a process costs its key and seven pointers, not seven copies.
/// A string no remembered process holds any more is let go when the pool
/// has doubled since it was last swept.
#[derive(Debug, Default)]
struct Shared {
    /// Looked up on every process creation: foldhash's fixed seed (never
    /// listed in its order).
    pool: HashSet<Arc<str>, foldhash::fast::FixedState>,
    sweep_at: usize,
}

impl Shared {
    /// `s`, shared.
    fn get(&mut self, s: Option<&str>) -> Option<Arc<str>> {
        let s = s?;
        if let Some(a) = self.pool.get(s) {
            return Some(Arc::clone(a));
        }
        if self.pool.len() >= self.sweep_at {
            self.pool.retain(|a| Arc::strong_count(a) > 1);
            self.sweep_at = (self.pool.len() * 2).max(SWEEP_MIN);
        }
        let a: Arc<str> = Arc::from(s);
        self.pool.insert(Arc::clone(&a));
        Some(a)
    }
}

/// A map that remembers at most `capacity` entries, forgetting the oldest first.
/// Looked up on most rows: hashed with foldhash, seeded per process (its keys
/// are read from anyone's rows; it is never listed in its order).
#[derive(Debug)]
struct Bounded<K, V> {
    map: HashMap<K, V, foldhash::fast::RandomState>,
    order: VecDeque<K>,
    capacity: usize,
    forgotten: u64,
}

impl<K: Hash + Eq + Clone, V> Bounded<K, V> {
    fn new(capacity: usize) -> Self {
        Self {
            map: HashMap::default(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
            forgotten: 0,
        }
    }

    fn insert(&mut self, key: K, value: V) {
        if !self.map.contains_key(&key) {
            if self.map.len() >= self.capacity {
                if let Some(oldest) = self.order.pop_front() {
                    self.map.remove(&oldest);
                    self.forgotten += 1;
                }
            }
            self.order.push_back(key.clone());
        }
        self.map.insert(key, value);
    }
}

/// How many processes a join remembers by default before it forgets the oldest.
pub const DEFAULT_CAPACITY: usize = 500_000;

/// Process creations seen so far, by (host, process GUID); signers by SHA1;
/// task actions by (host, command line); hosts by the addresses they
/// reported.
///
/// Memory is bounded: past its capacity each of the four forgets what it
/// learned longest ago (first in, first out), and counts it. A DNS or file row of
/// a forgotten process keeps only the fields on its own row, so exclusions that
/// need the parent or command line do not suppress it (absent evidence never does).
#[derive(Debug)]
pub struct ProcessJoin {
    /// By [`process_key`] of host and process GUID (one allocation for the
    /// map and the order of arrival). What is known is boxed: the table holds
    /// 24 bytes a process, not 128, so when it doubles it moves a fifth of
    /// the bytes (at 262,000 processes, a new table of 12 MB, not 64 MB).
    processes: Bounded<Arc<str>, Box<Known>>,
    /// The text of the processes remembered.
    shared: Shared,
    signers: Bounded<String, String>,
    /// By [`task_key_into`] of host and command line.
    tasks: Bounded<String, String>,
    /// Address (lower case) -> the host that last reported it.
    endpoints: Bounded<String, String>,
    /// The last process key built (kept to reuse its buffer).
    key: String,
    /// As a scheduled rule: the facts with their times, read before (the
    /// rows' own facts are then not learned again), and the time of the row
    /// being joined.
    history: Option<History>,
    row_ms: i64,
}

impl Default for ProcessJoin {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl ProcessJoin {
    /// An empty join with the default capacity.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty join that remembers at most `capacity` processes, signers,
    /// tasks and addresses each (at least 1).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            processes: Bounded::new(capacity),
            shared: Shared::default(),
            signers: Bounded::new(capacity),
            tasks: Bounded::new(capacity),
            endpoints: Bounded::new(capacity),
            key: String::new(),
            history: None,
            row_ms: 0,
        }
    }

    /// The join a scheduled rule makes: signers, tasks and addresses come from
    /// `history`, each as the run that judges the row sees it
    /// ([`ProcessJoin::at`] gives the row's time).
    pub fn with_history(mut self, history: History) -> Self {
        self.history = Some(history);
        self
    }

    /// The rule's clock, when the join is a scheduled rule's.
    pub fn clock(&self) -> Option<crate::history::RuleClock> {
        self.history.as_ref().map(History::clock)
    }

    /// The time of the rows joined next (ms since the epoch): what a
    /// scheduled rule's run can see depends on it.
    pub fn at(&mut self, row_ms: i64) {
        self.row_ms = row_ms;
    }

    /// How many processes, signers, tasks and addresses were forgotten to
    /// stay within capacity.
    pub fn forgotten(&self) -> u64 {
        self.processes.forgotten
            + self.signers.forgotten
            + self.tasks.forgotten
            + self.endpoints.forgotten
    }

    /// How many processes it remembers.
    pub fn len(&self) -> usize {
        self.processes.map.len()
    }

    /// Whether it remembers none.
    pub fn is_empty(&self) -> bool {
        self.processes.map.is_empty()
    }

    /// Remember a process-creation row, a signer or a task; fill a DNS or file
    /// row's missing process fields from the creation of the same process; give
    /// any row's process its signer and task where they were learned; name a
    /// firewall's or proxy's row's endpoint by its source address. Fields the
    /// row has are kept.
    pub fn apply(&mut self, ev: &mut Event) -> Joined {
        if ev.source == Source::CommonSecurityLog {
            self.endpoint(ev);
        }
        let Event {
            source,
            host,
            process,
            learned,
            ..
        } = ev;
        let host = host.as_deref().unwrap_or_default();
        if let Some(l) = learned {
            if self.history.is_none() {
                self.learn(host, l);
            }
            return Joined::NotNeeded;
        }
        let kind = source.kind();
        let Some(p) = process.as_mut() else {
            return Joined::NotNeeded;
        };
        let joined = match (kind, &p.guid) {
            (Kind::Dns | Kind::File | Kind::Network, None) => Joined::NoKey,
            (Kind::Dns | Kind::File | Kind::Network, Some(guid)) => {
                process_key(&mut self.key, host, guid);
                match self.processes.map.get(self.key.as_str()) {
                    Some(k) => {
                        fill(p, k);
                        Joined::Filled
                    }
                    None => Joined::Missing,
                }
            }
            _ => Joined::NotNeeded,
        };
        self.enrich(host, p);
        if let (Kind::Process, Some(guid)) = (kind, &p.guid) {
            process_key(&mut self.key, host, guid);
            let mut share = |s: &Option<String>| self.shared.get(s.as_deref());
            let known = Known {
                command_line: share(&p.command_line),
                parent_image: share(&p.parent_image),
                parent_command_line: share(&p.parent_command_line),
                company: share(&p.company),
                signer: share(&p.signer),
                task_name: share(&p.task_name),
                user: share(&p.user),
            };
            self.processes
                .insert(Arc::from(self.key.as_str()), Box::new(known));
        }
        joined
    }

    fn learn(&mut self, host: &str, l: &Learned) {
        match l {
            Learned::Signer { sha1, signer } => {
                self.signers
                    .insert(sha1.to_ascii_lowercase(), signer.clone());
            }
            Learned::Task { name, command } => {
                let mut key = String::new();
                task_key_into(&mut key, host, command);
                self.tasks.insert(key, name.clone());
            }
            Learned::Addresses { ips } if !host.is_empty() => {
                for ip in ips {
                    self.endpoints
                        .insert(ip.trim().to_ascii_lowercase(), host.to_owned());
                }
            }
            Learned::Addresses { .. } => {}
        }
    }

    /// A `CommonSecurityLog` row's host is its source address (before NAT):
    /// the host that reported that address names it instead, where one did.
    fn endpoint(&self, ev: &mut Event) {
        if let Some(h) = &self.history {
            if let Some(host) = ev
                .client_ip
                .as_ref()
                .and_then(|ip| h.endpoint(ip, self.row_ms))
            {
                ev.host = Some(host);
            }
            return;
        }
        if self.endpoints.map.is_empty() {
            return;
        }
        let Some(ip) = &ev.client_ip else {
            return;
        };
        if let Some(host) = self.endpoints.map.get(&ip.trim().to_ascii_lowercase()) {
            ev.host = Some(host.clone());
        }
    }

    /// The signer of the process's image (by SHA1) and the task it is the action
    /// of (by host and command line), where learned.
    fn enrich(&mut self, host: &str, p: &mut Process) {
        if let Some(h) = &self.history {
            if p.signer.is_none() {
                p.signer = p.sha1.as_ref().and_then(|s| h.signer(s, self.row_ms));
            }
            if p.task_name.is_none() {
                p.task_name = (p.command_line.as_ref()).and_then(|c| h.task(host, c, self.row_ms));
            }
            return;
        }
        // Nothing learned, nothing to look up (most scans: no certificate or
        // task rows), and no key to build.
        if p.signer.is_none() && !self.signers.map.is_empty() {
            if let Some(sha1) = &p.sha1 {
                self.key.clear();
                self.key.push_str(sha1);
                self.key.make_ascii_lowercase();
                p.signer = self.signers.map.get(self.key.as_str()).cloned();
            }
        }
        if p.task_name.is_none() && !self.tasks.map.is_empty() {
            if let Some(cmd) = &p.command_line {
                task_key_into(&mut self.key, host, cmd);
                p.task_name = self.tasks.map.get(self.key.as_str()).cloned();
            }
        }
    }
}

/// One string for a (host, process GUID) pair: the host's length, then the
/// host and the GUID, so no two pairs share a key.
fn process_key(key: &mut String, host: &str, guid: &str) {
    key.clear();
    key.push_str(itoa::Buffer::new().format(host.len()));
    key.push(':');
    key.push_str(host);
    key.push_str(guid);
}

fn fill(p: &mut Process, k: &Known) {
    let pairs = [
        (&mut p.command_line, &k.command_line),
        (&mut p.parent_image, &k.parent_image),
        (&mut p.parent_command_line, &k.parent_command_line),
        (&mut p.company, &k.company),
        (&mut p.signer, &k.signer),
        (&mut p.task_name, &k.task_name),
        (&mut p.user, &k.user),
    ];
    for (slot, known) in pairs {
        if slot.is_none() {
            *slot = known.as_deref().map(str::to_owned);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::parse_line;

    #[test]
    fn dns_row_gets_parent_and_command_line_from_event_1() {
        let mut join = ProcessJoin::new();
        let mut p = parse_line(r#"{"EventID":1,"Hostname":"ws1","ProcessGuid":"{A}","Image":"C:\\x\\nanocore.exe","CommandLine":"nanocore.exe /clean","ParentImage":"C:\\Windows\\System32\\cmd.exe"}"#).unwrap();
        join.apply(&mut p);
        let mut d = parse_line(r#"{"EventID":22,"Hostname":"ws1","ProcessGuid":"{A}","Image":"C:\\x\\nanocore.exe","QueryName":"estaliax.io"}"#).unwrap();
        join.apply(&mut d);
        let dp = d.process.unwrap();
        assert_eq!(dp.command_line.as_deref(), Some("nanocore.exe /clean"));
        assert_eq!(
            dp.parent_image.as_deref(),
            Some(r"C:\Windows\System32\cmd.exe")
        );
        let mut other_host = parse_line(r#"{"EventID":22,"Hostname":"ws2","ProcessGuid":"{A}","Image":"C:\\x\\nanocore.exe","QueryName":"estaliax.io"}"#).unwrap();
        join.apply(&mut other_host);
        assert!(other_host.process.unwrap().command_line.is_none());
    }

    #[test]
    fn processes_share_their_text_and_forgotten_text_is_let_go() {
        // Capacity 2: the join forgets the oldest process beyond two.
        let mut join = ProcessJoin::with_capacity(2);
        let creation = |guid: &str, cmd: &str| {
            parse_line(&format!(r#"{{"EventID":1,"Hostname":"ws1","ProcessGuid":"{guid}","Image":"C:\\x\\a.exe","CommandLine":"{cmd}","ParentImage":"C:\\w\\cmd.exe"}}"#)).unwrap()
        };
        join.apply(&mut creation("{A}", "a.exe /one"));
        join.apply(&mut creation("{B}", "a.exe /one"));
        // One command line and one parent, held once for both processes.
        let count = |join: &ProcessJoin, s: &str| {
            join.shared
                .pool
                .get(s)
                .map_or(0, |a| Arc::strong_count(a) - 1)
        };
        assert_eq!(count(&join, "a.exe /one"), 2);
        assert_eq!(count(&join, r"C:\w\cmd.exe"), 2);
        // Each process still gets its own fields back.
        let mut dns =
            parse_line(r#"{"EventID":22,"Hostname":"ws1","ProcessGuid":"{B}","QueryName":"x.io"}"#)
                .unwrap();
        join.apply(&mut dns);
        assert_eq!(
            dns.process.unwrap().command_line.as_deref(),
            Some("a.exe /one")
        );
        // Two more processes with other command lines push both out: no
        // process holds "a.exe /one" any more, and a sweep lets it go.
        join.apply(&mut creation("{C}", "a.exe /two"));
        join.apply(&mut creation("{D}", "a.exe /three"));
        assert_eq!(count(&join, "a.exe /one"), 0);
        join.shared.sweep_at = 0;
        join.apply(&mut creation("{E}", "a.exe /four"));
        assert!(!join.shared.pool.contains("a.exe /one"));
        assert_eq!(count(&join, "a.exe /three"), 1);
    }

    #[test]
    fn signer_by_sha1_and_task_by_command_line() {
        let mut join = ProcessJoin::new();
        let mut cert = parse_line(r#"{"Type":"DeviceFileCertificateInfo","DeviceName":"ws1","SHA1":"AA11","Signer":"Contoso"}"#).unwrap();
        assert_eq!(join.apply(&mut cert), Joined::NotNeeded);
        let task = serde_json::json!({"Type": "DeviceEvents", "ActionType": "ScheduledTaskCreated", "DeviceName": "WS1",
            "AdditionalFields": {"TaskName": r"\TempCleanup", "TaskContent": r#"{"Actions":{"Exec":{"Command":"C:\\t\\a.exe","Arguments":"/temp"}}}"#}});
        join.apply(&mut parse_line(&task.to_string()).unwrap());
        let run = r#"{"Type":"DeviceProcessEvents","ActionType":"ProcessCreated","DeviceName":"ws1","FileName":"a.exe","FolderPath":"C:\\t\\a.exe","SHA1":"aa11","ProcessCommandLine":"\"C:\\t\\a.exe\"  /Temp"}"#;
        let mut ev = parse_line(run).unwrap();
        join.apply(&mut ev);
        let p = ev.process.unwrap();
        assert_eq!(p.signer.as_deref(), Some("Contoso"));
        assert_eq!(p.task_name.as_deref(), Some(r"\TempCleanup"));
        let mut elsewhere = parse_line(&run.replace("ws1", "ws2")).unwrap();
        join.apply(&mut elsewhere);
        assert_eq!(
            elsewhere.process.unwrap().task_name,
            None,
            "tasks are per host"
        );
    }

    #[test]
    fn a_dns_row_without_its_user_takes_the_creation_s() {
        let mut join = ProcessJoin::new();
        let mut p = parse_line(r#"{"EventID":1,"Hostname":"ws1","ProcessGuid":"{A}","Image":"a.exe","User":"CORP\\alice"}"#).unwrap();
        join.apply(&mut p);
        let dns = r#"{"EventID":22,"Hostname":"ws1","ProcessGuid":"{A}","Image":"a.exe","QueryName":"x.io"}"#;
        let mut d = parse_line(dns).unwrap();
        join.apply(&mut d);
        assert_eq!(d.process.unwrap().user.as_deref(), Some(r"CORP\alice"));
        let mut own =
            parse_line(&dns.replace(r#""QueryName""#, r#""User":"SYSTEM","QueryName""#)).unwrap();
        join.apply(&mut own);
        assert_eq!(
            own.process.unwrap().user.as_deref(),
            Some("SYSTEM"),
            "the row's own kept"
        );
    }

    #[test]
    fn a_firewall_row_s_host_is_the_host_its_source_address_maps_to() {
        let csl = r#"{"Type":"CommonSecurityLog","Computer":"fw01","SourceIP":"10.1.2.3","DestinationIP":"203.0.113.9"}"#;
        let mut join = ProcessJoin::new();
        let mut before = parse_line(csl).unwrap();
        join.apply(&mut before);
        assert_eq!(
            before.host.as_deref(),
            Some("10.1.2.3"),
            "nothing learned yet"
        );
        let mut hb = parse_line(r#"{"Type":"Heartbeat","Computer":"ws1.corp.example","ComputerPrivateIPs":["10.1.2.3"]}"#).unwrap();
        join.apply(&mut hb);
        let mut after = parse_line(csl).unwrap();
        join.apply(&mut after);
        assert_eq!(after.host.as_deref(), Some("ws1.corp.example"));
        assert_eq!(after.client_ip.as_deref(), Some("10.1.2.3"));
        assert_eq!(after.net.as_ref().unwrap().device.as_deref(), Some("fw01"));
        // The latest report of the address wins.
        let info = r#"{"Type":"DeviceNetworkInfo","DeviceName":"ws2","IPAddresses":"[{\"IPAddress\":\"10.1.2.3\"}]"}"#;
        join.apply(&mut parse_line(info).unwrap());
        let mut later = parse_line(csl).unwrap();
        join.apply(&mut later);
        assert_eq!(later.host.as_deref(), Some("ws2"));
        let mut other = parse_line(&csl.replace("10.1.2.3", "10.9.9.9")).unwrap();
        join.apply(&mut other);
        assert_eq!(
            other.host.as_deref(),
            Some("10.9.9.9"),
            "unmapped: the address"
        );
    }

    #[test]
    fn capacity_bounds_memory_and_forgets_the_oldest() {
        let mut join = ProcessJoin::with_capacity(2);
        for g in ["{1}", "{2}", "{3}"] {
            let mut p = parse_line(&format!(r#"{{"EventID":1,"Hostname":"w","ProcessGuid":"{g}","Image":"a.exe","CommandLine":"a {g}"}}"#)).unwrap();
            join.apply(&mut p);
        }
        assert_eq!(join.len(), 2);
        assert_eq!(join.forgotten(), 1);
        let dns = |g: &str| {
            format!(
                r#"{{"EventID":22,"Hostname":"w","ProcessGuid":"{g}","Image":"a.exe","QueryName":"x.io"}}"#
            )
        };
        let mut old = parse_line(&dns("{1}")).unwrap();
        join.apply(&mut old);
        assert!(old.process.unwrap().command_line.is_none(), "forgotten");
        let mut new = parse_line(&dns("{3}")).unwrap();
        join.apply(&mut new);
        assert_eq!(new.process.unwrap().command_line.as_deref(), Some("a {3}"));
    }
}
