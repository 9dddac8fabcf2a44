//! `--gates FILE` and `--junit FILE`, shared by `report` and `compare`: read the
//! gates, check them, name each failure on standard error, write JUnit XML.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::gates::{check, Check, Gates};
use crate::report::Report;

/// A gates file, read, with its path for messages.
#[derive(Debug)]
pub struct GatesFile {
    path: PathBuf,
    gates: Gates,
}

impl GatesFile {
    /// Read and parse `--gates FILE` (before anything runs, so a bad file fails
    /// fast): an unknown key is an error naming the file and the line.
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let src = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read gates file {}", path.display()))?;
        let gates = Gates::parse(&src)
            .map_err(|e| anyhow::anyhow!("gates file {}:\n{e}", path.display()))?;
        Ok(GatesFile {
            path: path.to_owned(),
            gates,
        })
    }

    /// The gates.
    pub fn gates(&self) -> &Gates {
        &self.gates
    }

    /// Check the gates on `report`; an id the report does not have is an error
    /// naming the file and the line.
    pub fn check(&self, report: &Report) -> anyhow::Result<Vec<Check>> {
        self.gates
            .check_ids(report)
            .map_err(|e| anyhow::anyhow!("gates file {}:\n{e}", self.path.display()))?;
        Ok(check(report, &self.gates)
            .iter()
            .map(|g| g.to_check())
            .collect())
    }
}

/// Read `--gates`, if given.
pub fn read(path: Option<&Path>) -> anyhow::Result<Option<GatesFile>> {
    path.map(GatesFile::read).transpose()
}

/// Name each failed check on standard error (`huntlab: gate failed: NAME:
/// MESSAGE`); true when any failed.
pub fn say_failed(what: &str, checks: &[Check]) -> bool {
    let mut any = false;
    for c in checks.iter().filter(|c| !c.passed) {
        crate::note!(
            "huntlab: {what} failed: {}: {}",
            crate::escape::terminal(&c.name),
            crate::escape::terminal(&c.message)
        );
        any = true;
    }
    any
}

/// `gates: 7 passed, 1 failed`.
pub fn tally(what: &str, checks: &[Check]) -> String {
    let failed = checks.iter().filter(|c| !c.passed).count();
    format!("{what}: {} passed, {failed} failed", checks.len() - failed)
}

/// Write `--junit FILE`: one test case per scenario of `report`, and per check
/// in each named list.
pub fn write_junit(
    path: &Path,
    report: &Report,
    checks: &[(&str, &[Check])],
) -> anyhow::Result<()> {
    let suites = crate::junit::suites(report, checks);
    let title = format!("huntlab: {}", report.detection.id);
    std::fs::write(path, crate::junit::render(&title, &suites))
        .with_context(|| format!("cannot write {}", path.display()))
}
