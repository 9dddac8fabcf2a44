//! Every telemetry source huntlab reads or will read, described once: its
//! table names (and their custom `_CL` forms), how a row is recognised as
//! its own, which column carries which normalised field, its documented
//! column list, and what its sensor can and cannot see.
//!
//! The detection's field mapping, its read-column list, its table names and
//! its exports read these descriptions; the simulator's schema test reads the
//! documented lists embedded here; `docs/fields.md` is generated from them
//! ([`fields_md`]). Nothing here reads files or knows the detection.

mod catalogue;
mod columns;
mod content;
mod doc;
mod schema;
mod spec;
mod table;

pub use catalogue::*;
pub use columns::READ_COLUMNS;
pub use content::{ContentField, CONTENT_FIELDS};
pub use doc::{describe, fields_md, REGENERATE};
pub use schema::{
    envelope, names as schema_names, schema_text, second_comment, SCHEMA_FILES, STANDARD_COLUMNS,
};
pub use spec::{
    cols, column_in, columns_in, find, inside_in, path_in, FieldRead, NormField, Read, Recognise,
    SourceSpec, Use,
};
pub use table::{base_name, table_names, table_of, TableName};
