//! A scenario file's problems.

use std::fmt;

/// One problem in a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line, when the scenario was read from text.
    pub line: Option<usize>,
    /// The field at fault (`generator.hosts`, `generator.c2_hosts[0]`), when the
    /// problem is with one field.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in one scenario file (or, from `lint`, one
/// problem of a library). Shown one problem a line, each after the file's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ScenarioError {
    /// The file (as the caller named it).
    pub origin: String,
    /// Every problem, in the order of their lines.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{}: {p}", self.origin)?;
        }
        Ok(())
    }
}
