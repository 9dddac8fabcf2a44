//! The built-in scenario library: every file in `scenarios/`, embedded so the
//! binary works with no files around. `build.rs` lists the folder; a test checks
//! the list matches it.

use crate::scenario::{Scenario, ScenarioError};

/// (file name, TOML text) of every built-in scenario, sorted by file name.
pub const BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// Parse every built-in scenario (origin `scenarios/<file>`).
pub fn builtin() -> Result<Vec<Scenario>, ScenarioError> {
    BUILTIN
        .iter()
        .map(|(file, src)| Scenario::parse(src, &format!("scenarios/{file}")))
        .collect()
}
