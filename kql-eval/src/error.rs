//! Errors of the local KQL evaluator. Every error about the query names the line
//! and column it concerns; nothing the evaluator does panics on a bad query or row.

use std::fmt;

/// A position in the query text: line and column, both counted from 1 (columns
/// count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1, in characters.
    pub column: u32,
}

impl Pos {
    /// Line 1, column 1.
    pub const START: Pos = Pos { line: 1, column: 1 };
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// What went wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The text is not KQL as the evaluator reads it.
    #[error("{pos}: syntax error: {message}")]
    Syntax {
        /// Where.
        pos: Pos,
        /// What was expected or found.
        message: String,
    },
    /// Valid KQL (or a Kusto construct) that the evaluator does not implement.
    #[error("{pos}: `{construct}` is not supported by the local KQL evaluator{hint}")]
    Unsupported {
        /// Where the construct starts.
        pos: Pos,
        /// The construct, as written (`mv-expand`, `ago()`, `join kind=rightouter`).
        construct: String,
        /// Empty, or `: ` and advice.
        hint: String,
    },
    /// Brackets, parentheses or function calls nested deeper than the evaluator allows.
    #[error("{pos}: nested deeper than {limit} levels")]
    TooDeep {
        /// Where the limit was passed.
        pos: Pos,
        /// The limit.
        limit: usize,
    },
    /// A name, type or value problem found while running the query: an unknown
    /// table or column, values Kusto would not compare, a bad regular expression.
    #[error("{pos}: {message}")]
    Semantic {
        /// Where in the query.
        pos: Pos,
        /// What.
        message: String,
    },
    /// A table handed in by the caller is malformed (rows of the wrong width,
    /// duplicate column names).
    #[error("invalid table: {0}")]
    InvalidTable(String),
}

impl Error {
    /// The position in the query, if the error has one.
    pub fn pos(&self) -> Option<Pos> {
        match self {
            Error::Syntax { pos, .. }
            | Error::Unsupported { pos, .. }
            | Error::TooDeep { pos, .. }
            | Error::Semantic { pos, .. } => Some(*pos),
            Error::InvalidTable(_) => None,
        }
    }

    /// A syntax error.
    pub fn syntax(pos: Pos, message: impl Into<String>) -> Self {
        Error::Syntax {
            pos,
            message: message.into(),
        }
    }

    /// An unsupported construct, without advice.
    pub fn unsupported(pos: Pos, construct: impl Into<String>) -> Self {
        Self::unsupported_because(pos, construct, "")
    }

    /// An unsupported construct, with advice (empty for none).
    pub fn unsupported_because(
        pos: Pos,
        construct: impl Into<String>,
        hint: impl AsRef<str>,
    ) -> Self {
        let hint = hint.as_ref();
        Error::Unsupported {
            pos,
            construct: construct.into(),
            hint: if hint.is_empty() {
                String::new()
            } else {
                format!(": {hint}")
            },
        }
    }

    /// A semantic error.
    pub fn semantic(pos: Pos, message: impl Into<String>) -> Self {
        Error::Semantic {
            pos,
            message: message.into(),
        }
    }
}
