//! The domain IOCs as `let` lists: one list while they fit `has_any`'s limit,
//! else several (never a truncated list).

use std::fmt::Write as _;

use super::literal::kql_string;
use crate::content::{Cond, Detection, Term};
use crate::spec::OpName;

/// The most values one `has_any` list holds (Kusto's documented limit).
pub const MAX_LIST: usize = 10_000;

/// The content's domain IOCs and the `let` names of the lists holding them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IocLists<'d> {
    /// The values, in content order.
    pub values: Vec<&'d str>,
    /// The list names: `malicious_domains`, or `malicious_domains_1`, ... when
    /// the values are over [`MAX_LIST`].
    pub names: Vec<String>,
}

impl<'d> IocLists<'d> {
    /// The lists of a content's domain IOCs.
    pub fn of(det: &'d Detection) -> Self {
        let values = det.domains();
        let chunks = values.len().div_ceil(MAX_LIST).max(1);
        let names = if chunks == 1 {
            vec!["malicious_domains".to_owned()]
        } else {
            (1..=chunks)
                .map(|i| format!("malicious_domains_{i}"))
                .collect()
        };
        Self { values, names }
    }

    /// Whether a predicate reads these lists: a `has_any` over exactly their
    /// values (written as the lists' names).
    pub fn names_list(&self, t: &Term) -> bool {
        t.op == OpName::HasAny
            && t.values.len() == self.values.len()
            && t.values.iter().zip(&self.values).all(|(a, b)| a == b)
    }

    /// The `let` statements a condition needs: the lists' when a predicate
    /// reads them ([`IocLists::names_list`]), else none.
    pub fn lets_for(&self, cond: &Cond) -> String {
        if cond.predicates().iter().any(|t| self.names_list(t)) {
            self.lets()
        } else {
            String::new()
        }
    }

    /// The `let` statements, one line each.
    pub fn lets(&self) -> String {
        let mut out = String::new();
        for (name, chunk) in self.chunks() {
            let list: Vec<String> = chunk.iter().map(|v| kql_string(v)).collect();
            let _ = writeln!(out, "let {name} = dynamic([{}]);", list.join(", "));
        }
        out
    }

    /// Each list's name and values (one empty list when there is no value).
    pub fn chunks(&self) -> impl Iterator<Item = (&str, &[&'d str])> {
        let chunks: Vec<&[&str]> = if self.values.is_empty() {
            vec![&[]]
        } else {
            self.values.chunks(MAX_LIST).collect()
        };
        self.names.iter().map(String::as_str).zip(chunks)
    }

    /// The `let` statements reading each list from a watchlist instead
    /// (`alias(name)` its alias): `let NAME = _GetWatchlist('ALIAS') | project
    /// SearchKey;`, one line each.
    pub fn watchlist_lets(&self, alias: impl Fn(&str) -> String) -> String {
        let mut out = String::new();
        for name in &self.names {
            let _ = writeln!(
                out,
                "let {name} = _GetWatchlist({}) | project SearchKey;",
                kql_string(&alias(name))
            );
        }
        out
    }
}
