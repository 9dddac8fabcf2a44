//! The one way rows are read and judged: items read from any number of inputs
//! go through one [`Pipeline`] (mapping, process join, decision), are counted
//! in one [`Tally`], and are pushed into a [`RowSink`] (`scan`'s hits,
//! `explain`'s explanations, `report`'s scoring). [`crate::scan_threaded`]
//! drives a [`Scanner`] over the inputs, on one thread or several.
//!
//! How a Sysmon DNS or file row meets its process creation is the
//! [`JoinMode`]. By default (`Wait`), a row a hunt fired on whose creation has
//! not been seen yet (exports are often newest first) waits, up to a bounded
//! number of rows, for that creation to arrive; it is then judged with its
//! process's parent and command line. A row still waiting at the end, or
//! pushed out by the bound, is judged as it is, counted as not joined: its
//! process exclusions stay `not_evaluable`, and absent evidence never
//! suppresses. With `PrimeFirst`, the loop first reads every input once for
//! what teaches the join (process creations, signers, tasks), then judges
//! every row in input order, none waiting.

use std::collections::{HashMap, VecDeque};

use detections::enrich::Joined;
use detections::fields::{parse_line, parse_row, RowError};
use detections::pipeline::{Judged, Pipeline};
use detections::row::Columns;
use detections::{Event, Kind};

use crate::formats::{Item, ItemKind, Position};

mod sink;
mod tally;

pub use sink::{Discard, Judgement, RejectedRow, RowSink};
pub use tally::{SourceCounts, Tally};

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

/// How many rejected rows a summary names by default.
pub const REJECTED_EXAMPLES: usize = 10;

/// How a Sysmon DNS or file row meets its process creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinMode {
    /// One pass: a fired row that comes before its process creation waits for
    /// it, at most this many rows at a time (0: none waits; rows are judged
    /// as they come).
    Wait(usize),
    /// Two passes: every input is first read for what teaches the join, then
    /// read again and judged in input order (the inputs must be readable
    /// twice: files, not a pipe).
    PrimeFirst,
}

impl JoinMode {
    /// How many rows may wait for their process creation.
    fn capacity(self) -> usize {
        match self {
            JoinMode::Wait(n) => n,
            JoinMode::PrimeFirst => 0,
        }
    }
}

#[derive(Debug)]
struct Waiting {
    input: usize,
    position: Position,
    event: Event,
    seq: u64,
}

type Key = (String, String);

/// Judges the items of a run, counts them, and pushes them into a sink.
#[derive(Debug)]
pub struct Scanner<'d> {
    pipeline: Pipeline<'d>,
    mode: JoinMode,
    waiting: HashMap<Key, VecDeque<Waiting>>,
    order: VecDeque<(Key, u64)>,
    waiting_rows: usize,
    capacity: usize,
    seq: u64,
    examples: usize,
    tally: Tally,
}

fn key(ev: &Event) -> Option<Key> {
    let guid = ev.process.as_ref()?.guid.clone()?;
    Some((ev.host.clone().unwrap_or_default(), guid))
}

impl<'d> Scanner<'d> {
    /// A scanner judging through `pipeline`, joining as `mode` says.
    pub fn new(pipeline: Pipeline<'d>, mode: JoinMode) -> Self {
        Self {
            pipeline,
            mode,
            waiting: HashMap::new(),
            order: VecDeque::new(),
            waiting_rows: 0,
            capacity: mode.capacity(),
            seq: 0,
            examples: REJECTED_EXAMPLES,
            tally: Tally::default(),
        }
    }

    /// Keep the first `n` rejected rows in the tally (instead of
    /// [`REJECTED_EXAMPLES`]).
    pub fn with_rejected_examples(mut self, n: usize) -> Self {
        self.examples = n;
        self
    }

    /// How rows meet their process creation.
    pub fn join_mode(&self) -> JoinMode {
        self.mode
    }

    /// The pipeline (for explaining a judged row).
    pub fn pipeline(&self) -> &Pipeline<'d> {
        &self.pipeline
    }

    /// The time of the rows read next (ms since the epoch), for a scheduled
    /// rule's join.
    pub fn at(&mut self, row_ms: i64) {
        self.pipeline.at(row_ms);
    }

    /// The counts so far.
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// How many rows wait for their process creation now.
    pub fn waiting(&self) -> usize {
        self.waiting_rows
    }

    /// The first pass of [`JoinMode::PrimeFirst`]: remember what an item
    /// teaches the join (a process creation, a signer, a task), without
    /// judging or counting it. Items that do not read are left for the
    /// judging pass to report.
    pub fn remember(&mut self, item: &Item) {
        match &item.kind {
            ItemKind::Line(text) => self.pipeline.remember_line(text),
            ItemKind::Row(row) => self.pipeline.remember(row),
            ItemKind::Blank | ItemKind::Rejected(_) | ItemKind::Unused(_) => {}
        }
    }

    fn reject<S: RowSink>(
        &mut self,
        input: usize,
        position: Position,
        (reason, indicator): (String, Option<String>),
        sink: &mut S,
    ) -> Result<(), S::Error> {
        self.tally.rows_read += 1;
        self.tally.rows_rejected += 1;
        self.tally.possible_misses += u64::from(indicator.is_some());
        let r = RejectedRow {
            input,
            position,
            reason,
            indicator,
        };
        sink.rejected(&r)?;
        if self.tally.rejected.len() < self.examples {
            self.tally.rejected.push(r);
        }
        Ok(())
    }

    /// Judge one item and push what is settled into `sink` (a row waiting for
    /// its process creation is pushed later).
    pub fn item<S: RowSink>(
        &mut self,
        input: usize,
        item: Item,
        sink: &mut S,
    ) -> Result<(), S::Error> {
        let position = item.position;
        let judged = match &item.kind {
            ItemKind::Blank => {
                self.tally.blank += 1;
                return Ok(());
            }
            ItemKind::Unused(why) => {
                let u = RejectedRow {
                    input,
                    position,
                    reason: why.clone(),
                    indicator: None,
                };
                sink.unused(&u)?;
                self.tally.unused.push(u);
                return Ok(());
            }
            ItemKind::Rejected(r) => {
                let why = (r.to_string(), r.indicator().map(str::to_owned));
                return self.reject(input, position, why, sink);
            }
            ItemKind::Line(text) => self.pipeline.judge_line(text),
            ItemKind::Row(row) => self.pipeline.judge(row),
        };
        self.settle(input, position, judged, sink)
    }

    /// Judge one item whose line was already mapped to an event (by
    /// [`prepare`], perhaps on another thread): the same result as [`Scanner::item`].
    pub fn prepared<S: RowSink>(
        &mut self,
        input: usize,
        p: Prepared,
        sink: &mut S,
    ) -> Result<(), S::Error> {
        match p.event {
            Some(event) => {
                let judged = event.map(|e| self.pipeline.join_and_decide(e));
                self.settle(input, p.item.position, judged, sink)
            }
            None => self.item(input, p.item, sink),
        }
    }

    /// Judge one row already read (a simulated record, say), at `position` of
    /// input `input`: the same accounting as [`Scanner::item`].
    pub fn row<C: Columns + ?Sized, S: RowSink>(
        &mut self,
        input: usize,
        position: Position,
        row: &C,
        sink: &mut S,
    ) -> Result<(), S::Error> {
        self.mapped(input, position, parse_row(row), sink)
    }

    /// Judge one row already mapped to its event (by
    /// [`detections::fields::parse_row`], once for several scanners of the
    /// same row): the same result as [`Scanner::row`] on the row.
    pub fn mapped<S: RowSink>(
        &mut self,
        input: usize,
        position: Position,
        event: Result<Event, RowError>,
        sink: &mut S,
    ) -> Result<(), S::Error> {
        let judged = event.map(|e| self.pipeline.join_and_decide(e));
        self.settle(input, position, judged, sink)
    }

    /// Count a judged row (or reject it), release the rows waiting for it if
    /// it is a process creation, then let it wait or push it.
    fn settle<S: RowSink>(
        &mut self,
        input: usize,
        position: Position,
        judged: Result<Judged, RowError>,
        sink: &mut S,
    ) -> Result<(), S::Error> {
        let judged = match judged {
            Ok(j) => j,
            Err(e) => return self.reject(input, position, (e.to_string(), None), sink),
        };
        self.tally.rows_read += 1;
        self.tally.rows_scored += 1;
        self.tally.by_source.add(judged.event.source.name());
        self.tally.unread += u64::from(judged.event.unread_column.is_some());
        if self.waiting_rows > 0 && judged.event.kind() == Kind::Process {
            if let Some(k) = key(&judged.event) {
                self.release(&k, sink)?;
            }
        }
        let sysmon = judged.event.source.is_sysmon_dns_or_file();
        if sysmon
            && self.capacity > 0
            && judged.joined == Joined::Missing
            && judged.decision.fired != 0
        {
            if let Some(k) = key(&judged.event) {
                return self.wait(k, input, position, judged.event, sink);
            }
        }
        self.deliver(input, position, judged, sysmon, sink)
    }

    /// Count a settled row's outcome and push it into the sink.
    fn deliver<S: RowSink>(
        &mut self,
        input: usize,
        position: Position,
        judged: Judged,
        sysmon: bool,
        sink: &mut S,
    ) -> Result<(), S::Error> {
        let d = judged.decision;
        let joined = sysmon.then(|| !judged.joined.is_unjoined());
        let unjoined = joined == Some(false) && d.fired != 0;
        self.tally.alerts += u64::from(d.alert);
        self.tally.suppressed += u64::from(d.fired != 0 && !d.alert);
        self.tally.quiet += u64::from(d.fired == 0);
        self.tally.unjoined += u64::from(unjoined);
        self.tally.no_process_key += u64::from(unjoined && judged.joined == Joined::NoKey);
        sink.row(&Judgement {
            input,
            position,
            judged,
            joined,
        })
    }

    fn wait<S: RowSink>(
        &mut self,
        k: Key,
        input: usize,
        position: Position,
        event: Event,
        sink: &mut S,
    ) -> Result<(), S::Error> {
        if self.waiting_rows >= self.capacity {
            self.evict_oldest(sink)?;
        }
        self.seq += 1;
        self.order.push_back((k.clone(), self.seq));
        self.waiting.entry(k).or_default().push_back(Waiting {
            input,
            position,
            event,
            seq: self.seq,
        });
        self.waiting_rows += 1;
        Ok(())
    }

    /// Judge again the rows waiting for this process, now that its creation
    /// has been seen.
    fn release<S: RowSink>(&mut self, k: &Key, sink: &mut S) -> Result<(), S::Error> {
        let Some(rows) = self.waiting.remove(k) else {
            return Ok(());
        };
        self.waiting_rows -= rows.len();
        for w in rows {
            let judged = self.pipeline.join_and_decide(w.event);
            self.deliver(w.input, w.position, judged, true, sink)?;
        }
        Ok(())
    }

    /// Judge the longest-waiting row as it is (not joined).
    fn evict_oldest<S: RowSink>(&mut self, sink: &mut S) -> Result<(), S::Error> {
        while let Some((k, seq)) = self.order.pop_front() {
            let Some(rows) = self.waiting.get_mut(&k) else {
                continue;
            };
            // A key's rows wait in the order they came, so its oldest is
            // first; an older `seq` was released with its process creation.
            if rows.front().is_none_or(|w| w.seq != seq) {
                continue;
            }
            let Some(w) = rows.pop_front() else {
                continue;
            };
            if rows.is_empty() {
                self.waiting.remove(&k);
            }
            self.waiting_rows -= 1;
            let judged = self.pipeline.join_and_decide(w.event);
            return self.deliver(w.input, w.position, judged, true, sink);
        }
        Ok(())
    }

    /// End of input: every row still waiting is judged as it is.
    pub fn finish<S: RowSink>(&mut self, sink: &mut S) -> Result<(), S::Error> {
        while self.waiting_rows > 0 {
            self.evict_oldest(sink)?;
        }
        self.order.clear();
        Ok(())
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
        let mut s = Scanner::new(Pipeline::new(&det), JoinMode::Wait(capacity));
        let mut out = Vec::new();
        let stream = open(text.as_bytes(), "t", &Options::default()).expect("opens");
        for item in stream {
            let Ok(()) = s.item(0, item.expect("reads"), &mut out);
        }
        let Ok(()) = s.finish(&mut out);
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
