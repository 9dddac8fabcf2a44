//! The local KQL evaluator: runs a query of the subset over tables handed in as
//! data and returns the result as data, columns in the order the query gives
//! them. See `docs/kql-evaluator.md` for the subset and where it follows Kusto.
//!
//! ```
//! use kql_eval::eval::run;
//! use kql_eval::table::{DataTable, Tables};
//!
//! let rows = vec![
//!     serde_json::json!({"Name": "a.estaliax.io", "Computer": "dc01"}),
//!     serde_json::json!({"Name": "xestaliax.io", "Computer": "dc01"}),
//! ];
//! let rows: Vec<_> = rows.into_iter().map(|r| r.as_object().unwrap().clone()).collect();
//! let mut tables = Tables::new();
//! tables.insert("DnsEvents".into(), DataTable::from_json_rows(&rows));
//! let out = run(
//!     r#"DnsEvents | where Name has_any ("estaliax.io") | project Name"#,
//!     &tables,
//! )
//! .unwrap();
//! assert_eq!(out.column_names(), ["Name"]);
//! assert_eq!(out.len(), 1);
//! ```

use std::borrow::Cow;
use std::collections::HashMap;

use super::ast::{self, LetValue, NamedExpr, Op, Source, Tabular};
use super::bind::{bind, Bound, Context};
use super::error::{Error, Pos};
use super::ops;
use super::parser;
use super::table::{Column, DataTable, Tables};
use super::value::{Type, Value};

/// A parsed query, ready to run over any set of tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    ast: ast::Query,
}

impl Query {
    /// Parse a query. Constructs outside the subset are errors naming the
    /// construct and its line and column.
    pub fn parse(text: &str) -> Result<Self, Error> {
        Ok(Self {
            ast: parser::parse(text)?,
        })
    }

    /// The syntax tree.
    pub fn ast(&self) -> &ast::Query {
        &self.ast
    }

    /// Run the query over `tables` (a watchlist is the table named by its
    /// alias). `ago()` and `now()` are errors: they need [`Query::run_at`].
    pub fn run(&self, tables: &Tables) -> Result<DataTable, Error> {
        self.run_with(tables, None)
    }

    /// Run the query as it runs at `now` (100 ns ticks since the epoch, as a
    /// `datetime` holds them): `ago(1h)` is an hour before `now`. The caller
    /// gives the time, never the machine's clock, so a run is repeatable; the
    /// tables hold what exists at that time.
    pub fn run_at(&self, tables: &Tables, now: i64) -> Result<DataTable, Error> {
        self.run_with(tables, Some(now))
    }

    fn run_with(&self, tables: &Tables, now: Option<i64>) -> Result<DataTable, Error> {
        let mut env = Env {
            tables,
            scalars: HashMap::new(),
            lets: HashMap::new(),
            now,
        };
        for l in &self.ast.lets {
            match &l.value {
                LetValue::Scalar(e) => {
                    let v = bind(e, &[], &env)?.eval(&[])?;
                    env.lets.remove(&l.name);
                    env.scalars.insert(l.name.clone(), v);
                }
                LetValue::Tabular(t) => {
                    let table = env.tabular(t)?.into_owned();
                    env.scalars.remove(&l.name);
                    env.lets.insert(l.name.clone(), table);
                }
            }
        }
        Ok(env.tabular(&self.ast.body)?.into_owned())
    }
}

/// Parse `text` and run it over `tables`.
pub fn run(text: &str, tables: &Tables) -> Result<DataTable, Error> {
    Query::parse(text)?.run(tables)
}

/// The names a query has bound so far, and the caller's tables.
struct Env<'t> {
    tables: &'t Tables,
    scalars: HashMap<String, Value>,
    lets: HashMap<String, DataTable>,
    now: Option<i64>,
}

impl Context for Env<'_> {
    fn scalar(&self, name: &str) -> Option<&Value> {
        self.scalars.get(name)
    }

    fn is_table(&self, name: &str) -> bool {
        self.lets.contains_key(name) || self.tables.contains_key(name)
    }

    fn now(&self) -> Option<i64> {
        self.now
    }

    fn first_column(&self, t: &Tabular) -> Result<Vec<Value>, Error> {
        let table = self.tabular(t)?;
        Ok(table
            .rows()
            .iter()
            .filter_map(|r| r.first().cloned())
            .collect())
    }
}

/// The type of a computed column: the input column's own type when the
/// expression is a plain column, else the common type of its values.
fn column_type(b: &Bound, input: &[Column], values: impl Iterator<Item = Type>) -> Type {
    match b {
        Bound::Col(i) => input.get(*i).map_or(Type::Unknown, |c| c.ty),
        _ => values.fold(Type::Unknown, Type::merge),
    }
}

/// An operator over a table with neither columns nor rows (such as an empty
/// JSON Lines file, whose schema is unknown). No row can come out of it but
/// `summarize count()`'s, so names are not checked; the output has the columns
/// the operator names, of unknown type.
fn schemaless(op: &Op) -> DataTable {
    let unknown = |n: &str| Column::new(n, Type::Unknown);
    let named = |items: &[NamedExpr]| items.iter().map(|n| unknown(&n.name)).collect::<Vec<_>>();
    let (columns, rows) = match op {
        Op::Project(items) | Op::Extend(items) => (named(items), Vec::new()),
        Op::Distinct(Some(cols)) => (cols.iter().map(|(n, _)| unknown(n)).collect(), Vec::new()),
        Op::Summarize { count, by } => {
            let mut columns = named(by);
            let mut rows = Vec::new();
            if let Some(c) = count {
                columns.push(Column::new(c, Type::Long));
                if by.is_empty() {
                    rows.push(vec![Value::Long(0)]);
                }
            }
            (columns, rows)
        }
        _ => (Vec::new(), Vec::new()),
    };
    DataTable::from_parts(columns, rows)
}

impl Env<'_> {
    fn tabular(&self, t: &Tabular) -> Result<Cow<'_, DataTable>, Error> {
        let mut cur = self.source(&t.source)?;
        for op in &t.ops {
            // `extend` keeps every row: a table this query made is extended
            // in place, not copied first.
            let next = match (op, &cur) {
                (Op::Extend(items), Cow::Owned(t)) if !(t.columns().is_empty() && t.is_empty()) => {
                    self.extend(items, cur.into_owned())?
                }
                _ => self.apply(op, &cur)?,
            };
            cur = Cow::Owned(next);
        }
        Ok(cur)
    }

    fn source(&self, s: &Source) -> Result<Cow<'_, DataTable>, Error> {
        match s {
            Source::Name { name, pos } => {
                if let Some(t) = self.lets.get(name) {
                    return Ok(Cow::Borrowed(t));
                }
                if self.scalars.contains_key(name) {
                    return Err(Error::semantic(
                        *pos,
                        format!("`{name}` is a scalar, used where a table is expected"),
                    ));
                }
                self.tables.get(name).map(Cow::Borrowed).ok_or_else(|| {
                    let given: Vec<&str> = self.tables.keys().map(String::as_str).collect();
                    Error::semantic(
                        *pos,
                        format!(
                            "unknown table `{name}` (tables given: {})",
                            if given.is_empty() {
                                "none".into()
                            } else {
                                given.join(", ")
                            }
                        ),
                    )
                })
            }
            Source::Watchlist { alias, pos } => {
                let t = self.tables.get(alias).ok_or_else(|| {
                    Error::semantic(
                        *pos,
                        format!("watchlist `{alias}` not given: hand in a table named `{alias}` with a SearchKey column"),
                    )
                })?;
                if t.column_index("SearchKey").is_none() {
                    return Err(Error::semantic(
                        *pos,
                        format!("watchlist `{alias}` has no SearchKey column"),
                    ));
                }
                Ok(Cow::Borrowed(t))
            }
            Source::Datatable {
                columns,
                values,
                pos,
            } => self.datatable(columns, values, *pos).map(Cow::Owned),
            Source::Union { inputs, pos } => {
                let tables = inputs
                    .iter()
                    .map(|t| self.tabular(t))
                    .collect::<Result<Vec<_>, _>>()?;
                let refs: Vec<&DataTable> = tables.iter().map(|t| &**t).collect();
                ops::union(&refs, *pos).map(Cow::Owned)
            }
            Source::Nested(t) => self.tabular(t),
        }
    }

    fn datatable(
        &self,
        schema: &[(String, Type)],
        values: &[ast::Expr],
        pos: Pos,
    ) -> Result<DataTable, Error> {
        if !values.len().is_multiple_of(schema.len()) {
            return Err(Error::semantic(
                pos,
                format!(
                    "datatable has {} values for {} columns: not a whole number of rows",
                    values.len(),
                    schema.len()
                ),
            ));
        }
        let columns: Vec<Column> = schema.iter().map(|(n, t)| Column::new(n, *t)).collect();
        let mut rows = Vec::with_capacity(values.len() / schema.len());
        for chunk in values.chunks(schema.len()) {
            let mut row = Vec::with_capacity(schema.len());
            for (e, c) in chunk.iter().zip(&columns) {
                let v = bind(e, &[], self)?.eval(&[])?;
                row.push(ops::coerce(v, c.ty).ok_or_else(|| {
                    Error::semantic(
                        e.pos,
                        format!(
                            "datatable column `{}` is {}; this value is not",
                            c.name, c.ty
                        ),
                    )
                })?);
            }
            rows.push(row);
        }
        DataTable::new(columns, rows).map_err(|e| Error::semantic(pos, e.to_string()))
    }

    fn apply(&self, op: &Op, input: &DataTable) -> Result<DataTable, Error> {
        let columns = input.columns();
        if columns.is_empty()
            && input.is_empty()
            && !matches!(op, Op::Join { .. } | Op::Union { .. })
        {
            return Ok(schemaless(op));
        }
        match op {
            Op::Where(e) => {
                let b = bind(e, columns, self)?;
                let mut rows = Vec::new();
                for r in input.rows() {
                    if b.test(r, e.pos)? == Some(true) {
                        rows.push(r.clone());
                    }
                }
                Ok(DataTable::from_parts(columns.to_vec(), rows))
            }
            Op::Project(items) => self.project(items, input),
            Op::Extend(items) => self.extend(items, input.clone()),
            Op::ProjectAway(patterns) => ops::project_away(patterns, input),
            Op::Join {
                kind,
                right,
                on,
                pos,
            } => {
                let right = self.tabular(right)?;
                ops::join(*kind, input, &right, on, *pos)
            }
            Op::Union { inputs, pos } => {
                let more = inputs
                    .iter()
                    .map(|t| self.tabular(t))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut refs: Vec<&DataTable> = vec![input];
                refs.extend(more.iter().map(|t| &**t));
                ops::union(&refs, *pos)
            }
            Op::Distinct(cols) => ops::distinct(cols.as_deref(), input),
            Op::Sort(keys) => {
                let bound = keys
                    .iter()
                    .map(|k| bind(&k.expr, columns, self))
                    .collect::<Result<Vec<_>, _>>()?;
                ops::sort(keys, &bound, input)
            }
            Op::Take(e) => {
                let n = match bind(e, &[], self)?.eval(&[])? {
                    Value::Long(n) if n >= 0 => usize::try_from(n).unwrap_or(usize::MAX),
                    _ => {
                        return Err(Error::semantic(
                            e.pos,
                            "take / limit needs a constant, non-negative long",
                        ))
                    }
                };
                let rows = input.rows().iter().take(n).cloned().collect();
                Ok(DataTable::from_parts(columns.to_vec(), rows))
            }
            Op::Summarize { count, by } => {
                let bound = by
                    .iter()
                    .map(|n| bind(&n.expr, columns, self))
                    .collect::<Result<Vec<_>, _>>()?;
                ops::summarize(count.as_deref(), by, &bound, input)
            }
        }
    }

    fn project(&self, items: &[NamedExpr], input: &DataTable) -> Result<DataTable, Error> {
        let bound = items
            .iter()
            .map(|n| bind(&n.expr, input.columns(), self))
            .collect::<Result<Vec<_>, _>>()?;
        ops::unique_names(items)?;
        let mut rows = Vec::with_capacity(input.len());
        for r in input.rows() {
            rows.push(
                bound
                    .iter()
                    .map(|b| b.eval(r))
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        let columns = items
            .iter()
            .zip(&bound)
            .enumerate()
            .map(|(i, (n, b))| {
                let ty = column_type(b, input.columns(), rows.iter().map(|r| r[i].ty()));
                Column::new(&n.name, ty)
            })
            .collect();
        Ok(DataTable::from_parts(columns, rows))
    }

    /// `extend`: each item sees the columns made by the items before it; a name
    /// that exists already is removed and appended anew (as Kusto documents).
    fn extend(&self, items: &[NamedExpr], input: DataTable) -> Result<DataTable, Error> {
        let (mut columns, mut rows) = input.into_parts();
        for item in items {
            let b = bind(&item.expr, &columns, self)?;
            let values = rows
                .iter()
                .map(|r| b.eval(r))
                .collect::<Result<Vec<_>, _>>()?;
            let ty = column_type(&b, &columns, values.iter().map(Value::ty));
            if let Some(k) = columns.iter().position(|c| c.name == item.name) {
                columns.remove(k);
                for r in &mut rows {
                    r.remove(k);
                }
            }
            columns.push(Column::new(&item.name, ty));
            for (r, v) in rows.iter_mut().zip(values) {
                r.push(v);
            }
        }
        Ok(DataTable::from_parts(columns, rows))
    }
}
