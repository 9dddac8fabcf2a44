//! The lists a predicate's `values_from` reads: each kind's indicator values
//! (`iocs.domain`, `iocs.ip_port`), why a name gives none, and which kinds'
//! lists a content's hunts read.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::cond::field_name;
use crate::event::Field;
use crate::ioc::{Ioc, IocKind};
use crate::matcher::indicator::PortMatch;
use crate::spec::{CondSpec, OpName};

/// Each hunted kind's indicator values, in file order, shared by every
/// predicate naming the kind's list.
#[derive(Debug, Default)]
pub(super) struct Lists(BTreeMap<IocKind, Arc<[String]>>);

/// Why a `values_from` name gives no list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Missing {
    /// A hunted kind with no indicators.
    Empty(IocKind),
    /// A kind whose list no hunt may read (none, while every kind is in
    /// [`IocKind::HUNTED`]).
    NotHunted(IocKind),
    /// No kind's list.
    Unknown,
}

impl Lists {
    /// The lists of the hunted kinds among `iocs`, made in one pass.
    pub(super) fn of(iocs: &[Ioc]) -> Self {
        let mut values: BTreeMap<IocKind, Vec<String>> = IocKind::HUNTED
            .into_iter()
            .map(|kind| (kind, Vec::new()))
            .collect();
        for i in iocs {
            if let Some(list) = values.get_mut(&i.kind) {
                list.push(i.value.clone());
            }
        }
        Lists(values.into_iter().map(|(k, v)| (k, Arc::from(v))).collect())
    }

    /// The list `name` names (not empty), or why there is none.
    pub(super) fn get(&self, name: &str) -> Result<Arc<[String]>, Missing> {
        match IocKind::of_values_from(name) {
            Some(kind) if kind.hunted() => match self.0.get(&kind) {
                Some(list) if !list.is_empty() => Ok(Arc::clone(list)),
                _ => Err(Missing::Empty(kind)),
            },
            Some(kind) => Err(Missing::NotHunted(kind)),
            None => Err(Missing::Unknown),
        }
    }
}

impl Missing {
    /// What to tell the author of `values_from = "{name}"`.
    pub(super) fn message(self, name: &str) -> String {
        let hunted = quoted(IocKind::HUNTED.iter().map(|k| k.values_from()));
        match self {
            Missing::Empty(kind) => {
                format!("empty IOC list: no {} indicators to match", kind.label())
            }
            Missing::NotHunted(kind) => format!(
                "`{name}` names the {} list, which is not hunted yet (hunted: {hunted})",
                kind.label()
            ),
            Missing::Unknown => format!("unknown source `{name}` (known: {hunted})"),
        }
    }

    /// Whether the problem names its line (the messages the compiler has
    /// always given, for an empty or unknown list, do not).
    pub(super) fn with_line(self) -> bool {
        matches!(self, Missing::NotHunted(_))
    }
}

/// How a predicate over the list of `kind` matches: a domain list under any
/// operator and field (as written); an address, URL or digest list under `in`
/// only (its kind's equality: an address, an address and port, a range, a URL
/// or its host, a digest), on a field that carries the kind. `port_match` is
/// the hunt's `match`, which a hunt over `ip:port`s must state.
pub(super) fn fits(
    kind: IocKind,
    field: Field,
    op: OpName,
    port_match: Option<PortMatch>,
) -> Result<PortMatch, String> {
    if kind == IocKind::Domain {
        return Ok(PortMatch::default());
    }
    let fields = carriers(kind);
    let list = kind.values_from();
    if op != OpName::In {
        return Err(format!(
            "`{list}` is matched with `in` (its {} equality), not `{}`",
            kind.label(),
            op.kql()
        ));
    }
    if !fields.contains(&field) {
        let names: Vec<&str> = fields.iter().map(|f| field_name(*f)).collect();
        return Err(format!(
            "`{list}` is matched on {}, not `{}`",
            names.join(" or "),
            field_name(field)
        ));
    }
    match (kind, port_match) {
        (IocKind::IpPort, None) => Err(format!(
            "a hunt over `{list}` says how ports match: `match = \"address\"` (the address alone, as published pages drop the port) or `match = \"address_port\"`"
        )),
        (_, p) => Ok(p.unwrap_or_default()),
    }
}

/// The fields that carry a value of `kind`: the fields a list of the kind is
/// matched on (a domain list may be matched on any field, as written; these
/// are the fields that carry a domain).
pub(super) fn carriers(kind: IocKind) -> &'static [Field] {
    match kind {
        IocKind::Domain => &[Field::QueryName, Field::RemoteHost, Field::Url],
        IocKind::Ipv4 | IocKind::Ipv6 | IocKind::IpPort | IocKind::Cidr => {
            &[Field::RemoteIp, Field::SourceIp]
        }
        IocKind::Url => &[Field::Url, Field::RemoteHost],
        IocKind::Sha256 => &[Field::Sha256],
        IocKind::Sha1 => &[Field::Sha1],
        IocKind::Md5 => &[Field::Md5],
    }
}

/// The fields that carry a value of a kind among `iocs`, in
/// [`IocKind::ALL`]'s order, each once.
pub(super) fn carried(iocs: &[Ioc]) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    for kind in IocKind::ALL {
        if iocs.iter().any(|i| i.kind == kind) {
            for f in carriers(kind) {
                if !out.contains(f) {
                    out.push(*f);
                }
            }
        }
    }
    out
}

/// The kinds a content file's indicators may have, as a message lists them
/// (`domain, ipv4, ...`).
pub(super) fn kind_names() -> String {
    let names: Vec<&str> = IocKind::ALL.iter().map(|k| k.name()).collect();
    names.join(", ")
}

/// The kinds whose lists these conditions name in a `values_from`, at any
/// depth, in [`IocKind::ALL`]'s order (a name that is no kind's list is the
/// compiler's problem, not counted here).
pub(super) fn read_by<'a>(conds: impl IntoIterator<Item = &'a CondSpec>) -> Vec<IocKind> {
    fn walk(c: &CondSpec, out: &mut BTreeSet<IocKind>) {
        if let Some(kind) = c
            .values_from
            .as_ref()
            .and_then(|n| IocKind::of_values_from(n.get_ref()))
        {
            out.insert(kind);
        }
        for sub in c.any.iter().chain(c.all.iter()).flatten() {
            walk(sub, out);
        }
    }
    let mut out = BTreeSet::new();
    for c in conds {
        walk(c, &mut out);
    }
    out.into_iter().collect()
}

fn quoted<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
