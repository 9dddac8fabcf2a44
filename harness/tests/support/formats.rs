//! Shared by the input-format tests: fixtures, readers and summaries.
#![allow(dead_code, unused_imports)]

pub use std::collections::BTreeMap;
pub use std::io::{self, Read, Write};
pub use std::path::PathBuf;

pub use detections::enrich::Joined;
pub use detections::pipeline::Pipeline;
pub use detections::row::{Cell, Columns};
pub use harness::formats::{
    open, Format, FormatError, InputFormat, Item, ItemKind, Options, Position, Rejected, RowStream,
};
pub use harness::scan::{JoinMode, Judgement, RejectedRow, RowSink, Scanner};
pub use proptest::prelude::*;

pub fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn stream(bytes: Vec<u8>, options: &Options) -> RowStream {
    open(io::Cursor::new(bytes), "input", options).expect("opens")
}

/// One line per item: `position: source alert|suppressed|quiet`, `blank`,
/// `rejected: reason`, or `error: reason` for a row the mapping refuses.
pub fn summarise(items: impl IntoIterator<Item = Item>) -> Vec<String> {
    let det = detections::builtin(detections::Engine::Fast);
    let mut scanner = Scanner::new(Pipeline::new(&det), JoinMode::Wait(0));
    items
        .into_iter()
        .map(|item| {
            let position = item.position;
            let what = match &item.kind {
                ItemKind::Blank => "blank".to_owned(),
                ItemKind::Rejected(r) => format!("rejected: {r}"),
                ItemKind::Unused(why) => format!("unused: {why}"),
                ItemKind::Line(_) | ItemKind::Row(_) => {
                    let mut one = One(None);
                    let Ok(()) = scanner.item(0, item, &mut one);
                    one.0.expect("lines and rows are judged, none waits")
                }
            };
            format!("{position}: {what}")
        })
        .collect()
}

/// What the loop says of one line or row: its source and outcome, or the
/// mapping's error.
struct One(Option<String>);

impl RowSink for One {
    type Error = std::convert::Infallible;

    fn row(&mut self, j: &Judgement) -> Result<(), Self::Error> {
        let d = j.judged.decision;
        let verdict = if d.alert {
            "alert"
        } else if d.fired != 0 {
            "suppressed"
        } else {
            "quiet"
        };
        self.0 = Some(format!("{} {verdict}", j.judged.event.source.name()));
        Ok(())
    }

    fn rejected(&mut self, r: &RejectedRow) -> Result<(), Self::Error> {
        self.0 = Some(format!("error: {}", r.reason));
        Ok(())
    }
}

/// Every result, an error from `open` included (as the last).
pub fn results(
    reader: impl Read + Send + 'static,
    name: &str,
    options: &Options,
) -> Vec<Result<Item, FormatError>> {
    match open(reader, name, options) {
        Ok(s) => s.collect(),
        Err(e) => vec![Err(e)],
    }
}

pub fn read_all(bytes: Vec<u8>, options: &Options) -> (Format, Vec<Item>) {
    let s = stream(bytes, options);
    let format = s.format();
    (format, s.map(|i| i.expect("no error")).collect())
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

pub fn evtx_fixture() -> Vec<u8> {
    fixture("sysmon-chunk.evtx")
}

/// The EVTX fixture's Sysmon event-id histogram, counted with python-evtx 0.8.1
/// (see `tests/fixtures/formats/README.md`).
pub const FIXTURE_EVENTS: [(&str, usize); 4] = [
    ("Sysmon 1 (ProcessCreate)", 31),
    ("Sysmon 10 (ProcessAccess)", 5),
    ("Sysmon 11 (FileCreate)", 2),
    ("Sysmon 13 (RegistryEvent, value set)", 3),
];

/// How many of each summary (less the position) there are.
pub fn histogram(lines: &[String]) -> BTreeMap<String, usize> {
    let mut h = BTreeMap::new();
    for l in lines {
        let what = l.split_once(": ").map_or(l.as_str(), |(_, w)| w);
        *h.entry(what.trim_end_matches(" quiet").to_owned())
            .or_default() += 1;
    }
    h
}

pub fn fixture_histogram() -> BTreeMap<String, usize> {
    FIXTURE_EVENTS
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect()
}
