//! Sigma rules: `dns_query` for a DNS hunt, `process_creation` and
//! `file_event` for a hunt on processes and files, `network_connection` and
//! `proxy` for a hunt on network rows' host names, each with a `filter_*` block
//! for every exclusion its log source can express. The others are named in the
//! rule as not expressible. Network rows' addresses and URLs, and digests, are
//! not written yet ([`super::Format::writes`]).
//!
//! Sigma has no `has`: a term match becomes `|contains` (a substring), and a
//! file-name field becomes the path field's `|endswith` (for an exact name) or
//! `|contains`. What that costs is measured, not hidden (`docs/export.md`).

use std::fmt::Write as _;

use super::file::ExportFile;
use super::literal::yaml_string;
use super::sentinel::{attack, rule_id, severity};
use crate::content::{field_name, Cond, Detection, Dialect, Hunt, Term};
use crate::event::Field;
use crate::spec::{OpName, RowKind};

/// A Sigma log source category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// `dns_query` (Sysmon 22: the query and the querying image).
    DnsQuery,
    /// `process_creation` (Sysmon 1).
    ProcessCreation,
    /// `file_event` (Sysmon 11: the file and the writing image).
    FileEvent,
    /// `network_connection` (Sysmon 3: the remote host and the connecting
    /// image).
    NetworkConnection,
    /// `proxy` (a web proxy's log: the requested host).
    Proxy,
}

impl Category {
    /// The category's name.
    pub fn name(self) -> &'static str {
        match self {
            Category::DnsQuery => "dns_query",
            Category::ProcessCreation => "process_creation",
            Category::FileEvent => "file_event",
            Category::NetworkConnection => "network_connection",
            Category::Proxy => "proxy",
        }
    }

    /// The log source's product, where Sigma names one.
    fn product(self) -> Option<&'static str> {
        match self {
            Category::Proxy => None,
            _ => Some("windows"),
        }
    }

    fn kind(self) -> RowKind {
        match self {
            Category::DnsQuery => RowKind::Dns,
            Category::ProcessCreation => RowKind::Process,
            Category::FileEvent => RowKind::File,
            Category::NetworkConnection | Category::Proxy => RowKind::Network,
        }
    }

    /// The Sigma field of a content field, and whether the content field is a
    /// path's last component (matched at the field's end).
    fn field(self, f: Field) -> Option<(&'static str, bool)> {
        use Category::*;
        Some(match (self, f) {
            (DnsQuery, Field::QueryName) => ("QueryName", false),
            (NetworkConnection, Field::RemoteHost) => ("DestinationHostname", false),
            (Proxy, Field::RemoteHost) => ("cs-host", false),
            (Proxy, _) => return None,
            (_, Field::Image) => ("Image", false),
            (_, Field::ImageName) => ("Image", true),
            (ProcessCreation, Field::FilePath) => ("Image", false),
            (ProcessCreation, Field::FileName) => ("Image", true),
            (FileEvent, Field::FilePath) => ("TargetFilename", false),
            (FileEvent, Field::FileName) => ("TargetFilename", true),
            (ProcessCreation, Field::CommandLine) => ("CommandLine", false),
            (ProcessCreation, Field::ParentImage) => ("ParentImage", false),
            (ProcessCreation, Field::ParentImageName) => ("ParentImage", true),
            (ProcessCreation, Field::ParentCommandLine) => ("ParentCommandLine", false),
            (ProcessCreation, Field::Company) => ("Company", false),
            _ => return None,
        })
    }
}

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

/// The Sigma dialect of a condition: a disjunction of conjunctions (a Sigma
/// search is a list of maps), `None` past 64 conjunctions.
struct Dnf;

impl<'c> Dialect<'c> for Dnf {
    type Out = Option<Vec<Vec<Term<'c>>>>;

    fn term(&self, t: Term<'c>) -> Self::Out {
        Some(vec![vec![t]])
    }

    fn any(&self, parts: Vec<Self::Out>) -> Self::Out {
        let mut out = Vec::new();
        for p in parts {
            out.extend(p?);
        }
        Some(out)
    }

    fn all(&self, parts: Vec<Self::Out>) -> Self::Out {
        let mut out: Vec<Vec<Term<'c>>> = vec![Vec::new()];
        for d in parts {
            let d = d?;
            let mut next = Vec::new();
            for a in &out {
                for b in &d {
                    next.push(a.iter().chain(b).copied().collect());
                }
            }
            out = next;
            if out.len() > 64 {
                return None;
            }
        }
        Some(out)
    }
}

/// One term as a Sigma map entry, `None` when the log source cannot say it.
fn entry(cat: Category, t: Term<'_>) -> Option<String> {
    let (name, last_component) = cat.field(t.field)?;
    let (modifier, cased) = match t.op {
        OpName::EqCi | OpName::InCi => ("", false),
        OpName::Eq | OpName::In => ("", true),
        OpName::Has | OpName::HasAny | OpName::Contains | OpName::HasPrefix | OpName::HasSuffix => {
            ("contains", false)
        }
        OpName::HasCs | OpName::ContainsCs => ("contains", true),
        OpName::StartsWith => ("startswith", false),
        OpName::EndsWith => ("endswith", false),
    };
    let (modifier, prefix) = match (modifier, last_component) {
        ("", true) => ("endswith", "\\"),
        ("startswith", true) => ("contains", "\\"),
        (m, _) => (m, ""),
    };
    let mut key = name.to_owned();
    for m in [modifier, if cased { "cased" } else { "" }] {
        if !m.is_empty() {
            key.push('|');
            key.push_str(m);
        }
    }
    let mut out = format!("{key}:");
    for v in t.values {
        let _ = write!(out, "\n  - {}", yaml_value(&format!("{prefix}{v}")));
    }
    Some(out)
}

/// A search identifier's body (indented by 4), `None` when not expressible.
fn search(cat: Category, c: &Cond) -> Option<String> {
    let conjunctions = c.write(&Dnf)?;
    let mut maps = Vec::new();
    for conj in &conjunctions {
        let mut keys = Vec::new();
        let mut entries = Vec::new();
        for &t in conj {
            let e = entry(cat, t)?;
            let key = e.split(':').next().unwrap_or_default().to_owned();
            if keys.contains(&key) {
                return None;
            }
            keys.push(key);
            entries.push(e);
        }
        maps.push(entries);
    }
    let indent = |s: &str, pad: &str| {
        s.lines()
            .map(|l| format!("{pad}{l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    Some(match maps.as_slice() {
        [one] => one
            .iter()
            .map(|e| indent(e, "    "))
            .collect::<Vec<_>>()
            .join("\n"),
        many => many
            .iter()
            .map(|m| {
                let body = m
                    .iter()
                    .map(|e| indent(e, "      "))
                    .collect::<Vec<_>>()
                    .join("\n");
                format!("    -{}", &body[5..])
            })
            .collect::<Vec<_>>()
            .join("\n"),
    })
}

/// The Sigma rule of a hunt on one log source; `None` when the source cannot
/// express the hunt's condition.
pub fn rule(det: &Detection, hunt: &Hunt, cat: Category) -> Option<String> {
    let selection = search(cat, &hunt.when)?;
    let mut filters = Vec::new();
    let mut unexpressed = Vec::new();
    for &i in &hunt.exclusions {
        let x = &det.exclusions[i];
        if !x.applies_to.contains(&cat.kind()) {
            continue;
        }
        match search(cat, &x.when) {
            Some(body) => filters.push((x, body)),
            None => unexpressed.push(x),
        }
    }
    let mut y = String::new();
    let _ = writeln!(
        y,
        "title: {}",
        yaml_string(&format!("{} ({})", hunt.title, cat.name()))
    );
    let _ = writeln!(
        y,
        "id: {}",
        rule_id(&det.id, &hunt.id, &format!("sigma-{}", cat.name()))
    );
    y.push_str("status: experimental\n");
    let mut description = format!(
        "{} Generated by huntlab export from content {} ({}), hunt {}.",
        hunt.description.trim(),
        det.id,
        det.source,
        hunt.id
    );
    if !unexpressed.is_empty() {
        let names: Vec<String> = unexpressed
            .iter()
            .map(|x| {
                let fields: Vec<&str> = x
                    .when
                    .predicates()
                    .iter()
                    .filter(|t| cat.field(t.field).is_none())
                    .map(|t| field_name(t.field))
                    .collect();
                format!("{} (needs {})", x.id, fields.join(", "))
            })
            .collect();
        let _ = write!(
            description,
            " Exclusions {} cannot express: {}.",
            cat.name(),
            names.join("; ")
        );
    }
    let _ = writeln!(y, "description: {}", yaml_string(&description));
    y.push_str("author: huntlab export\n");
    let (tactic, technique) = attack(hunt);
    let tactic = match tactic {
        "CommandAndControl" => "command-and-control",
        _ => "execution",
    };
    let _ = writeln!(
        y,
        "tags:\n  - attack.{tactic}\n  - attack.{}",
        technique.to_ascii_lowercase()
    );
    let _ = writeln!(y, "logsource:\n  category: {}", cat.name());
    if let Some(product) = cat.product() {
        let _ = writeln!(y, "  product: {product}");
    }
    let _ = writeln!(y, "detection:\n  selection:\n{selection}");
    for (x, body) in &filters {
        let _ = writeln!(y, "  # exclusion {}", super::literal::comment(&x.id));
        let _ = writeln!(y, "  filter_{}:\n{body}", slug(&x.id));
    }
    for x in &unexpressed {
        let _ = writeln!(
            y,
            "  # exclusion {}: not expressible on {}",
            super::literal::comment(&x.id),
            cat.name()
        );
    }
    let condition = if filters.is_empty() {
        "selection"
    } else {
        "selection and not 1 of filter_*"
    };
    let _ = writeln!(y, "  condition: {condition}");
    y.push_str("falsepositives:\n");
    for &i in &hunt.exclusions {
        let _ = writeln!(y, "  - {}", yaml_string(&det.exclusions[i].scenario));
    }
    if hunt.exclusions.is_empty() {
        y.push_str("  - Unknown\n");
    }
    let _ = writeln!(y, "level: {}", severity(det).to_ascii_lowercase());
    Some(y)
}

fn slug(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

pub(super) fn files(det: &Detection) -> Vec<ExportFile> {
    let mut out = Vec::new();
    for hunt in &det.hunts {
        for (kind, cat) in [
            (RowKind::Dns, Category::DnsQuery),
            (RowKind::Process, Category::ProcessCreation),
            (RowKind::File, Category::FileEvent),
            (RowKind::Network, Category::NetworkConnection),
            (RowKind::Network, Category::Proxy),
        ] {
            if !hunt.reads.contains(&kind) {
                continue;
            }
            if let Some(text) = rule(det, hunt, cat) {
                out.push(ExportFile {
                    name: format!("{}.{}.yml", hunt.id, cat.name()),
                    text,
                });
            }
        }
    }
    out
}
