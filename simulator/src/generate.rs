//! The entry points: a scenario (or a library of them) and run options in, a lazy
//! time-ordered stream of records out.

use crate::options::Options;
use crate::record::Record;
use crate::scenario::Scenario;
use crate::stream;
use crate::templates;

/// One scenario's telemetry: a lazy stream in time order (ties: host order, then
/// the order a host's activity wrote them). Memory holds one pending episode per
/// host, never the whole stream.
pub fn generate(scenario: &Scenario, opts: &Options) -> impl Iterator<Item = Record> + Send {
    let plan = templates::Plan::new(scenario, opts);
    // A forwarder's reports first: on a tie its address is known before a
    // lookup it forwards.
    let streams = templates::forwarder(&plan)
        .into_iter()
        .chain((0..scenario.generator.hosts).map(|i| templates::activity(&plan, i)))
        .map(stream::Sorted::new)
        .collect();
    stream::Merge::new(streams)
}

/// Every scenario's telemetry merged in time order (ties: scenario order).
pub fn generate_all(scenarios: &[Scenario], opts: &Options) -> impl Iterator<Item = Record> + Send {
    stream::Merge::new(scenarios.iter().map(|s| generate(s, opts)).collect())
}

/// [`generate_all`], each record with the number of its scenario in
/// `scenarios`: the same records in the same order.
pub fn generate_all_indexed(
    scenarios: &[Scenario],
    opts: &Options,
) -> impl Iterator<Item = (usize, Record)> + Send {
    stream::Indexed(stream::Merge::new(
        scenarios.iter().map(|s| generate(s, opts)).collect(),
    ))
}

/// Every name the `background-dns` template's enterprise vocabulary can look up.
pub fn background_vocabulary() -> impl Iterator<Item = &'static str> {
    templates::vocabulary()
}
