//! Reading one column of a row as the field mapping needs it (text, an id, an
//! integer), and why a row could not be read.

use crate::row::{Cell, Columns};

/// Why a row could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowError {
    /// The line is JSON, but not a JSON object.
    #[error("not a JSON object: {0}")]
    NotAnObject(String),
    /// The line is not valid JSON.
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// A column the mapping reads has the wrong JSON type.
    #[error("field `{field}`: expected {expected}, found {found}")]
    WrongType {
        /// The column.
        field: String,
        /// What the mapping expects.
        expected: &'static str,
        /// What the row holds.
        found: &'static str,
    },
    /// A column the row's shape needs is absent.
    #[error("field `{field}` is missing (needed for a {shape} row)")]
    Missing {
        /// The column.
        field: &'static str,
        /// The shape the row was read as.
        shape: &'static str,
    },
    /// The row matches no known shape.
    #[error("unknown row shape: no `Name` (DnsEvents), `QueryName` or `EventID` (Sysmon), `ActionType` (Defender) or `DnsQuery` (ASIM) field")]
    UnknownShape,
    /// `Type` names a table this mapping does not read.
    #[error("field `Type`: unsupported table `{0}`")]
    UnsupportedTable(String),
}

pub(crate) fn text<C: Columns + ?Sized>(row: &C, key: &str) -> Result<Option<String>, RowError> {
    Ok(str_of(row, key)?.map(str::to_owned))
}

/// [`text`], borrowed from the row (for columns only looked at).
pub(crate) fn str_of<'r, C: Columns + ?Sized>(
    row: &'r C,
    key: &str,
) -> Result<Option<&'r str>, RowError> {
    str_cell(row.cell(key), key)
}

/// Column `key`'s cell, already looked up, as [`str_of`] reads it.
pub(crate) fn str_cell<'r>(cell: Cell<'r>, key: &str) -> Result<Option<&'r str>, RowError> {
    match cell {
        Cell::Absent | Cell::Null => Ok(None),
        Cell::Str(s) => Ok(Some(s)),
        other => Err(RowError::WrongType {
            field: key.to_owned(),
            expected: "a string",
            found: other.type_name(),
        }),
    }
}

/// A column that exports write as a string or a number (ids): read as text.
pub(crate) fn id_text<C: Columns + ?Sized>(row: &C, key: &str) -> Result<Option<String>, RowError> {
    match row.cell(key) {
        Cell::Number(n) => Ok(Some(n.to_string())),
        other => Ok(str_cell(other, key)?.map(str::to_owned)),
    }
}

/// The first of `keys` that the row has (as text).
pub(crate) fn text_any<C: Columns + ?Sized>(
    row: &C,
    keys: &[&str],
) -> Result<Option<String>, RowError> {
    Ok(str_any(row, keys)?.map(str::to_owned))
}

/// [`text_any`], borrowed from the row.
pub(crate) fn str_any<'r, C: Columns + ?Sized>(
    row: &'r C,
    keys: &[&str],
) -> Result<Option<&'r str>, RowError> {
    for k in keys {
        if let Some(v) = str_of(row, k)? {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// A number or a string of digits (exports write event ids both ways). A whole
/// number written as a double (`22.0`: Log Analytics' `_d` columns are doubles)
/// is that integer.
pub(crate) fn integer<C: Columns + ?Sized>(row: &C, key: &str) -> Result<Option<i64>, RowError> {
    let cell = row.cell(key);
    let wrong = || RowError::WrongType {
        field: key.to_owned(),
        expected: "an integer",
        found: cell.type_name(),
    };
    match cell {
        Cell::Absent | Cell::Null => Ok(None),
        Cell::Number(n) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            })
            .map(Some)
            .ok_or_else(wrong),
        Cell::Str(s) => s.trim().parse().map(Some).map_err(|_| wrong()),
        _ => Err(wrong()),
    }
}
