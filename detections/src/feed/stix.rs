//! STIX 2.1 bundles. Each `indicator` object's `pattern` is read by
//! [`super::stix_pattern`]: every `domain-name:value` comparison is a domain for
//! the hunt; `url:value`, IP and hash comparisons are rejected as such; any other
//! pattern is rejected as unsupported, whole. The malware family comes from an
//! `indicates` relationship to a `malware` object. Other objects are counted.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::json::{child, locate, short, text_of, value_lines};
use super::stix_pattern::comparisons;
use super::types::Reason;
use super::value::{confidence, Collector, Declared};
use super::{FeedError, FeedFields, Format};
use crate::ioc::IocKind;

/// Properties STIX 2.1 requires of an indicator (besides `type` and `pattern`).
const REQUIRED: [&str; 5] = ["id", "created", "modified", "pattern_type", "valid_from"];

/// Whether a JSON value is a STIX bundle or a single indicator.
pub fn is_stix(v: &Value) -> bool {
    matches!(
        v.get("type").and_then(Value::as_str),
        Some("bundle" | "indicator")
    )
}

/// The kind of a comparison's object path.
fn kind(path: &str) -> Declared {
    match path {
        "domain-name:value" => Declared::Is(IocKind::Domain),
        "url:value" => Declared::Is(IocKind::Url),
        "ipv4-addr:value" => Declared::Is(IocKind::Ipv4),
        "ipv6-addr:value" => Declared::Is(IocKind::Ipv6),
        p => match p.strip_prefix("file:hashes.") {
            Some("'SHA-256'" | "SHA256" | "'SHA256'") => Declared::Is(IocKind::Sha256),
            Some("'SHA-1'" | "SHA1" | "'SHA1'") => Declared::Is(IocKind::Sha1),
            Some("MD5" | "'MD5'") => Declared::Is(IocKind::Md5),
            _ if p.starts_with("file:hashes") => Declared::OtherHash,
            _ => Declared::Other(p.to_owned()),
        },
    }
}

/// Read a STIX bundle (or one indicator) into `c`.
pub fn read(v: &Value, text: &str, c: &mut Collector) -> Result<(), FeedError> {
    let shape = |why: &str| FeedError::Shape {
        format: Format::Stix,
        why: why.into(),
    };
    let lines = value_lines(text, &["pattern"]);
    let objects: Vec<(String, &Value)> = match v.get("type").and_then(Value::as_str) {
        Some("bundle") => match v.get("objects") {
            Some(Value::Array(objs)) => objs
                .iter()
                .enumerate()
                .map(|(i, o)| (child("/objects", &i.to_string()), o))
                .collect(),
            None => Vec::new(),
            Some(_) => return Err(shape("the bundle's `objects` is not a list")),
        },
        Some("indicator") => vec![(String::new(), v)],
        _ => return Err(shape("no `\"type\": \"bundle\"` at the top level")),
    };
    let family = families(objects.iter().map(|(_, o)| *o));
    let (mut other, mut incomplete) = (0usize, Vec::new());
    for (path, obj) in objects {
        let at = locate(&lines, path, "pattern");
        let o = match obj {
            Value::Object(o) => o,
            other => {
                let why = Reason::Malformed("the object is not a JSON object".into());
                c.reject(at, &short(other), why);
                continue;
            }
        };
        if o.get("type").and_then(Value::as_str) != Some("indicator") {
            other += 1;
            continue;
        }
        let missing: Vec<&str> = REQUIRED
            .into_iter()
            .filter(|k| !o.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            incomplete.push((at.clone(), missing.join(", ")));
        }
        let Some(pattern) = o.get("pattern").and_then(Value::as_str) else {
            let why = Reason::Malformed("the indicator has no string `pattern`".into());
            c.reject(at, "", why);
            continue;
        };
        if o.get("revoked") == Some(&Value::Bool(true)) {
            c.reject(at, pattern, Reason::Withdrawn);
            continue;
        }
        match o.get("pattern_type").and_then(Value::as_str) {
            None | Some("stix") => {}
            Some(t) => {
                let why = Reason::UnsupportedPattern(format!("pattern_type `{t}`"));
                c.reject(at, pattern, why);
                continue;
            }
        }
        let fields = fields(o, &family);
        match comparisons(pattern) {
            Err(why) => c.reject(at, pattern, Reason::UnsupportedPattern(why)),
            Ok(cmps) => {
                for cmp in cmps {
                    let mut f = fields.clone();
                    f.ioc_type = cmp.path.split(':').next().map(str::to_owned);
                    c.offer(at.clone(), &cmp.value, &kind(&cmp.path), f);
                }
            }
        }
    }
    if other > 0 {
        c.note(
            None,
            format!("{other} object(s) that are not indicators read only for malware names"),
        );
    }
    if let Some((at, missing)) = incomplete.first() {
        c.note(
            Some(at.clone()),
            format!(
                "{} indicator(s) lack properties STIX 2.1 requires (the first lacks {missing}); read anyway",
                incomplete.len()
            ),
        );
    }
    Ok(())
}

/// The feed fields of an indicator.
fn fields(o: &Map<String, Value>, family: &HashMap<&str, &str>) -> FeedFields {
    let text = |k: &str| o.get(k).and_then(text_of).filter(|s| !s.is_empty());
    let list = |k: &str| -> Vec<String> {
        o.get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(text_of).collect())
            .unwrap_or_default()
    };
    let id = text("id");
    let reference = o
        .get("external_references")
        .and_then(Value::as_array)
        .and_then(|refs| refs.iter().find_map(|r| r.get("url").and_then(text_of)));
    FeedFields {
        ioc_type: None,
        threat_type: Some(list("indicator_types").join(",")).filter(|s| !s.is_empty()),
        malware_family: id
            .as_deref()
            .and_then(|id| family.get(id))
            .map(|s| (*s).to_owned()),
        first_seen: text("valid_from"),
        last_seen: None,
        confidence: text("confidence").as_deref().and_then(confidence),
        reference,
        tags: list("labels"),
        id,
    }
}

/// Indicator id to malware name, from `indicates` relationships to `malware`
/// objects (the first relationship for an indicator wins).
fn families<'a>(objects: impl Iterator<Item = &'a Value> + Clone) -> HashMap<&'a str, &'a str> {
    let str_of = |o: &'a Value, k: &str| o.get(k).and_then(Value::as_str);
    let names: HashMap<&str, &str> = objects
        .clone()
        .filter(|o| str_of(o, "type") == Some("malware"))
        .filter_map(|o| Some((str_of(o, "id")?, str_of(o, "name")?)))
        .collect();
    let mut out = HashMap::new();
    for o in objects {
        if str_of(o, "type") == Some("relationship")
            && str_of(o, "relationship_type") == Some("indicates")
        {
            if let (Some(src), Some(name)) = (
                str_of(o, "source_ref"),
                str_of(o, "target_ref").and_then(|t| names.get(t)),
            ) {
                out.entry(src).or_insert(*name);
            }
        }
    }
    out
}
