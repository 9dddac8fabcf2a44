//! JSON Lines: each line's text, for the consumer to judge through a borrowed
//! view (`Pipeline::judge_line`); lines are read by [`crate::input::Lines`]
//! (bounded length, invalid UTF-8 and blank lines reported). A line of a
//! Sentinel `Event` row of a Sysmon event is parsed here and expanded
//! ([`super::event_table`]); only lines that mention `EventData` are looked at.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::error::{FormatError, Rejected};
use super::event_table::{expand, sysmon_event_data};
use super::source::{Bytes, Origin};
use super::types::{Item, ItemKind, Position};
use crate::input::{Line, Lines};
use crate::probe::Probe;

#[derive(Debug)]
pub(crate) struct JsonlRows {
    lines: Lines<Bytes>,
    origin: Origin,
    max_line: usize,
    max_xml: usize,
}

impl JsonlRows {
    pub(crate) fn new(
        bytes: Bytes,
        origin: Origin,
        (max_line, max_xml): (usize, usize),
        probe: Option<Probe>,
    ) -> Self {
        Self {
            lines: Lines::with_limit(bytes, max_line).with_probe(probe),
            origin,
            max_line,
            max_xml,
        }
    }

    pub(crate) fn next(&mut self) -> Option<Result<Item, FormatError>> {
        let (number, line) = match self.lines.next()? {
            Ok(l) => l,
            Err(e) => return Some(Err(self.origin.error(e))),
        };
        let kind = match line {
            Line::Text(text) => self.text(text),
            Line::Blank => ItemKind::Blank,
            Line::InvalidUtf8 { at } => ItemKind::Rejected(Rejected::InvalidUtf8 { at: at + 1 }),
            Line::TooLong(len) => ItemKind::Rejected(match self.lines.found() {
                None => Rejected::TooLong {
                    what: "line",
                    len: len as u64,
                    max: self.max_line,
                },
                Some(indicator) => Rejected::TooLongHolding {
                    what: "line",
                    len: len as u64,
                    max: self.max_line,
                    indicator,
                },
            }),
        };
        Some(Ok(Item {
            position: Position::Line(number),
            kind,
        }))
    }

    fn text(&self, text: String) -> ItemKind {
        static EVENT_DATA: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
        let finder = EVENT_DATA.get_or_init(|| memchr::memmem::Finder::new("EventData"));
        if finder.find(text.as_bytes()).is_none() {
            return ItemKind::Line(text);
        }
        // A line that is not a JSON object is left for the consumer to report.
        let Ok(map) = serde_json::from_str::<Map<String, Value>>(&text) else {
            return ItemKind::Line(text);
        };
        let columns: Vec<(&str, Cow<'_, str>)> = map
            .iter()
            .filter_map(|(k, v)| {
                let v = match v {
                    Value::Null => return None,
                    Value::String(s) => Cow::Borrowed(s.as_str()),
                    other => Cow::Owned(other.to_string()),
                };
                Some((k.as_str(), v))
            })
            .collect();
        let get = |key: &str| {
            columns
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.as_ref())
        };
        match sysmon_event_data(get) {
            None => ItemKind::Line(text),
            Some(xml) => {
                let pairs = columns.iter().map(|(k, v)| (*k, v.as_ref()));
                match expand(pairs, xml, self.max_xml) {
                    Ok(row) => ItemKind::Row(row),
                    Err(r) => ItemKind::Rejected(r),
                }
            }
        }
    }
}
