//! The built-in scenario library: every file in `scenarios/`, embedded so the
//! binary works with no files around. A test checks this list matches the folder.

use crate::scenario::{Scenario, ScenarioError};

/// (file name, TOML text) of every built-in scenario, sorted by file name.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "adversarial-backup-path.toml",
        include_str!("../../scenarios/adversarial-backup-path.toml"),
    ),
    (
        "adversarial-backup-schtasks.toml",
        include_str!("../../scenarios/adversarial-backup-schtasks.toml"),
    ),
    (
        "adversarial-clearcache.toml",
        include_str!("../../scenarios/adversarial-clearcache.toml"),
    ),
    (
        "adversarial-msi-update-package.toml",
        include_str!("../../scenarios/adversarial-msi-update-package.toml"),
    ),
    (
        "adversarial-netdiag-decoy.toml",
        include_str!("../../scenarios/adversarial-netdiag-decoy.toml"),
    ),
    (
        "adversarial-renamed-studio.toml",
        include_str!("../../scenarios/adversarial-renamed-studio.toml"),
    ),
    (
        "background-enterprise.toml",
        include_str!("../../scenarios/background-enterprise.toml"),
    ),
    (
        "background-has-collisions.toml",
        include_str!("../../scenarios/background-has-collisions.toml"),
    ),
    (
        "background-lookalikes.toml",
        include_str!("../../scenarios/background-lookalikes.toml"),
    ),
    (
        "benign-backup-job.toml",
        include_str!("../../scenarios/benign-backup-job.toml"),
    ),
    (
        "benign-log-cleanup.toml",
        include_str!("../../scenarios/benign-log-cleanup.toml"),
    ),
    (
        "benign-name-collision.toml",
        include_str!("../../scenarios/benign-name-collision.toml"),
    ),
    (
        "benign-network-diagnostics.toml",
        include_str!("../../scenarios/benign-network-diagnostics.toml"),
    ),
    (
        "benign-software-update.toml",
        include_str!("../../scenarios/benign-software-update.toml"),
    ),
    (
        "nanocore-invoice-regsvcs.toml",
        include_str!("../../scenarios/nanocore-invoice-regsvcs.toml"),
    ),
    (
        "nanocore-powershell-mixed.toml",
        include_str!("../../scenarios/nanocore-powershell-mixed.toml"),
    ),
    (
        "nanocore-vbs-regasm.toml",
        include_str!("../../scenarios/nanocore-vbs-regasm.toml"),
    ),
];

/// Parse every built-in scenario (origin `scenarios/<file>`).
pub fn builtin() -> Result<Vec<Scenario>, ScenarioError> {
    BUILTIN
        .iter()
        .map(|(file, src)| Scenario::parse(src, &format!("scenarios/{file}")))
        .collect()
}
