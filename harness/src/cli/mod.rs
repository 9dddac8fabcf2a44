//! One module per subcommand: its arguments (clap) and its `run`.
//! These are the only places that print, read files or write files.

pub mod explain;
pub mod iocs;
pub mod report;
pub mod scenario_files;
pub mod scenarios;
pub mod simulate;

/// The largest `--scale` accepted: past it a run takes hours and its output
/// gigabytes (memory stays flat up to it; see docs/benchmarks.md).
pub const MAX_SCALE: f64 = 1000.0;

/// Check a `--scale` value.
pub fn check_scale(scale: f64) -> anyhow::Result<()> {
    if !(scale.is_finite() && scale > 0.0) {
        anyhow::bail!("--scale must be a positive number, got {scale}");
    }
    if scale > MAX_SCALE {
        anyhow::bail!("--scale must be at most {MAX_SCALE}, got {scale}");
    }
    Ok(())
}
