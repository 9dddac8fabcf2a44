//! The lists a predicate's `values_from` reads: each hunted kind's indicator
//! values (`iocs.domain`), and why a name gives none.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::ioc::{Ioc, IocKind};

/// Each hunted kind's indicator values, in file order, shared by every
/// predicate naming the kind's list.
#[derive(Debug, Default)]
pub(super) struct Lists(BTreeMap<IocKind, Arc<[String]>>);

/// Why a `values_from` name gives no list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Missing {
    /// A hunted kind with no indicators.
    Empty(IocKind),
    /// A kind whose list no hunt matches yet.
    NotHunted(IocKind),
    /// No kind's list.
    Unknown,
}

impl Lists {
    /// The lists of the hunted kinds among `iocs`.
    pub(super) fn of(iocs: &[Ioc]) -> Self {
        let lists = IocKind::HUNTED.into_iter().map(|kind| {
            let values: Arc<[String]> = iocs
                .iter()
                .filter(|i| i.kind == kind)
                .map(|i| i.value.clone())
                .collect();
            (kind, values)
        });
        Lists(lists.collect())
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

/// The kinds a content file's indicators may have, as a message lists them
/// (`domain`).
pub(super) fn hunted_types() -> String {
    let names: Vec<&str> = IocKind::HUNTED.iter().map(|k| k.name()).collect();
    names.join(", ")
}

fn quoted<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
