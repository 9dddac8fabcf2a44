//! TOML text by hand: strings, lists, predicates, conditions and rows, each
//! written the same way every time. A leaf.

use crate::content::field_name;
use crate::event::Field;

/// A TOML string: a literal string where it can be one, else a basic one.
pub fn q(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// A TOML multi-line string for long text (a query, a description).
pub fn long(s: &str) -> String {
    if !s.contains("'''") && !s.ends_with('\'') && !s.contains('\r') {
        format!("'''\n{s}'''")
    } else {
        q(s)
    }
}

/// A list of strings.
pub fn list(values: &[String]) -> String {
    let items: Vec<String> = values.iter().map(|v| q(v)).collect();
    format!("[{}]", items.join(", "))
}

/// A predicate: `{ field = "...", op = "...", values = [...] }`.
pub fn pred(field: Field, op: &str, values: &[String]) -> String {
    format!(
        "{{ field = \"{}\", op = {}, values = {} }}",
        field_name(field),
        q(op),
        list(values)
    )
}

/// A predicate over a kind's indicator list.
pub fn pred_from(field: Field, op: &str, from: &str) -> String {
    format!(
        "{{ field = \"{}\", op = {}, values_from = \"{from}\" }}",
        field_name(field),
        q(op)
    )
}

/// `{ any = [...] }` or `{ all = [...] }`, one predicate alone as itself.
pub fn join(how: &str, preds: &[String]) -> String {
    match preds {
        [one] => one.clone(),
        _ => format!("{{ {how} = [\n  {},\n] }}", preds.join(",\n  ")),
    }
}

/// A row: `{ A = "x", B = 443 }` (numbers written bare).
pub fn row(cells: &[(&str, String)]) -> String {
    let items: Vec<String> = cells
        .iter()
        .map(|(k, v)| {
            if !v.is_empty() && v.len() < 7 && v.bytes().all(|b| b.is_ascii_digit()) {
                format!("{k} = {v}")
            } else {
                format!("{k} = {}", q(v))
            }
        })
        .collect();
    format!("{{ {} }}", items.join(", "))
}
