//! The report as one self-contained HTML page (`report.html`): no scripts, no
//! external styles, fonts or images; the charts are inline SVG. The page is
//! built with `maud` templates, which escape every value spliced into text or
//! an attribute, inside the SVG too; strings that came from telemetry or a
//! scenario file go in as [`crate::escape::Html`], which also makes control
//! characters visible.
//!
//! The output is deterministic: the same report gives the same bytes (report
//! order is kept, coordinates and ratios are printed with fixed precision, and
//! nothing depends on the clock).
//!
//! `page` lays out the page, `table` draws the shared report tables
//! ([`super::tables`]), `charts` the SVG charts, `format` the numbers.

mod charts;
mod format;
mod page;
mod summary;
mod table;
#[cfg(test)]
mod tests;

pub use page::{render, render_with};
