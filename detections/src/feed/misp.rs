//! MISP event JSON: `{"Event": {...}}`, a `{"response": [{"Event": ...}]}`
//! search result, or a list of `{"Event": ...}`. Every `Event.Attribute[]` and
//! `Event.Object[].Attribute[]` is an entry. `domain` and `hostname` are
//! domains, `ip-dst` and `ip-src` addresses (or CIDR ranges), `ip-dst|port` an
//! address and port, `url` a URL, `md5`, `sha1` and `sha256` hashes (alone or
//! after `filename|`); `domain|ip` gives both its domain and its address,
//! `hostname|port` its domain. Hashes of other kinds and other types are
//! rejected as such; attributes MISP marks as not for detection (`to_ids`
//! false) or deleted are rejected with that reason.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::json::{child, locate, short, text_of, value_lines};
use super::types::Reason;
use super::value::{Collector, Declared};
use super::{FeedError, FeedFields, Format};
use crate::ioc::IocKind;

/// MISP types that hold a hash or fingerprint (alone or after `filename|`).
const HASHES: [&str; 28] = [
    "md5",
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "sha512/224",
    "sha512/256",
    "sha3-224",
    "sha3-256",
    "sha3-384",
    "sha3-512",
    "ssdeep",
    "imphash",
    "impfuzzy",
    "tlsh",
    "authentihash",
    "pehash",
    "vhash",
    "cdhash",
    "telfhash",
    "dom-hash",
    "ja3-fingerprint-md5",
    "jarm-fingerprint",
    "hassh-md5",
    "hasshserver-md5",
    "x509-fingerprint-sha1",
    "x509-fingerprint-sha256",
];

/// Galaxies whose tags or clusters name a malware family.
const FAMILY_GALAXIES: [&str; 3] = ["malpedia", "mitre-malware", "mitre-tool"];

/// Whether a JSON value is a MISP event, search result or list of events.
pub fn is_misp(v: &Value) -> bool {
    match v {
        Value::Object(m) => {
            m.contains_key("Event")
                || m.get("response")
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|e| e.get("Event").is_some()))
        }
        Value::Array(a) => !a.is_empty() && a.iter().all(|e| e.get("Event").is_some()),
        _ => false,
    }
}

/// How a MISP attribute's value is read: whole, or a composite (`a|b`) of
/// which one or both halves are indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parts {
    /// The value as it is.
    Whole,
    /// `domain|ip`: both halves, the domain then the address.
    Both,
    /// `hostname|port`: the first half (no kind holds a name and a port); the
    /// rest noted.
    First,
    /// `filename|sha256`: the second half, the hash.
    Second,
    /// `ip-dst|port`: the halves joined as an address and port.
    AddressPort,
}

/// The kind a MISP attribute type declares, and how its value is read.
fn kind(t: &str) -> (Declared, Parts) {
    let hash = |plain: &str| match plain {
        "sha256" => Some(Declared::Is(IocKind::Sha256)),
        "sha1" => Some(Declared::Is(IocKind::Sha1)),
        "md5" => Some(Declared::Is(IocKind::Md5)),
        _ if HASHES.contains(&plain) || plain.starts_with("x509-fingerprint") => {
            Some(Declared::OtherHash)
        }
        _ => None,
    };
    match t {
        "domain" | "hostname" => (Declared::Is(IocKind::Domain), Parts::Whole),
        "domain|ip" => (Declared::Is(IocKind::Domain), Parts::Both),
        "hostname|port" => (Declared::Is(IocKind::Domain), Parts::First),
        "url" | "uri" | "link" => (Declared::Is(IocKind::Url), Parts::Whole),
        "ip-dst" | "ip-src" => (Declared::Ip, Parts::Whole),
        "ip-dst|port" | "ip-src|port" => (Declared::Is(IocKind::IpPort), Parts::AddressPort),
        _ => match t.strip_prefix("filename|").map(hash) {
            Some(Some(h)) => (h, Parts::Second),
            Some(None) => (Declared::Other(t.to_owned()), Parts::Whole),
            None => match hash(t) {
                Some(h) => (h, Parts::Whole),
                None => (Declared::Other(t.to_owned()), Parts::Whole),
            },
        },
    }
}

/// Read a MISP event JSON into `c`.
pub fn read(v: &Value, text: &str, c: &mut Collector) -> Result<(), FeedError> {
    let events: Vec<(String, &Value)> = match v {
        Value::Object(m) => match (m.get("Event"), m.get("response")) {
            (Some(ev), _) => vec![("/Event".into(), ev)],
            (None, Some(Value::Array(r))) => listed(r, "/response"),
            _ => Vec::new(),
        },
        Value::Array(a) => listed(a, ""),
        _ => Vec::new(),
    };
    if events.is_empty() {
        return Err(FeedError::Shape {
            format: Format::Misp,
            why: "no `Event` object (expected `{\"Event\": {...}}`, a `response` list of them, or a list of them)".into(),
        });
    }
    let lines = value_lines(text, &["value"]);
    for (path, ev) in events {
        let Some(ev) = ev.as_object() else {
            let why = Reason::Malformed("the event is not a JSON object".into());
            c.reject(locate(&lines, path, "value"), &short(ev), why);
            continue;
        };
        let event = EventInfo::of(ev);
        let attrs = items(ev, "Attribute", &path);
        let in_objects = items(ev, "Object", &path)
            .into_iter()
            .filter_map(|(p, o)| o.as_object().map(|o| items(o, "Attribute", &p)))
            .flatten();
        for (p, attr) in attrs.into_iter().chain(in_objects) {
            attribute(c, &lines, &event, p, attr);
        }
    }
    Ok(())
}

/// `{"Event": ...}` elements of a list, with their paths.
fn listed<'a>(list: &'a [Value], base: &str) -> Vec<(String, &'a Value)> {
    list.iter()
        .enumerate()
        .filter_map(|(i, e)| {
            Some((
                child(&child(base, &i.to_string()), "Event"),
                e.get("Event")?,
            ))
        })
        .collect()
}

/// The elements of the list `key` of `o`, with their paths.
fn items<'a>(o: &'a Map<String, Value>, key: &str, base: &str) -> Vec<(String, &'a Value)> {
    let base = child(base, key);
    o.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .enumerate()
                .map(|(i, v)| (child(&base, &i.to_string()), v))
                .collect()
        })
        .unwrap_or_default()
}

/// What an event gives all its attributes.
struct EventInfo {
    date: Option<String>,
    tags: Vec<String>,
    family: Option<String>,
}

impl EventInfo {
    fn of(ev: &Map<String, Value>) -> Self {
        let tags = tag_names(ev.get("Tag"));
        let cluster = ev
            .get("Galaxy")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|g| {
                g.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| FAMILY_GALAXIES.contains(&t))
            })
            .flat_map(|g| {
                g.get("GalaxyCluster")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
            })
            .find_map(|cl| cl.get("value").and_then(Value::as_str).map(str::to_owned));
        EventInfo {
            date: ev.get("date").and_then(text_of),
            family: family_of(&tags).or(cluster),
            tags,
        }
    }
}

fn tag_names(tags: Option<&Value>) -> Vec<String> {
    tags.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("name").and_then(text_of))
        .collect()
}

/// The family a galaxy tag names: `misp-galaxy:malpedia="NanoCore"`.
fn family_of(tags: &[String]) -> Option<String> {
    tags.iter().find_map(|t| {
        let (galaxy, value) = t.strip_prefix("misp-galaxy:")?.split_once('=')?;
        FAMILY_GALAXIES
            .contains(&galaxy)
            .then(|| value.trim_matches('"').to_owned())
    })
}

fn attribute(
    c: &mut Collector,
    lines: &HashMap<String, u64>,
    event: &EventInfo,
    path: String,
    attr: &Value,
) {
    let at = locate(lines, path, "value");
    let Some(a) = attr.as_object() else {
        let why = Reason::Malformed("the attribute is not a JSON object".into());
        c.reject(at, &short(attr), why);
        return;
    };
    let text = |k: &str| a.get(k).and_then(text_of).filter(|s| !s.is_empty());
    let written = text("value").unwrap_or_default();
    let Some(t) = text("type") else {
        let why = Reason::Malformed("the attribute has no `type`".into());
        c.reject(at, &written, why);
        return;
    };
    if a.get("deleted") == Some(&Value::Bool(true)) {
        c.reject(at, &written, Reason::Withdrawn);
        return;
    }
    // `to_ids` is a boolean in MISP's JSON; exports and tools also write it as
    // `0` / `1` or their strings.
    let not_for_ids = match a.get("to_ids") {
        Some(Value::Bool(b)) => !b,
        Some(Value::Number(n)) => n.as_u64() == Some(0),
        Some(Value::String(s)) => matches!(s.trim(), "0" | "false" | "False" | "FALSE"),
        _ => false,
    };
    if not_for_ids {
        c.reject(at, &written, Reason::NotForDetection);
        return;
    }
    let (declared, composite) = kind(&t);
    let mut tags = tag_names(a.get("Tag"));
    tags.extend(
        event
            .tags
            .iter()
            .filter(|t| !tags.contains(t))
            .cloned()
            .collect::<Vec<_>>(),
    );
    let fields = FeedFields {
        malware_family: family_of(&tags).or_else(|| event.family.clone()),
        ioc_type: Some(t.clone()),
        threat_type: text("category"),
        first_seen: text("first_seen").or_else(|| event.date.clone()),
        last_seen: text("last_seen"),
        confidence: None,
        reference: None,
        tags,
        id: text("uuid").or_else(|| text("id")),
    };
    let split = written.split_once('|');
    match (composite, split) {
        (Parts::Both, Some((domain, address))) => {
            c.offer(at.clone(), domain, &declared, fields.clone());
            c.offer(at, address, &Declared::Ip, fields);
        }
        (Parts::First, Some((domain, rest))) => {
            c.note(
                Some(at.clone()),
                format!("`{t}` value: the domain `{domain}` taken, `{rest}` left"),
            );
            c.offer(at, domain, &declared, fields);
        }
        (Parts::Second, Some((_, hash))) => c.offer(at, hash, &declared, fields),
        (Parts::AddressPort, Some((address, port))) => {
            let address = address.trim();
            let joined = if address.contains(':') && !address.starts_with('[') {
                format!("[{address}]:{}", port.trim())
            } else {
                format!("{address}:{}", port.trim())
            };
            c.offer_as(at, &written, &joined, &declared, fields);
        }
        (Parts::Whole, _) => c.offer(at, &written, &declared, fields),
        (_, None) => {
            let why = Reason::Malformed(format!(
                "a `{t}` value holds two parts separated by `|`; this holds one"
            ));
            c.reject(at, &written, why);
        }
    }
}
