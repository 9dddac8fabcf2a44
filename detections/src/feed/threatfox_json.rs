//! ThreatFox JSON export: an object keyed by IOC id, each a list (of one) of
//! `{ioc_value, ioc_type, threat_type, malware, malware_alias, malware_printable,
//! first_seen_utc, last_seen_utc, confidence_level, reference, tags, anonymous,
//! reporter}`. An API response (`{"query_status": "ok", "data": [...]}`, with
//! `ioc`, `first_seen`, and tags as an array) reads the same.

use std::collections::HashMap;

use serde_json::Value;

use super::json::{child, locate, short, text_of, value_lines};
use super::threatfox;
use super::types::Reason;
use super::value::Collector;
use super::{FeedError, Format, Location};

/// Whether a JSON value has the shape of a ThreatFox export or API response:
/// `query_status`, or an object of lists (some holding an `ioc_value`).
pub fn is_threatfox(v: &Value) -> bool {
    let has_value = |l: &Value| {
        l.as_array()
            .is_some_and(|l| l.iter().any(|e| e.get("ioc_value").is_some()))
    };
    v.as_object().is_some_and(|m| {
        m.contains_key("query_status")
            || m.values().all(Value::is_array)
            || m.values().any(has_value)
    })
}

/// Read a ThreatFox JSON export (or API response) into `c`.
pub fn read(v: &Value, text: &str, c: &mut Collector) -> Result<(), FeedError> {
    let shape = |why: &str| FeedError::Shape {
        format: Format::ThreatFoxJson,
        why: why.into(),
    };
    let m = v
        .as_object()
        .ok_or_else(|| shape("the top level is not an object keyed by IOC id"))?;
    let lines = value_lines(text, threatfox::VALUE);
    if let Some(status) = m.get("query_status") {
        match m.get("data") {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    entry(c, &lines, child("/data", &i.to_string()), item, None);
                }
            }
            _ if status != "ok" => c.note(
                None,
                format!("API response with query_status {status}: no entries"),
            ),
            _ => return Err(shape("an API response whose `data` is not a list")),
        }
        return Ok(());
    }
    for (id, list) in m {
        let base = child("", id);
        match list {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let path = child(&base, &i.to_string());
                    entry(c, &lines, path, item, Some(id.clone()));
                }
            }
            other => {
                let at = Location {
                    line: None,
                    path: Some(base),
                };
                let why = Reason::Malformed("the entry is not a list of IOC objects".into());
                c.reject(at, &short(other), why);
            }
        }
    }
    Ok(())
}

fn entry(
    c: &mut Collector,
    lines: &HashMap<String, u64>,
    path: String,
    item: &Value,
    id: Option<String>,
) {
    let key = threatfox::VALUE
        .iter()
        .copied()
        .find(|k| lines.contains_key(&child(&path, k)))
        .unwrap_or(threatfox::VALUE[0]);
    let at = locate(lines, path, key);
    match item {
        Value::Object(o) => {
            let get = |name: &str| o.get(name).and_then(text_of);
            threatfox::offer(c, at, &get, id);
        }
        other => {
            let why = Reason::Malformed("the entry is not an IOC object".into());
            c.reject(at, &short(other), why);
        }
    }
}
