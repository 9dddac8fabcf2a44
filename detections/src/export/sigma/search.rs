//! A content condition as a Sigma search: a list of maps (any map holds
//! when all its entries hold), each entry a field with its modifiers and
//! values (any value holds).
//!
//! Sigma has no `has`: a term match becomes `|contains` (a substring), and a
//! file-name field becomes the path field's `|endswith` (for an exact name) or
//! `|contains`. An indicator list matches by its kind's rule, as the KQL
//! forms write it ([`super::super::render`]): an address in its texts (IPv4
//! also IPv4-mapped), an `ip:port` as the address with the port (one map per
//! port), a range by `|cidr`, a URL by its match key at the end of `c-uri`,
//! a digest in Sysmon's `Hashes`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::IpAddr;

use super::category::{Category, Shape};
use crate::content::{Cond, Term};
use crate::event::Field;
use crate::export::literal::yaml_string;
use crate::export::render::address_texts;
use crate::ioc::IocKind;
use crate::matcher::indicator::{row_address, split_ip_port, url_match_keys, PortMatch};
use crate::spec::OpName;

/// The most maps a search holds (past it, the condition is not written).
const MAX_MAPS: usize = 64;

/// A Sigma string: `\`, `*` and `?` escaped (Sigma's wildcards).
fn sigma_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        if matches!(c, '\\' | '*' | '?') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A YAML scalar for a Sigma value: single-quoted where it can be, else
/// double-quoted with escapes.
fn yaml_value(v: &str) -> String {
    let s = sigma_value(v);
    if s.chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{feff}'))
    {
        yaml_string(&s)
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// One entry of a map: a field with its modifiers, and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    /// `Field|modifier|...`.
    key: String,
    values: Vec<String>,
    /// The values are numbers (written unquoted).
    number: bool,
    /// Plain (case-insensitive) equality: two such entries on one key
    /// hold together on the values both hold.
    equality: bool,
}

impl Entry {
    fn equal(key: &str, values: Vec<String>) -> Self {
        Self {
            key: key.to_owned(),
            values,
            number: false,
            equality: true,
        }
    }

    fn text(&self) -> String {
        let mut out = format!("{}:", self.key);
        for v in &self.values {
            let v = if self.number {
                v.clone()
            } else {
                yaml_value(v)
            };
            let _ = write!(out, "\n  - {v}");
        }
        out
    }
}

/// A disjunction of maps.
type Maps = Vec<Vec<Entry>>;

/// One term as Sigma maps (any holds), `None` when the category cannot say
/// it.
fn entries(cat: Category, t: Term<'_>) -> Option<Maps> {
    let (name, shape) = cat.field(t.field)?;
    if let Some(kind) = t.list.filter(|k| *k != IocKind::Domain) {
        return indicator(cat, name, shape, t, kind);
    }
    if let Shape::Digest(algo) = shape {
        return digest(name, algo, t.values);
    }
    // An address has no case to keep.
    let address = matches!(t.field, Field::RemoteIp | Field::SourceIp);
    let (modifier, cased) = match t.op {
        OpName::EqCi | OpName::InCi => ("", false),
        OpName::Eq | OpName::In => ("", !address),
        OpName::Has | OpName::HasAny | OpName::Contains | OpName::HasPrefix | OpName::HasSuffix => {
            ("contains", false)
        }
        OpName::HasCs | OpName::ContainsCs => ("contains", true),
        OpName::StartsWith => ("startswith", false),
        OpName::EndsWith => ("endswith", false),
    };
    let (modifier, prefix) = match (modifier, shape) {
        ("", Shape::LastComponent) => ("endswith", "\\"),
        ("startswith", Shape::LastComponent) => ("contains", "\\"),
        (m, _) => (m, ""),
    };
    let mut key = name.to_owned();
    for m in [modifier, if cased { "cased" } else { "" }] {
        if !m.is_empty() {
            key.push('|');
            key.push_str(m);
        }
    }
    let entry = Entry {
        key,
        values: t.values.iter().map(|v| format!("{prefix}{v}")).collect(),
        number: false,
        equality: modifier.is_empty() && !cased,
    };
    Some(vec![vec![entry]])
}

/// Digests as Sysmon's `Hashes` holds them (`SHA256=...`), in any case.
fn digest(name: &str, algo: &str, values: &[String]) -> Option<Maps> {
    let values: Vec<String> = values.iter().map(|v| format!("{algo}={v}")).collect();
    (!values.is_empty()).then(|| {
        vec![vec![Entry {
            key: format!("{name}|contains"),
            values,
            number: false,
            equality: false,
        }]]
    })
}

/// An address, URL or digest indicator list as Sigma maps, by its kind's
/// rule; `None` where the category cannot say it.
fn indicator(cat: Category, name: &str, shape: Shape, t: Term<'_>, kind: IocKind) -> Option<Maps> {
    let address_field = matches!(t.field, Field::RemoteIp | Field::SourceIp);
    let addresses = |addrs: &mut dyn Iterator<Item = IpAddr>| {
        let mut texts = Vec::new();
        for a in addrs {
            address_texts(a, &mut texts);
        }
        (!texts.is_empty()).then(|| vec![vec![Entry::equal(name, texts)]])
    };
    match kind {
        IocKind::Domain => None,
        IocKind::Ipv4 | IocKind::Ipv6 if address_field => {
            addresses(&mut t.values.iter().filter_map(|v| row_address(v)))
        }
        IocKind::IpPort if address_field && t.ports == PortMatch::Address => addresses(
            &mut t
                .values
                .iter()
                .filter_map(|v| split_ip_port(v))
                .map(|p| p.0),
        ),
        IocKind::IpPort if t.field == Field::RemoteIp => {
            let port = cat.port_field()?;
            let mut by_port: BTreeMap<u16, Vec<String>> = BTreeMap::new();
            for (a, p) in t.values.iter().filter_map(|v| split_ip_port(v)) {
                address_texts(a, by_port.entry(p).or_default());
            }
            let maps: Maps = by_port
                .into_iter()
                .map(|(p, texts)| {
                    let port = Entry {
                        number: true,
                        ..Entry::equal(port, vec![p.to_string()])
                    };
                    vec![Entry::equal(name, texts), port]
                })
                .collect();
            (!maps.is_empty()).then_some(maps)
        }
        IocKind::Cidr if address_field => {
            let ranges: Vec<String> = t
                .values
                .iter()
                .filter_map(|v| {
                    let (a, len) = v.split_once('/')?;
                    let (a, len) = (row_address(a)?, len.parse::<u32>().ok()?);
                    let max = if a.is_ipv4() { 32 } else { 128 };
                    (len <= max).then(|| format!("{a}/{len}"))
                })
                .collect();
            (!ranges.is_empty()).then(|| {
                vec![vec![Entry {
                    key: format!("{name}|cidr"),
                    values: ranges,
                    number: false,
                    equality: false,
                }]]
            })
        }
        IocKind::Url if t.field == Field::Url => {
            let mut keys: Vec<String> = Vec::new();
            for (k, _) in t.values.iter().filter_map(|v| url_match_keys(v)) {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
            (!keys.is_empty()).then(|| {
                vec![vec![Entry {
                    key: format!("{name}|endswith"),
                    values: keys,
                    number: false,
                    equality: false,
                }]]
            })
        }
        IocKind::Sha256 | IocKind::Sha1 | IocKind::Md5 => match shape {
            Shape::Digest(algo) => digest(name, algo, t.values),
            _ => None,
        },
        _ => None,
    }
}

/// `e` added to a map: `Some(false)` when the map can no longer hold (two
/// equalities on one field with no value in common), `None` when one map
/// cannot say both (Sigma names a field once per map).
fn put(map: &mut Vec<Entry>, e: Entry) -> Option<bool> {
    let Some(old) = map.iter_mut().find(|o| o.key == e.key) else {
        map.push(e);
        return Some(true);
    };
    if !(old.equality && e.equality && old.number == e.number) {
        return None;
    }
    old.values
        .retain(|v| e.values.iter().any(|w| w.eq_ignore_ascii_case(v)));
    Some(!old.values.is_empty())
}

/// A condition as a Sigma search, and the fields of the parts left out.
pub(super) struct Search {
    /// The search identifier's body (indented by 4).
    pub body: String,
    /// The fields of the `any` branches the category cannot say (left out:
    /// the search matches less than the condition).
    pub left_out: Vec<Field>,
}

/// A condition as a Sigma search. With `partial`, the `any` branches the
/// category cannot say are left out (and named); without, any such branch
/// makes the whole `None`, as does a condition past [`MAX_MAPS`] maps.
pub(super) fn search(cat: Category, c: &Cond, partial: bool) -> Option<Search> {
    let mut maps: Maps = Vec::new();
    let mut left_out = Vec::new();
    for conj in c.conjunctions(MAX_MAPS)? {
        let mut these: Maps = vec![Vec::new()];
        let mut said = true;
        for &t in &conj {
            let Some(alternatives) = entries(cat, t) else {
                said = false;
                note(&mut left_out, t.field);
                continue;
            };
            let mut next = Vec::new();
            for m in &these {
                for alt in &alternatives {
                    let mut m = m.clone();
                    let mut holds = true;
                    for e in alt {
                        match put(&mut m, e.clone()) {
                            Some(h) => holds &= h,
                            None => {
                                said = false;
                                note(&mut left_out, t.field);
                            }
                        }
                    }
                    if holds {
                        next.push(m);
                    }
                }
            }
            these = next;
            if these.len() > MAX_MAPS {
                return None;
            }
        }
        if !said {
            if !partial {
                return None;
            }
            continue;
        }
        maps.extend(these);
    }
    if maps.is_empty() || maps.len() > MAX_MAPS {
        return None;
    }
    Some(Search {
        body: body(&maps),
        left_out,
    })
}

fn note(fields: &mut Vec<Field>, f: Field) {
    if !fields.contains(&f) {
        fields.push(f);
    }
}

/// The maps as YAML: one map's entries, or a list of maps.
fn body(maps: &[Vec<Entry>]) -> String {
    let indent = |s: &str, pad: &str| {
        s.lines()
            .map(|l| format!("{pad}{l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match maps {
        [one] => one
            .iter()
            .map(|e| indent(&e.text(), "    "))
            .collect::<Vec<_>>()
            .join("\n"),
        many => many
            .iter()
            .map(|m| {
                let body = m
                    .iter()
                    .map(|e| indent(&e.text(), "      "))
                    .collect::<Vec<_>>()
                    .join("\n");
                format!("    -{}", &body[5..])
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}
