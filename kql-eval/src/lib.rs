//! A local evaluator of the KQL subset huntlab's exported queries use, so an
//! exported query can be run over JSON Lines tables and its rows compared with
//! the engine's alerts (`huntlab kql run`, the report's deployed forms, the
//! export parity tests). The subset is documented in `docs/kql-evaluator.md`.
//!
//! The string operators (`has`, `contains`, ...) are not here: the evaluator
//! calls `detections::kql`, the one place their term rule is decided, so a
//! query and the engine cannot disagree on what `has` means.
//!
//! * [`lexer`], [`parser`] (with [`parse_expr`] and [`parse_ops`]) into the
//!   [`ast`]; [`bind`] resolves names and types;
//! * [`eval`] runs a query over [`table`]s of [`value`]s, with the tabular
//!   operators in [`ops`] and the scalar functions in [`functions`];
//! * every mistake is an [`error::Error`] naming its line and column.
//!
//! No I/O: callers hand in the query text and the tables.

pub mod ast;
pub mod bind;
pub mod error;
pub mod eval;
pub mod functions;
pub mod lexer;
pub mod ops;
pub mod parse_expr;
pub mod parse_ops;
pub mod parser;
pub mod table;
pub mod value;
