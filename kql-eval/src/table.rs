//! Tables handed to and returned by the evaluator: named, typed columns in order,
//! and rows of values.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value as Json};

use super::error::Error;
use super::value::{parse_datetime, Type, Value};

/// A column: its name and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The name (case-sensitive, as in Kusto).
    pub name: String,
    /// The type.
    pub ty: Type,
}

impl Column {
    /// A column.
    pub fn new(name: impl Into<String>, ty: Type) -> Self {
        Self {
            name: name.into(),
            ty,
        }
    }
}

/// A table: columns in order and rows, each row one value per column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataTable {
    columns: Vec<Column>,
    rows: Vec<Vec<Value>>,
}

/// The tables a query can name, by name (a watchlist under its alias).
pub type Tables = BTreeMap<String, DataTable>;

impl DataTable {
    /// A table of these columns and rows; every row must have one value per
    /// column, and column names must be unique.
    pub fn new(columns: Vec<Column>, rows: Vec<Vec<Value>>) -> Result<Self, Error> {
        let mut seen = HashMap::new();
        for c in &columns {
            if seen.insert(c.name.as_str(), ()).is_some() {
                return Err(Error::InvalidTable(format!(
                    "column `{}` appears twice",
                    c.name
                )));
            }
        }
        if let Some((i, r)) = rows
            .iter()
            .enumerate()
            .find(|(_, r)| r.len() != columns.len())
        {
            return Err(Error::InvalidTable(format!(
                "row {} has {} values for {} columns",
                i + 1,
                r.len(),
                columns.len()
            )));
        }
        Ok(Self { columns, rows })
    }

    /// A table built inside the evaluator, whose shape is already right.
    pub(crate) fn from_parts(columns: Vec<Column>, rows: Vec<Vec<Value>>) -> Self {
        debug_assert!(rows.iter().all(|r| r.len() == columns.len()));
        Self { columns, rows }
    }

    /// A table from JSON objects (JSON Lines rows), as an ingestion would type it.
    ///
    /// Columns are the keys in order of first appearance. A column's type is the
    /// type of its non-null values: `bool`, `long`, `real` (longs and reals
    /// mixed), `string`, `datetime` (every value a string of the form
    /// `YYYY-MM-DDTHH:MM:SS[.fffffff]Z`), `dynamic` (arrays, objects, or values of
    /// different types), or unknown when every value is null or absent. Absent
    /// and null cells of a string column read as `""`, others as null.
    pub fn from_json_rows(rows: &[Map<String, Json>]) -> DataTable {
        Self::from_json_cells(rows, |r| r.iter().map(|(k, v)| (k.as_str(), v)))
    }

    /// [`DataTable::from_json_rows`] over rows of any shape, each read as
    /// its (column, value) cells by `cells` (a column at most once a row):
    /// no JSON object is built for a row that is not one.
    pub fn from_json_cells<'r, R, I>(rows: &'r [R], cells: impl Fn(&'r R) -> I) -> DataTable
    where
        I: Iterator<Item = (&'r str, &'r Json)>,
    {
        // Looked up for every cell of every row: foldhash, seeded per process
        // (the rows may be anyone's; nothing is listed in the map's order).
        let mut index: HashMap<&str, usize, foldhash::fast::RandomState> = HashMap::default();
        let mut columns: Vec<Column> = Vec::new();
        let mut all_datetimes: Vec<bool> = Vec::new();
        for row in rows {
            for (name, v) in cells(row) {
                let i = *index.entry(name).or_insert_with(|| {
                    columns.push(Column::new(name.to_owned(), Type::Unknown));
                    all_datetimes.push(true);
                    columns.len() - 1
                });
                let ty = json_type(v);
                if let Json::String(s) = v {
                    all_datetimes[i] = all_datetimes[i] && parse_datetime(s, true).is_some();
                }
                columns[i].ty = columns[i].ty.merge(ty);
            }
        }
        for (c, dt) in columns.iter_mut().zip(all_datetimes) {
            if c.ty == Type::String && dt {
                c.ty = Type::DateTime;
            }
        }
        let mut found: Vec<Option<&Json>> = vec![None; columns.len()];
        let rows = rows
            .iter()
            .map(|row| {
                found.iter_mut().for_each(|f| *f = None);
                for (name, v) in cells(row) {
                    if let Some(&i) = index.get(name) {
                        found[i] = Some(v);
                    }
                }
                columns
                    .iter()
                    .zip(&found)
                    .map(|(c, &cell)| {
                        Value::from_json(cell, c.ty)
                            .or_else(|| cell.map(|j| Value::dynamic(j.clone())))
                            .unwrap_or(Value::Null)
                    })
                    .collect()
            })
            .collect();
        DataTable { columns, rows }
    }

    /// The columns, in order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The column names, in order.
    pub fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    /// The rows.
    pub fn rows(&self) -> &[Vec<Value>] {
        &self.rows
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The index of the column named `name`.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The rows as JSON objects whose keys are in column order.
    pub fn to_json_rows(&self) -> Vec<Map<String, Json>> {
        self.rows
            .iter()
            .map(|r| {
                self.columns
                    .iter()
                    .zip(r)
                    .map(|(c, v)| (c.name.clone(), v.to_json()))
                    .collect()
            })
            .collect()
    }

    /// Take the columns and rows apart.
    pub fn into_parts(self) -> (Vec<Column>, Vec<Vec<Value>>) {
        (self.columns, self.rows)
    }
}

fn json_type(v: &Json) -> Type {
    match v {
        Json::Null => Type::Unknown,
        Json::Bool(_) => Type::Bool,
        Json::Number(n) if n.is_i64() => Type::Long,
        Json::Number(_) => Type::Real,
        Json::String(_) => Type::String,
        Json::Array(_) | Json::Object(_) => Type::Dynamic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows(v: Json) -> Vec<Map<String, Json>> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_object().unwrap().clone())
            .collect()
    }

    #[test]
    fn json_rows_are_typed_like_an_ingestion() {
        let t = DataTable::from_json_rows(&rows(json!([
            {"T": "2026-05-21T00:00:00.000Z", "N": 1, "S": "a", "X": [1], "M": 1, "Z": null},
            {"T": "2026-05-21T00:00:01Z", "N": 2, "M": "b", "B": true},
        ])));
        let types: Vec<(&str, Type)> = t
            .columns()
            .iter()
            .map(|c| (c.name.as_str(), c.ty))
            .collect();
        assert_eq!(
            types,
            [
                ("T", Type::DateTime),
                ("N", Type::Long),
                ("S", Type::String),
                ("X", Type::Dynamic),
                ("M", Type::Dynamic),
                ("Z", Type::Unknown),
                ("B", Type::Bool),
            ]
        );
        // An absent string is "", an absent bool is null.
        assert_eq!(t.rows()[1][2], Value::str(""));
        assert_eq!(t.rows()[0][6], Value::Null);
        assert_eq!(t.rows()[1][4], Value::dynamic(json!("b")));
    }

    #[test]
    fn rows_read_as_cells_make_the_table_their_objects_make() {
        let objects = rows(json!([
            {"T": "2026-05-21T00:00:00.000Z", "N": 1, "S": "a", "X": [1], "M": 1, "Z": null},
            {"B": true, "T": "2026-05-21T00:00:01Z", "M": "b", "N": 2.5},
            {},
        ]));
        // The same rows as (column, value) lists in another shape.
        let lists: Vec<Vec<(String, Json)>> = objects
            .iter()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .collect();
        let cells = DataTable::from_json_cells(&lists, |r| r.iter().map(|(k, v)| (k.as_str(), v)));
        assert_eq!(cells, DataTable::from_json_rows(&objects));
        assert_eq!(cells.rows().len(), 3);
    }

    #[test]
    fn new_checks_the_shape() {
        let c = vec![Column::new("A", Type::Long)];
        assert!(DataTable::new(c.clone(), vec![vec![]]).is_err());
        assert!(DataTable::new(vec![c[0].clone(), c[0].clone()], vec![]).is_err());
        assert!(DataTable::new(c, vec![vec![Value::Long(1)]]).is_ok());
    }
}
