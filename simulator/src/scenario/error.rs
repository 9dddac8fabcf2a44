//! A scenario file's problems.

/// A scenario file's problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// Not valid TOML, or not the scenario schema.
    #[error("{origin}: line {line}: {message}")]
    Parse {
        /// The file.
        origin: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Valid TOML with a value that is not allowed.
    #[error("{origin}: field `{field}`: {message}")]
    Invalid {
        /// The file.
        origin: String,
        /// The field.
        field: String,
        /// What is wrong.
        message: String,
    },
}
