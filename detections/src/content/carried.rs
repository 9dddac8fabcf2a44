//! The columns a source's rows carry, for checking a content's example rows:
//! its documented column list (`sources/schemas/`, with a Sysmon export's
//! envelope keys), the Log Analytics standard columns, and every column the
//! field mapping reads of it or recognises it by. A column outside them is
//! one huntlab never reads on that source: an example row naming one is a
//! load error unless the example declares it (`unread = [...]`).

use sources::{Read, SourceSpec};

use super::examples::example_event;
use super::problem::{line_of, Problem};
use crate::event::Source;
use crate::spec::{ExampleSpec, Spec};

/// Every example row of `spec` that names a column its source does not carry
/// and the example does not declare in `unread`, and every `unread` column
/// the row lacks or its source carries, as problems at the example. A row
/// that does not read is left to the examples' check.
pub(super) fn example_problems(spec: &Spec, src: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, h) in spec.hunts.iter().enumerate() {
        for (j, ex) in h.examples.iter().enumerate() {
            check(ex, &format!("hunts[{i}].examples[{j}]"), src, &mut out);
        }
    }
    for (i, x) in spec.exclusions.iter().enumerate() {
        for (j, ex) in x.examples.iter().enumerate() {
            check(ex, &format!("exclusions[{i}].examples[{j}]"), src, &mut out);
        }
    }
    out
}

fn check<E>(ex: &ExampleSpec<E>, path: &str, src: &str, out: &mut Vec<Problem>) {
    let Ok(ev) = example_event(&ex.row) else {
        return;
    };
    // The example's `name = "..."` line, where it can be found.
    let line = toml::Value::String(ex.name.clone()).to_string();
    let line = src
        .find(&format!("name = {line}"))
        .map(|at| line_of(src, at));
    let source = ev.source.name();
    let mut problem = |message: String| {
        out.push(Problem {
            line,
            path: path.to_owned(),
            message,
        });
    };
    for column in ex.row.keys() {
        let declared = ex.unread.iter().any(|u| u == column);
        if carries(ev.source, column) == Some(false) && !declared {
            problem(format!(
                "example {:?}: column `{column}` is not a column of {source} rows (huntlab never reads it there); remove it, or declare it with `unread = [{:?}]` if the example carries it to show it is not read",
                ex.name, column
            ));
        }
    }
    for column in &ex.unread {
        if !ex.row.contains_key(column) {
            problem(format!(
                "example {:?}: `unread` names `{column}`, which its row does not have",
                ex.name
            ));
        } else if carries(ev.source, column) != Some(false) {
            problem(format!(
                "example {:?}: `unread` names `{column}`, a column {source} rows carry (it is read: take it out of `unread`)",
                ex.name
            ));
        }
    }
}

/// Whether rows of `source` carry `column`, ignoring ASCII case and a custom
/// table's type suffix (`Name_s`); `None` when the source is not described
/// (a table or event no hunt reads: any column).
pub(super) fn carries(source: Source, column: &str) -> Option<bool> {
    let spec = sources::SOURCES.iter().find(|s| s.name == source.name())?;
    let bare = ["_s", "_d", "_b", "_t", "_g"]
        .iter()
        .find_map(|s| column.strip_suffix(s))
        .unwrap_or(column);
    let known = |n: &str| n.eq_ignore_ascii_case(column) || n.eq_ignore_ascii_case(bare);
    Some(columns(spec).into_iter().any(known))
}

/// Every column a source's rows may carry.
fn columns(spec: &SourceSpec) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = sources::STANDARD_COLUMNS.to_vec();
    out.extend([
        sources::TYPE_COLUMN,
        sources::EVENT_ID_COLUMN,
        sources::ACTION_TYPE_COLUMN,
    ]);
    out.extend(sources::PROVIDER_COLUMNS);
    out.extend(spec.without_type);
    for f in sources::COMMON.iter().chain(spec.fields).chain(spec.unread) {
        read_columns(&f.read, &mut out);
    }
    if let Some(text) = spec.schema.and_then(sources::schema_text) {
        out.extend(sources::schema_names(text));
        out.extend(sources::envelope(sources::second_comment(text)));
    }
    out
}

fn read_columns(r: &Read, out: &mut Vec<&'static str>) {
    match *r {
        Read::Columns(c) => out.extend(c),
        Read::Id(c) | Read::List(c) => out.push(c),
        Read::Path { folder, name } => out.extend([folder, name]),
        Read::Inside {
            column,
            keys,
            top_level,
        } => {
            out.push(column);
            if top_level {
                out.extend(keys);
            }
        }
    }
}
