//! A content condition written as a KQL predicate over named columns.

use super::literal::kql_string;
use crate::content::Cond;
use crate::event::Field;

/// How a condition's names are written.
pub(super) struct Names<'a> {
    /// The column holding a field, `None` where the table has no such column
    /// (the predicate is then `false`: absent evidence never holds).
    pub column: &'a dyn Fn(Field) -> Option<String>,
    /// The domain IOC values and the `let` names of the lists that hold them:
    /// a `has_any` over exactly these values reads the lists.
    pub iocs: Option<(&'a [&'a str], &'a [String])>,
}

/// One predicate or a condition as KQL: `false` where a field is absent.
pub(super) fn cond(c: &Cond, names: &Names<'_>) -> String {
    match c {
        Cond::Pred(_) => {
            let (field, op, values) = c.predicates().remove(0);
            pred(field, op, values, names)
        }
        Cond::Any(cs) => {
            let parts: Vec<String> = cs
                .iter()
                .map(|c| cond(c, names))
                .filter(|s| s != "false")
                .collect();
            match parts.len() {
                0 => "false".into(),
                1 => parts.into_iter().next().unwrap_or_default(),
                _ => format!("({})", parts.join(" or ")),
            }
        }
        Cond::All(cs) => {
            let parts: Vec<String> = cs.iter().map(|c| cond(c, names)).collect();
            if parts.iter().any(|s| s == "false") {
                return "false".into();
            }
            match parts.len() {
                1 => parts.into_iter().next().unwrap_or_default(),
                _ => format!("({})", parts.join(" and ")),
            }
        }
    }
}

fn pred(field: Field, op: &str, values: &[String], names: &Names<'_>) -> String {
    let Some(col) = (names.column)(field) else {
        return "false".into();
    };
    if op == "has_any" {
        if let Some((iocs, lists)) = names.iocs {
            if values.len() == iocs.len() && values.iter().zip(iocs).all(|(a, b)| a == b) {
                let parts: Vec<String> = lists
                    .iter()
                    .map(|l| format!("{col} has_any ({l})"))
                    .collect();
                return any(parts);
            }
        }
    }
    let list = || {
        values
            .iter()
            .map(|v| kql_string(v))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match op {
        "has_any" | "in" | "in~" => format!("{col} {op} ({})", list()),
        _ => any(values
            .iter()
            .map(|v| format!("{col} {op} {}", kql_string(v)))
            .collect()),
    }
}

fn any(parts: Vec<String>) -> String {
    if parts.len() == 1 {
        parts.into_iter().next().unwrap_or_default()
    } else {
        format!("({})", parts.join(" or "))
    }
}
