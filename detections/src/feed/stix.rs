//! STIX 2.1 bundles. Each `indicator` object's `pattern` is read by
//! [`super::stix_pattern`] into its branches (the comparisons one AND joins),
//! and each branch is one entry: a `domain-name:value`, `ipv4-addr:value`,
//! `ipv6-addr:value` (an address or a CIDR range), `url:value`,
//! `network-traffic:dst_ref.value` or `file:hashes.'SHA-256'` (`SHA-1`, `MD5`)
//! comparison alone, or an address AND `network-traffic:dst_port` (an address
//! and port; `network-traffic:dst_ref.type` may say the address's version). A
//! branch of any other shape is rejected as unsupported, the rest of its
//! pattern read; a pattern outside the grammar is rejected whole. The malware
//! family comes from an `indicates` relationship to a `malware` object. Other
//! objects are counted.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::json::{child, locate, short, text_of, value_lines};
use super::stix_pattern::{branches, Comparison};
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

/// One branch of a pattern, read as one entry.
struct Entry {
    /// The value, as the feed wrote it (an address and port joined `a:port`).
    value: String,
    /// What the branch declares it to be.
    declared: Declared,
    /// The branch's object types, for the feed's type (`domain-name`,
    /// `ipv4-addr+network-traffic`).
    object_types: String,
}

/// The address a `network-traffic:dst_ref.type` names, if it names one.
fn ref_type(c: &Comparison) -> Result<Declared, String> {
    match c.value.as_str() {
        "ipv4-addr" => Ok(Declared::Is(IocKind::Ipv4)),
        "ipv6-addr" => Ok(Declared::Is(IocKind::Ipv6)),
        "domain-name" => Ok(Declared::Is(IocKind::Domain)),
        t => Err(format!("`network-traffic:dst_ref.type` `{t}`")),
    }
}

/// What a branch (comparisons joined by AND) gives: one comparison of a path
/// [`kind`] reads, or an address (`ipv4-addr:value`, `ipv6-addr:value`,
/// `network-traffic:dst_ref.value` with or without its `dst_ref.type`) and
/// at most one `network-traffic:dst_port`; or what it holds that is not that.
fn read_branch(branch: &[Comparison]) -> Result<Entry, String> {
    let mut address: Option<(&Comparison, Declared)> = None;
    let (mut port, mut dst_type) = (None, None);
    for c in branch {
        if c.number && c.path != "network-traffic:dst_port" {
            return Err(format!("the number {} compared with `{}`", c.value, c.path));
        }
        let slot = match c.path.as_str() {
            "network-traffic:dst_port" => &mut port,
            "network-traffic:dst_ref.type" => &mut dst_type,
            "network-traffic:dst_ref.value" => {
                let d = match IocKind::infer(&c.value) {
                    IocKind::Ipv4 | IocKind::Ipv6 | IocKind::Cidr => Declared::Ip,
                    _ => Declared::Is(IocKind::Domain),
                };
                address = match address {
                    None => Some((c, d)),
                    Some(_) => return Err("two addresses joined by `AND`".into()),
                };
                continue;
            }
            p if branch.len() == 1 => {
                return Ok(Entry {
                    value: c.value.clone(),
                    declared: kind(p),
                    object_types: object_type(p).to_owned(),
                })
            }
            p @ ("ipv4-addr:value" | "ipv6-addr:value") => {
                address = match address {
                    None => Some((c, kind(p))),
                    Some(_) => return Err("two addresses joined by `AND`".into()),
                };
                continue;
            }
            _ => {
                let paths: Vec<String> = branch.iter().map(|c| format!("`{}`", c.path)).collect();
                return Err(format!("`AND` joining {}", paths.join(" and ")));
            }
        };
        if slot.replace(c).is_some() {
            return Err(format!("`{}` twice in one observation", c.path));
        }
    }
    let Some((addr, mut declared)) = address else {
        return Err("network-traffic comparisons that name no address".into());
    };
    if let Some(t) = dst_type {
        if addr.path != "network-traffic:dst_ref.value" {
            return Err(format!(
                "`network-traffic:dst_ref.type` with `{}`",
                addr.path
            ));
        }
        declared = ref_type(t)?;
    }
    let mut types: Vec<&str> = branch.iter().map(|c| object_type(&c.path)).collect();
    types.dedup();
    let object_types = types.join("+");
    let Some(port) = port else {
        return Ok(Entry {
            value: addr.value.clone(),
            declared,
            object_types,
        });
    };
    if declared == Declared::Is(IocKind::Domain) {
        return Err("a domain AND a port: no kind of indicator holds a name with its port".into());
    }
    let a = addr.value.trim();
    let value = if a.contains(':') && !a.starts_with('[') {
        format!("[{a}]:{}", port.value.trim())
    } else {
        format!("{a}:{}", port.value.trim())
    };
    Ok(Entry {
        value,
        declared: Declared::Is(IocKind::IpPort),
        object_types,
    })
}

/// The object type a path starts with (`ipv4-addr` of `ipv4-addr:value`).
fn object_type(path: &str) -> &str {
    path.split(':').next().unwrap_or(path)
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
        match branches(pattern) {
            Err(why) => c.reject(at, pattern, Reason::UnsupportedPattern(why)),
            Ok(branches) => {
                for branch in branches {
                    match read_branch(&branch) {
                        Ok(entry) => {
                            let mut f = fields.clone();
                            f.ioc_type = Some(entry.object_types);
                            c.offer(at.clone(), &entry.value, &entry.declared, f);
                        }
                        Err(why) => c.reject(at.clone(), pattern, Reason::UnsupportedPattern(why)),
                    }
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
