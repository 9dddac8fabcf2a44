//! The one path from a telemetry row to a judged event: field mapping
//! ([`crate::fields`]), the Sysmon process join ([`crate::enrich`]) and the
//! detection's decision. `report` (scoring), `explain` and the tests all judge
//! rows through a [`Pipeline`], so they cannot disagree on a row.

use crate::content::{field_name, Decision, Detection, Verdict};
use crate::enrich::{Joined, ProcessJoin};
use crate::event::{Event, Kind};
use crate::fields::{parse_line, parse_row, teaching_line, teaching_row, RowError};
use crate::row::Columns;

/// A row, judged: the normalised event (after the process join), what the join
/// did, and the detection's compact decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    /// The event, with its process's fields filled in from the join.
    pub event: Event,
    /// What the Sysmon process join did to the row.
    pub joined: Joined,
    /// The decision: hunts fired, alerts, exclusions that suppressed or could not
    /// be evaluated.
    pub decision: Decision,
}

/// Field mapping, process join and decision, in that order, over a stream of rows.
/// It holds the join's state, so one pipeline reads one stream.
#[derive(Debug)]
pub struct Pipeline<'d> {
    det: &'d Detection,
    join: ProcessJoin,
}

impl<'d> Pipeline<'d> {
    /// A pipeline with an empty process join of the default capacity.
    pub fn new(det: &'d Detection) -> Self {
        Self::with_join(det, ProcessJoin::new())
    }

    /// A pipeline with this join (for example one primed with the process
    /// creations of a whole file, so rows join in any order).
    pub fn with_join(det: &'d Detection, join: ProcessJoin) -> Self {
        Self { det, join }
    }

    /// The detection it judges with.
    pub fn detection(&self) -> &'d Detection {
        self.det
    }

    /// The process join's state.
    pub fn join(&self) -> &ProcessJoin {
        &self.join
    }

    /// The time of the rows judged next (ms since the epoch), for a join that
    /// is a scheduled rule's ([`ProcessJoin::with_history`]).
    pub fn at(&mut self, row_ms: i64) {
        self.join.at(row_ms);
    }

    /// Judge one row.
    pub fn judge<C: Columns + ?Sized>(&mut self, row: &C) -> Result<Judged, RowError> {
        Ok(self.join_and_decide(parse_row(row)?))
    }

    /// Judge one line of JSON Lines (read through a borrowed view of the columns
    /// the mapping reads; no `Map` is built).
    pub fn judge_line(&mut self, line: &str) -> Result<Judged, RowError> {
        Ok(self.join_and_decide(parse_line(line)?))
    }

    /// Join and decide an event already mapped. A row no hunt of the
    /// detection reads that carries a value of a kind it holds indicators of
    /// is marked unread ([`Event::unread_column`], naming the field), as a
    /// row of a table no hunt reads is.
    pub fn join_and_decide(&mut self, mut event: Event) -> Judged {
        if event.unread_column.is_none() {
            event.unread_column = self.det.unread_field(&event).map(field_name);
        }
        let joined = self.join.apply(&mut event);
        let decision = self.det.decide(&event);
        Judged {
            event,
            joined,
            decision,
        }
    }

    /// The explained verdict for a judged row: which hunt matched what, and each
    /// exclusion's outcome. It agrees with the row's decision (one rule walk
    /// gives both).
    pub fn explain(&self, judged: &Judged) -> Verdict {
        self.det.verdict(&judged.event)
    }

    /// Remember what a row teaches the join (a process creation, a signer, a
    /// task), without judging it: a first pass over a file, so that a second
    /// pass joins in any row order. Rows that do not read are left for the
    /// judging pass to report.
    pub fn remember_line(&mut self, line: &str) {
        if let Some(ev) = teaching_line(line) {
            self.learn(ev);
        }
    }

    /// [`Pipeline::remember_line`] for a row of any format.
    pub fn remember<C: Columns + ?Sized>(&mut self, row: &C) {
        if let Some(ev) = teaching_row(row) {
            self.learn(ev);
        }
    }

    fn learn(&mut self, mut ev: Event) {
        if ev.kind() == Kind::Process || ev.learned.is_some() {
            self.join.apply(&mut ev);
        }
    }
}

/// What a row teaches a scheduled rule's joins (a task's registration, a
/// signer, a host's addresses) and the host it is of; `None` for any other
/// row, or one that does not read.
pub fn fact_of<C: Columns + ?Sized>(row: &C) -> Option<(String, crate::event::Learned)> {
    let ev = teaching_row(row)?;
    let learned = ev.learned?;
    Some((ev.host.unwrap_or_default(), learned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{builtin, Engine};

    #[test]
    fn a_line_and_a_map_judge_alike() {
        let det = builtin(Engine::Fast);
        let line = r#"{"Type":"DnsEvents","Computer":"dns01","Name":"a.ESTALIAX.io.","Other":[1]}"#;
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).unwrap();
        let a = Pipeline::new(&det).judge_line(line).unwrap();
        let b = Pipeline::new(&det).judge(&map).unwrap();
        assert_eq!(a, b);
        assert!(a.decision.alert);
    }

    #[test]
    fn the_join_fills_a_dns_row_from_its_process_creation() {
        let det = builtin(Engine::Fast);
        let create = r#"{"EventID":1,"Hostname":"ws1","ProcessGuid":"{A}","Image":"C:\\x\\a.exe","CommandLine":"a.exe /x","ParentImage":"C:\\Windows\\explorer.exe"}"#;
        let dns = r#"{"EventID":22,"Hostname":"ws1","ProcessGuid":"{A}","Image":"C:\\x\\a.exe","QueryName":"estaliax.io"}"#;
        let mut p = Pipeline::new(&det);
        p.remember_line(create);
        let j = p.judge_line(dns).unwrap();
        assert_eq!(j.joined, Joined::Filled);
        let proc_ = j.event.process.as_ref().unwrap();
        assert_eq!(proc_.command_line.as_deref(), Some("a.exe /x"));
        assert!(j.decision.alert);
        assert_eq!(p.explain(&j).alert, j.decision.alert);
    }
}
