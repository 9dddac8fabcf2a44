//! The Sysmon process join: a DNS query (event 22) or file creation (event 11)
//! names only its process's image and GUID; the command line, parent and company
//! come from that process's creation (event 1), joined on host and `ProcessGuid`.
//! A PID alone is reused and is never a key.

use std::collections::HashMap;

use crate::event::{Event, Kind, Process};

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

/// Process creations seen so far, by (host, process GUID).
#[derive(Debug, Default)]
pub struct ProcessJoin {
    known: HashMap<(String, String), Known>,
}

impl ProcessJoin {
    /// An empty join.
    pub fn new() -> Self {
        Self::default()
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
    pub fn apply(&mut self, ev: &mut Event) {
        let host = ev.host.clone().unwrap_or_default();
        let Some(p) = ev.process.as_mut() else { return };
        let Some(guid) = p.guid.clone() else { return };
        match ev.source.kind() {
            Kind::Process => {
                self.known.insert(
                    (host, guid),
                    Known {
                        command_line: p.command_line.clone(),
                        parent_image: p.parent_image.clone(),
                        parent_command_line: p.parent_command_line.clone(),
                        company: p.company.clone(),
                        signer: p.signer.clone(),
                        task_name: p.task_name.clone(),
                    },
                );
            }
            Kind::Dns | Kind::File => {
                if let Some(k) = self.known.get(&(host, guid)) {
                    fill(p, k);
                }
            }
            Kind::Other => {}
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
}
