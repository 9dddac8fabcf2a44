//! The judging side of `huntlab scan`: items read from any number of inputs go
//! through one [`Pipeline`] (mapping, process join, decision: the same path as
//! `report` and `explain`), in one pass.
//!
//! A Sysmon DNS or file row that a hunt fired on, whose process creation has not
//! been seen yet (exports are often newest first), waits, up to a bounded number
//! of rows, for that creation to arrive; it is then judged with its process's
//! parent and command line. A row still waiting at the end, or pushed out by the
//! bound, is judged as it is, counted as not joined: its process exclusions
//! stay `not_evaluable`, and absent evidence never suppresses.

use std::collections::{BTreeMap, HashMap, VecDeque};

use detections::enrich::Joined;
use detections::fields::{parse_line, RowError};
use detections::pipeline::{Judged, Pipeline};
use detections::{Event, Kind, Source};

use crate::formats::{Item, ItemKind, Position};

/// An item read, with its JSON line already mapped to an event.
#[derive(Debug)]
pub struct Prepared {
    item: Item,
    event: Option<Result<Event, RowError>>,
}

/// Map an item's JSON line to its event, as [`Scanner::item`] would (other
/// items are left as they are).
pub fn prepare(item: Item) -> Prepared {
    let event = match &item.kind {
        ItemKind::Line(text) => Some(parse_line(text)),
        _ => None,
    };
    Prepared { item, event }
}

/// How many fired rows may wait for their process creation by default.
pub const DEFAULT_PENDING: usize = 100_000;

/// How many rejected rows a summary names.
pub const REJECTED_EXAMPLES: usize = 10;

/// A judged row, ready to report.
#[derive(Debug)]
pub struct Judgement {
    /// Index of the input it came from.
    pub input: usize,
    /// Where in that input.
    pub position: Position,
    /// The row, judged.
    pub judged: Judged,
    /// For Sysmon DNS and file rows: whether the row was joined to its process
    /// creation.
    pub joined: Option<bool>,
}

/// A rejected row: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// Index of the input.
    pub input: usize,
    /// Where in it.
    pub position: Position,
    /// Why.
    pub reason: String,
}

/// Counts over a scan. Rows read = rows scored + rows rejected; blank lines are
/// counted apart.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Rows read (every item but blank lines).
    pub rows_read: u64,
    /// Rows judged.
    pub rows_scored: u64,
    /// Rows that could not be read or mapped.
    pub rows_rejected: u64,
    /// Blank lines.
    pub blank: u64,
    /// Unused space read (an EVTX log's preallocated chunks after its last
    /// record): not rows; each named.
    pub unused: Vec<RejectedRow>,
    /// Judged rows by source name.
    pub by_source: BTreeMap<&'static str, u64>,
    /// Rows where an alert stands.
    pub alerts: u64,
    /// Rows a hunt fired on that an exclusion suppressed.
    pub suppressed: u64,
    /// Fired Sysmon DNS or file rows never joined to their process creation.
    pub unjoined: u64,
    /// Rows of tables no hunt reads that carry a column hunts read.
    pub unread: u64,
    /// The first rejected rows.
    pub rejected: Vec<RejectedRow>,
}

#[derive(Debug)]
struct Waiting {
    input: usize,
    position: Position,
    event: Event,
    seq: u64,
}

type Key = (String, String);

/// Judges the items of a scan.
#[derive(Debug)]
pub struct Scanner<'d> {
    pipeline: Pipeline<'d>,
    waiting: HashMap<Key, Vec<Waiting>>,
    order: VecDeque<(Key, u64)>,
    waiting_rows: usize,
    capacity: usize,
    seq: u64,
    tally: Tally,
}

fn sysmon_dns_or_file(ev: &Event) -> bool {
    matches!(ev.source, Source::SysmonDnsQuery | Source::SysmonFileCreate)
}

fn key(ev: &Event) -> Option<Key> {
    let guid = ev.process.as_ref()?.guid.clone()?;
    Some((ev.host.clone().unwrap_or_default(), guid))
}

impl<'d> Scanner<'d> {
    /// A scanner judging through `pipeline`, letting at most `capacity` fired
    /// rows wait for their process creation.
    pub fn new(pipeline: Pipeline<'d>, capacity: usize) -> Self {
        Self {
            pipeline,
            waiting: HashMap::new(),
            order: VecDeque::new(),
            waiting_rows: 0,
            capacity,
            seq: 0,
            tally: Tally::default(),
        }
    }

    /// The pipeline (for explaining a judged row).
    pub fn pipeline(&self) -> &Pipeline<'d> {
        &self.pipeline
    }

    /// The counts so far.
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// How many rows wait for their process creation now.
    pub fn waiting(&self) -> usize {
        self.waiting_rows
    }

    fn reject(&mut self, input: usize, position: Position, reason: String) {
        self.tally.rows_read += 1;
        self.tally.rows_rejected += 1;
        if self.tally.rejected.len() < REJECTED_EXAMPLES {
            self.tally.rejected.push(RejectedRow {
                input,
                position,
                reason,
            });
        }
    }

    /// Judge one item; the rows ready to report are pushed to `out` (a row
    /// waiting for its process creation is pushed later).
    pub fn item(&mut self, input: usize, item: Item, out: &mut Vec<Judgement>) {
        let position = item.position;
        let judged = match &item.kind {
            ItemKind::Blank => {
                self.tally.blank += 1;
                return;
            }
            ItemKind::Unused(why) => {
                self.tally.unused.push(RejectedRow {
                    input,
                    position,
                    reason: why.clone(),
                });
                return;
            }
            ItemKind::Rejected(r) => return self.reject(input, position, r.to_string()),
            ItemKind::Line(text) => self.pipeline.judge_line(text),
            ItemKind::Row(row) => self.pipeline.judge(row),
        };
        self.judged(input, position, judged, out);
    }

    /// Judge one item whose line was already mapped to an event (by
    /// [`prepare`], perhaps on another thread): the same result as [`Scanner::item`].
    pub fn prepared(&mut self, input: usize, p: Prepared, out: &mut Vec<Judgement>) {
        match p.event {
            Some(event) => {
                let judged = event.map(|e| self.pipeline.judge_event(e));
                self.judged(input, p.item.position, judged, out);
            }
            None => self.item(input, p.item, out),
        }
    }

    fn judged(
        &mut self,
        input: usize,
        position: Position,
        judged: Result<Judged, RowError>,
        out: &mut Vec<Judgement>,
    ) {
        let judged = match judged {
            Ok(j) => j,
            Err(e) => return self.reject(input, position, e.to_string()),
        };
        self.tally.rows_read += 1;
        self.tally.rows_scored += 1;
        *self
            .tally
            .by_source
            .entry(judged.event.source.name())
            .or_default() += 1;
        self.tally.unread += u64::from(judged.event.unread_column.is_some());
        if judged.event.kind() == Kind::Process {
            if let Some(k) = key(&judged.event) {
                self.release(&k, out);
            }
        }
        let sysmon = sysmon_dns_or_file(&judged.event);
        if sysmon
            && self.capacity > 0
            && judged.joined == Joined::Missing
            && judged.decision.fired != 0
        {
            if let Some(k) = key(&judged.event) {
                self.wait(k, input, position, judged.event, out);
                return;
            }
        }
        self.emit(input, position, judged, sysmon, out);
    }

    fn emit(
        &mut self,
        input: usize,
        position: Position,
        judged: Judged,
        sysmon: bool,
        out: &mut Vec<Judgement>,
    ) {
        let d = judged.decision;
        let joined = sysmon.then(|| !judged.joined.is_unjoined());
        self.tally.alerts += u64::from(d.alert);
        self.tally.suppressed += u64::from(d.fired != 0 && !d.alert);
        self.tally.unjoined += u64::from(joined == Some(false) && d.fired != 0);
        out.push(Judgement {
            input,
            position,
            judged,
            joined,
        });
    }

    fn wait(
        &mut self,
        k: Key,
        input: usize,
        position: Position,
        event: Event,
        out: &mut Vec<Judgement>,
    ) {
        if self.waiting_rows >= self.capacity {
            self.evict_oldest(out);
        }
        self.seq += 1;
        self.order.push_back((k.clone(), self.seq));
        self.waiting.entry(k).or_default().push(Waiting {
            input,
            position,
            event,
            seq: self.seq,
        });
        self.waiting_rows += 1;
    }

    /// Judge again the rows waiting for this process, now that its creation
    /// has been seen.
    fn release(&mut self, k: &Key, out: &mut Vec<Judgement>) {
        let Some(rows) = self.waiting.remove(k) else {
            return;
        };
        self.waiting_rows -= rows.len();
        for w in rows {
            let judged = self.pipeline.judge_event(w.event);
            self.emit(w.input, w.position, judged, true, out);
        }
    }

    /// Judge the longest-waiting row as it is (not joined).
    fn evict_oldest(&mut self, out: &mut Vec<Judgement>) {
        while let Some((k, seq)) = self.order.pop_front() {
            let Some(rows) = self.waiting.get_mut(&k) else {
                continue;
            };
            let Some(i) = rows.iter().position(|w| w.seq == seq) else {
                continue;
            };
            let w = rows.remove(i);
            if rows.is_empty() {
                self.waiting.remove(&k);
            }
            self.waiting_rows -= 1;
            let judged = self.pipeline.judge_event(w.event);
            self.emit(w.input, w.position, judged, true, out);
            return;
        }
    }

    /// End of input: every row still waiting is judged as it is.
    pub fn finish(&mut self, out: &mut Vec<Judgement>) {
        while self.waiting_rows > 0 {
            self.evict_oldest(out);
        }
        self.order.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{open, Options};

    const NEWEST_FIRST: &str = concat!(
        r#"{"EventID":22,"Hostname":"ws1","ProcessGuid":"{d1}","Image":"C:\\Program Files\\Nanocore Imaging\\NanoCore-Studio.exe","QueryName":"updates.estaliax.io"}"#,
        "\n",
        r#"{"EventID":22,"Hostname":"ws1","ProcessGuid":"{zz}","Image":"C:\\x\\RegAsm.exe","QueryName":"estaliax.io"}"#,
        "\n",
        r#"{"EventID":1,"Hostname":"ws1","ProcessGuid":"{d1}","Image":"C:\\Program Files\\Nanocore Imaging\\NanoCore-Studio.exe","Company":"Nanocore Imaging GmbH","ParentImage":"C:\\Windows\\explorer.exe"}"#,
        "\n",
        "\n",
        "not json\n",
    );

    fn scan(text: &'static str, capacity: usize) -> (Vec<Judgement>, Tally) {
        let det = detections::builtin(detections::Engine::Fast);
        let mut s = Scanner::new(Pipeline::new(&det), capacity);
        let mut out = Vec::new();
        let stream = open(text.as_bytes(), "t", &Options::default()).expect("opens");
        for item in stream {
            s.item(0, item.expect("reads"), &mut out);
        }
        s.finish(&mut out);
        (out, s.tally().clone())
    }

    #[test]
    fn a_row_before_its_process_creation_is_joined_in_one_pass() {
        let (out, t) = scan(NEWEST_FIRST, 10);
        let first = out
            .iter()
            .find(|j| j.position == Position::Line(1))
            .expect("line 1 judged");
        assert_eq!(first.joined, Some(true));
        assert!(!first.judged.decision.alert, "name-collision suppresses it");
        let second = out
            .iter()
            .find(|j| j.position == Position::Line(2))
            .expect("line 2 judged");
        assert_eq!(second.joined, Some(false), "its creation never came");
        assert!(second.judged.decision.alert);
        assert_eq!(t.unjoined, 1);
        assert_eq!(t.rows_read, t.rows_scored + t.rows_rejected);
        assert_eq!((t.rows_read, t.rows_rejected, t.blank), (4, 1, 1));
        assert_eq!(out.len() as u64, t.rows_scored, "every scored row reported");
    }

    #[test]
    fn the_wait_is_bounded() {
        let (out, t) = scan(NEWEST_FIRST, 0);
        let first = out
            .iter()
            .find(|j| j.position == Position::Line(1))
            .expect("line 1 judged");
        assert_eq!(first.joined, Some(false), "no room to wait");
        assert!(first.judged.decision.alert);
        assert_eq!(t.unjoined, 2);
    }
}
