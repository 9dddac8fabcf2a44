//! The KQL dialect of a content condition: a predicate over named columns.

use super::iocs::IocLists;
use super::literal::kql_string;
use crate::content::{Cond, Dialect, Term};
use crate::event::Field;
use crate::spec::OpName;

/// How a condition's names are written.
pub(super) struct Names<'a> {
    /// The column holding a field, `None` where the table has no such column
    /// (the predicate is then `false`: absent evidence never holds).
    pub column: &'a dyn Fn(Field) -> Option<String>,
    /// The domain IOC lists: a `has_any` over exactly their values reads
    /// them by name ([`IocLists::names_list`]).
    pub iocs: Option<&'a IocLists<'a>>,
}

/// One predicate or a condition as KQL: `false` where a field is absent.
pub(super) fn cond(c: &Cond, names: &Names<'_>) -> String {
    c.write(names).unwrap_or_else(|| "false".into())
}

/// KQL over these names; `None` is `false` (a predicate on a column the table
/// lacks, and every `all` that holds one).
impl<'c> Dialect<'c> for Names<'_> {
    type Out = Option<String>;

    fn term(&self, t: Term<'c>) -> Option<String> {
        let col = (self.column)(t.field)?;
        if let Some(lists) = self.iocs.filter(|l| l.names_list(&t)) {
            let parts: Vec<String> = lists
                .names
                .iter()
                .map(|l| format!("{col} has_any ({l})"))
                .collect();
            return Some(any(parts));
        }
        let op = t.op.kql();
        Some(match t.op {
            OpName::HasAny | OpName::In | OpName::InCi => {
                let list: Vec<String> = t.values.iter().map(|v| kql_string(v)).collect();
                format!("{col} {op} ({})", list.join(", "))
            }
            _ => any(t
                .values
                .iter()
                .map(|v| format!("{col} {op} {}", kql_string(v)))
                .collect()),
        })
    }

    fn any(&self, parts: Vec<Option<String>>) -> Option<String> {
        let parts: Vec<String> = parts.into_iter().flatten().collect();
        (!parts.is_empty()).then(|| any(parts))
    }

    fn all(&self, parts: Vec<Option<String>>) -> Option<String> {
        let parts: Vec<String> = parts.into_iter().collect::<Option<_>>()?;
        Some(match parts.len() {
            1 => parts.into_iter().next().unwrap_or_default(),
            _ => format!("({})", parts.join(" and ")),
        })
    }
}

/// Parts joined by `or`, in parentheses when there are several.
fn any(parts: Vec<String>) -> String {
    if parts.len() == 1 {
        parts.into_iter().next().unwrap_or_default()
    } else {
        format!("({})", parts.join(" or "))
    }
}
