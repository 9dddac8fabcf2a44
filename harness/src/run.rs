//! The main job, as a library call: simulate the scenarios, score every row.

use detections::Detection;
use simulator::Scenario;

use crate::report::Report;
use crate::score::{score, RunParams};

/// How to run the library.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunOptions {
    /// Simulator seed.
    pub seed: u64,
    /// Simulator scale.
    pub scale: f64,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            seed: 0,
            scale: 1.0,
        }
    }
}

/// Simulate every scenario (merged in time order) and score the result.
pub fn run_library(
    det: &Detection,
    scenarios: &[Scenario],
    opts: &RunOptions,
    progress: &mut dyn FnMut(u64),
) -> Report {
    let sim = simulator::Options {
        seed: opts.seed,
        scale: opts.scale,
        ..simulator::Options::default()
    };
    let records = simulator::generate_all(scenarios, &sim);
    score(
        det,
        scenarios,
        records,
        RunParams {
            seed: opts.seed,
            scale: opts.scale,
        },
        progress,
    )
}
