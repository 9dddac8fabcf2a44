//! The tabular operators that reshape whole tables: `join`, `union`,
//! `distinct`, `order by`, `summarize`, `project-away`.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use super::ast::{JoinKey, JoinKind, NamedExpr, SortKey};
use super::bind::Bound;
use super::error::{Error, Pos};
use super::functions::order;
use super::table::{Column, DataTable};
use super::value::{Key, Type, Value};

/// The most rows a `join` may produce: past it the query is an error rather
/// than a machine out of memory.
pub const MAX_JOIN_ROWS: usize = 10_000_000;

/// A value as a cell of a column of type `ty`, or `None` if it does not fit.
pub(super) fn coerce(v: Value, ty: Type) -> Option<Value> {
    Some(match (ty, v) {
        (Type::Dynamic, v @ (Value::Dynamic(_) | Value::Null)) => v,
        (Type::Dynamic, v) => Value::dynamic(v.to_json()),
        (Type::Real, Value::Long(i)) => Value::Real(i as f64),
        (Type::String, Value::Null) => return None,
        (_, Value::Null) => Value::Null,
        (t, v) if v.ty() == t => v,
        _ => return None,
    })
}

/// Whether two column types can be compared or share a column.
fn compatible(a: Type, b: Type) -> bool {
    a == b
        || a == Type::Unknown
        || b == Type::Unknown
        || (matches!(a, Type::Long | Type::Real) && matches!(b, Type::Long | Type::Real))
}

/// Output column names must be unique.
pub(super) fn unique_names(items: &[NamedExpr]) -> Result<(), Error> {
    let mut seen = HashSet::new();
    for n in items {
        if !seen.insert(n.name.as_str()) {
            return Err(Error::semantic(
                n.expr.pos,
                format!("column `{}` is named twice", n.name),
            ));
        }
    }
    Ok(())
}

/// `*`-wildcard matching of a column name.
fn glob(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || name.len() < first.len() + last.len() || !name.ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// `project-away`: a plain name must exist; a wildcard may match nothing.
pub(super) fn project_away(
    patterns: &[(String, Pos)],
    input: &DataTable,
) -> Result<DataTable, Error> {
    let mut drop = vec![false; input.columns().len()];
    for (p, pos) in patterns {
        if !p.contains('*') && input.column_index(p).is_none() {
            return Err(Error::semantic(
                *pos,
                format!("project-away: no column `{p}`"),
            ));
        }
        for (d, c) in drop.iter_mut().zip(input.columns()) {
            *d |= glob(p, &c.name);
        }
    }
    let keep: Vec<usize> = (0..drop.len()).filter(|&i| !drop[i]).collect();
    Ok(select(input, &keep))
}

/// The columns `keep` of `input`, in that order.
fn select(input: &DataTable, keep: &[usize]) -> DataTable {
    let columns = keep.iter().map(|&i| input.columns()[i].clone()).collect();
    let rows = input
        .rows()
        .iter()
        .map(|r| keep.iter().map(|&i| r[i].clone()).collect())
        .collect();
    DataTable::from_parts(columns, rows)
}

/// `union`: every column of every input, in order of first appearance; rows of
/// each input in turn, absent cells empty.
pub(super) fn union(inputs: &[&DataTable], pos: Pos) -> Result<DataTable, Error> {
    let mut columns: Vec<Column> = Vec::new();
    for t in inputs {
        for c in t.columns() {
            match columns.iter_mut().find(|o| o.name == c.name) {
                Some(o) if o.ty == c.ty || o.ty == Type::Unknown || c.ty == Type::Unknown => {
                    o.ty = o.ty.merge(c.ty);
                }
                Some(o) => {
                    return Err(Error::unsupported_because(
                        pos,
                        format!("union of column `{}` as {} and as {}", c.name, o.ty, c.ty),
                        "Kusto splits such a column in two (name_type); the evaluator does not",
                    ))
                }
                None => columns.push(c.clone()),
            }
        }
    }
    let mut rows = Vec::new();
    for t in inputs {
        let map: Vec<Option<usize>> = columns.iter().map(|c| t.column_index(&c.name)).collect();
        for r in t.rows() {
            rows.push(
                map.iter()
                    .zip(&columns)
                    .map(|(i, c)| match i.map(|i| r[i].clone()) {
                        Some(Value::Null) | None => c.ty.empty_value(),
                        Some(v) => v,
                    })
                    .collect(),
            );
        }
    }
    Ok(DataTable::from_parts(columns, rows))
}

fn column_of(t: &DataTable, (name, pos): &(String, Pos), side: &str) -> Result<usize, Error> {
    t.column_index(name).ok_or_else(|| {
        Error::semantic(
            *pos,
            format!("join: the {side} side has no column `{name}`"),
        )
    })
}

/// A fresh column name: `name`, else `name1`, `name2`, ... (Kusto's renaming of
/// a right-side column whose name the left side has).
fn fresh(name: &str, used: &HashSet<String>) -> String {
    if !used.contains(name) {
        return name.to_owned();
    }
    (1..)
        .map(|i| format!("{name}{i}"))
        .find(|n| !used.contains(n))
        .unwrap_or_else(|| name.to_owned())
}

/// `join kind=inner|leftouter|leftanti`. Keys compare as `==` does; a null key
/// matches nothing. Pairs come out in left order, then right order.
pub(super) fn join(
    kind: JoinKind,
    left: &DataTable,
    right: &DataTable,
    on: &[JoinKey],
    pos: Pos,
) -> Result<DataTable, Error> {
    // A side with neither columns nor rows has an unknown schema: it matches nothing.
    let unknown = |t: &DataTable| t.columns().is_empty() && t.is_empty();
    if unknown(left) {
        let columns = match kind {
            JoinKind::LeftAnti => Vec::new(),
            _ => right.columns().to_vec(),
        };
        return Ok(DataTable::from_parts(columns, Vec::new()));
    }
    if unknown(right) {
        return Ok(match kind {
            JoinKind::Inner => DataTable::from_parts(left.columns().to_vec(), Vec::new()),
            JoinKind::LeftOuter | JoinKind::LeftAnti => left.clone(),
        });
    }
    let mut lk = Vec::new();
    let mut rk = Vec::new();
    for k in on {
        let (l, r) = (
            column_of(left, &k.left, "left")?,
            column_of(right, &k.right, "right")?,
        );
        let (lt, rt) = (left.columns()[l].ty, right.columns()[r].ty);
        if !compatible(lt, rt) {
            return Err(Error::semantic(
                k.left.1,
                format!(
                    "join key `{}` is {lt} on the left and `{}` is {rt} on the right",
                    k.left.0, k.right.0
                ),
            ));
        }
        lk.push(l);
        rk.push(r);
    }
    let key = |row: &[Value], cols: &[usize]| -> Option<Vec<Key>> {
        let k: Vec<Key> = cols.iter().map(|&i| Key::of(&row[i])).collect();
        (!k.contains(&Key::Null)).then_some(k)
    };
    // Foldhash seeded per process, as `DataTable`'s column index: never
    // listed in its order.
    let mut index: HashMap<Vec<Key>, Vec<usize>, foldhash::fast::RandomState> = HashMap::default();
    for (i, r) in right.rows().iter().enumerate() {
        if let Some(k) = key(r, &rk) {
            index.entry(k).or_default().push(i);
        }
    }
    let mut columns = left.columns().to_vec();
    if kind != JoinKind::LeftAnti {
        let mut used: HashSet<String> = columns.iter().map(|c| c.name.clone()).collect();
        for c in right.columns() {
            let name = fresh(&c.name, &used);
            used.insert(name.clone());
            columns.push(Column::new(name, c.ty));
        }
    }
    let empty_right: Vec<Value> = right.columns().iter().map(|c| c.ty.empty_value()).collect();
    let mut rows = Vec::new();
    for l in left.rows() {
        let matches = key(l, &lk)
            .and_then(|k| index.get(&k))
            .map_or(&[][..], Vec::as_slice);
        match kind {
            JoinKind::LeftAnti if matches.is_empty() => rows.push(l.clone()),
            JoinKind::LeftAnti => {}
            JoinKind::LeftOuter if matches.is_empty() => {
                rows.push(l.iter().chain(&empty_right).cloned().collect())
            }
            JoinKind::Inner | JoinKind::LeftOuter => {
                for &m in matches {
                    rows.push(l.iter().chain(&right.rows()[m]).cloned().collect());
                }
            }
        }
        if rows.len() > MAX_JOIN_ROWS {
            return Err(Error::semantic(
                pos,
                format!("join produces more than {MAX_JOIN_ROWS} rows"),
            ));
        }
    }
    Ok(DataTable::from_parts(columns, rows))
}

/// `distinct a, b` (`None`: every column): each combination once, in order of
/// first appearance.
pub(super) fn distinct(
    cols: Option<&[(String, Pos)]>,
    input: &DataTable,
) -> Result<DataTable, Error> {
    let keep: Vec<usize> = match cols {
        None => (0..input.columns().len()).collect(),
        Some(cols) => cols
            .iter()
            .map(|(n, pos)| {
                input
                    .column_index(n)
                    .ok_or_else(|| Error::semantic(*pos, format!("distinct: no column `{n}`")))
            })
            .collect::<Result<_, _>>()?,
    };
    let selected = select(input, &keep);
    let mut seen = HashSet::new();
    let (columns, rows) = selected.into_parts();
    let rows = rows
        .into_iter()
        .filter(|r| seen.insert(r.iter().map(Key::of).collect::<Vec<_>>()))
        .collect();
    Ok(DataTable::from_parts(columns, rows))
}

fn is_null(v: &Value) -> bool {
    matches!(v, Value::Null) || matches!(v, Value::Real(r) if r.is_nan())
}

/// `order by`: stable (ties keep their input order); nulls (and NaN) first or
/// last as each key says, whatever its direction.
pub(super) fn sort(
    keys: &[SortKey],
    bound: &[Bound],
    input: &DataTable,
) -> Result<DataTable, Error> {
    let mut values: Vec<Vec<Value>> = Vec::with_capacity(input.len());
    for r in input.rows() {
        values.push(bound.iter().map(|b| b.eval(r)).collect::<Result<_, _>>()?);
    }
    // Every key's values must be of one orderable type: check once, so the
    // comparison below cannot fail.
    for (k, key) in keys.iter().enumerate() {
        let mut present = values.iter().map(|v| &v[k]).filter(|v| !is_null(v));
        if let Some(first) = present.next() {
            order(first, first, key.expr.pos)?;
            for v in present {
                order(first, v, key.expr.pos)?;
            }
        }
    }
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| {
        for (k, key) in keys.iter().enumerate() {
            let (x, y) = (&values[a][k], &values[b][k]);
            let ord = match (is_null(x), is_null(y)) {
                (true, true) => Ordering::Equal,
                (true, false) if key.nulls_first => Ordering::Less,
                (true, false) => Ordering::Greater,
                (false, true) if key.nulls_first => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => {
                    let o = order(x, y, key.expr.pos)
                        .ok()
                        .flatten()
                        .unwrap_or(Ordering::Equal);
                    if key.desc {
                        o.reverse()
                    } else {
                        o
                    }
                }
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    });
    let rows = idx.iter().map(|&i| input.rows()[i].clone()).collect();
    Ok(DataTable::from_parts(input.columns().to_vec(), rows))
}

/// `summarize [name =] count() by ...` and `summarize by ...`: one row per group
/// in order of first appearance; with no `by`, one row even over no rows.
pub(super) fn summarize(
    count: Option<&str>,
    by: &[NamedExpr],
    bound: &[Bound],
    input: &DataTable,
) -> Result<DataTable, Error> {
    unique_names(by)?;
    if let (Some(c), Some(n)) = (count, by.iter().find(|n| Some(n.name.as_str()) == count)) {
        return Err(Error::semantic(
            n.expr.pos,
            format!("column `{c}` is named twice"),
        ));
    }
    let mut groups: HashMap<Vec<Key>, usize, foldhash::fast::RandomState> = HashMap::default();
    let mut out: Vec<(Vec<Value>, i64)> = Vec::new();
    for r in input.rows() {
        let vals = bound
            .iter()
            .map(|b| b.eval(r))
            .collect::<Result<Vec<_>, _>>()?;
        let key = vals.iter().map(Key::of).collect();
        let g = *groups.entry(key).or_insert_with(|| {
            out.push((vals, 0));
            out.len() - 1
        });
        out[g].1 += 1;
    }
    if by.is_empty() && out.is_empty() {
        out.push((Vec::new(), 0));
    }
    let mut columns: Vec<Column> = by
        .iter()
        .zip(bound)
        .enumerate()
        .map(|(i, (n, b))| {
            let ty = match b {
                Bound::Col(c) => input.columns()[*c].ty,
                _ => out
                    .iter()
                    .fold(Type::Unknown, |t, (v, _)| t.merge(v[i].ty())),
            };
            Column::new(&n.name, ty)
        })
        .collect();
    if let Some(c) = count {
        columns.push(Column::new(c, Type::Long));
    }
    let rows = out
        .into_iter()
        .map(|(mut vals, n)| {
            if count.is_some() {
                vals.push(Value::Long(n));
            }
            vals
        })
        .collect();
    Ok(DataTable::from_parts(columns, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("Init*", "InitiatingProcessId"));
        assert!(glob("*Id", "InitiatingProcessId"));
        assert!(glob("*Process*", "InitiatingProcessId"));
        assert!(glob("*", "x"));
        assert!(!glob("a*a", "a"));
        assert!(!glob("Name", "Names"));
    }

    #[test]
    fn coercion_for_datatable_cells() {
        assert_eq!(coerce(Value::Long(1), Type::Real), Some(Value::Real(1.0)));
        assert_eq!(coerce(Value::Long(1), Type::String), None);
        assert_eq!(coerce(Value::Null, Type::String), None);
        assert_eq!(coerce(Value::Null, Type::Long), Some(Value::Null));
        assert!(matches!(
            coerce(Value::str("a"), Type::Dynamic),
            Some(Value::Dynamic(_))
        ));
    }
}
