//! The Sysmon process join: a DNS query (event 22) or file creation (event 11)
//! names only its process's image and GUID; the command line, parent and company
//! come from that process's creation (event 1), joined on host and `ProcessGuid`.
//! A PID alone is reused and is never a key.

use std::collections::{HashMap, VecDeque};

use crate::event::{Event, Kind, Process};

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

/// What the join remembers of a process.
#[derive(Debug, Clone, Default)]
struct Known {
    command_line: Option<String>,
    parent_image: Option<String>,
    parent_command_line: Option<String>,
    company: Option<String>,
    signer: Option<String>,
    task_name: Option<String>,
}

/// How many processes a join remembers by default before it forgets the oldest.
pub const DEFAULT_CAPACITY: usize = 500_000;

/// Process creations seen so far, by (host, process GUID).
///
/// Memory is bounded: past its capacity the join forgets the process created
/// longest ago (first in, first out), and counts it. A DNS or file row of a
/// forgotten process keeps only the fields on its own row, so exclusions that need
/// the parent or command line do not suppress it (absent evidence never does).
#[derive(Debug)]
pub struct ProcessJoin {
    known: HashMap<(String, String), Known>,
    order: VecDeque<(String, String)>,
    capacity: usize,
    forgotten: u64,
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

    /// An empty join that remembers at most `capacity` processes (at least 1).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            known: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
            forgotten: 0,
        }
    }

    /// How many processes were forgotten to stay within capacity.
    pub fn forgotten(&self) -> u64 {
        self.forgotten
    }

    /// How many processes it remembers.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// Whether it remembers none.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// Remember a process-creation row; fill a DNS or file row's missing process
    /// fields from the creation of the same process. Fields the row has are kept.
    pub fn apply(&mut self, ev: &mut Event) -> Joined {
        let Some(p) = ev.process.as_mut() else {
            return Joined::NotNeeded;
        };
        let Some(guid) = p.guid.clone() else {
            return match ev.source.kind() {
                Kind::Dns | Kind::File => Joined::NoKey,
                Kind::Process | Kind::Other => Joined::NotNeeded,
            };
        };
        let host = ev.host.clone().unwrap_or_default();
        match ev.source.kind() {
            Kind::Process => {
                let key = (host, guid);
                if !self.known.contains_key(&key) {
                    if self.known.len() >= self.capacity {
                        if let Some(oldest) = self.order.pop_front() {
                            self.known.remove(&oldest);
                            self.forgotten += 1;
                        }
                    }
                    self.order.push_back(key.clone());
                }
                self.known.insert(
                    key,
                    Known {
                        command_line: p.command_line.clone(),
                        parent_image: p.parent_image.clone(),
                        parent_command_line: p.parent_command_line.clone(),
                        company: p.company.clone(),
                        signer: p.signer.clone(),
                        task_name: p.task_name.clone(),
                    },
                );
                Joined::NotNeeded
            }
            Kind::Dns | Kind::File => match self.known.get(&(host, guid)) {
                Some(k) => {
                    fill(p, k);
                    Joined::Filled
                }
                None => Joined::Missing,
            },
            Kind::Other => Joined::NotNeeded,
        }
    }
}

fn fill(p: &mut Process, k: &Known) {
    let pairs = [
        (&mut p.command_line, &k.command_line),
        (&mut p.parent_image, &k.parent_image),
        (&mut p.parent_command_line, &k.parent_command_line),
        (&mut p.company, &k.company),
        (&mut p.signer, &k.signer),
        (&mut p.task_name, &k.task_name),
    ];
    for (slot, known) in pairs {
        if slot.is_none() {
            slot.clone_from(known);
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
