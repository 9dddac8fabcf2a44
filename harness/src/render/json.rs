//! The report as `report.json`: the [`Report`] structure, pretty-printed, keys in
//! declaration order. The schema is documented in `docs/report-schema.md`.

use crate::report::Report;

/// Render the report as JSON text (with a final newline).
pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report)
        // A Report holds only strings, integers, finite floats and options.
        .expect("a report always serialises");
    s.push('\n');
    s
}
