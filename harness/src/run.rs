//! The main job, as a library call: simulate the scenarios, score every row.

use detections::Detection;
use simulator::Scenario;

use crate::report::Report;
use crate::score::score;

/// How to run the library: the simulator's own options (seed and scale, checked
/// when they are set), under the name the harness has always used.
pub use simulator::Options as RunOptions;

/// Simulate every scenario (merged in time order) and score the result.
pub fn run_library(
    det: &Detection,
    scenarios: &[Scenario],
    opts: &RunOptions,
    progress: &mut dyn FnMut(u64),
) -> Report {
    let records = simulator::generate_all(scenarios, opts);
    score(det, scenarios, records, *opts, progress)
}
