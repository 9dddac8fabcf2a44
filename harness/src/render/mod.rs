//! Renderers: the report as terminal text, JSON, Markdown and HTML. The tables
//! are built once ([`tables`], on the model in [`table`]) and drawn by each.

pub mod compare;
pub mod html;
pub mod json;
pub mod markdown;
pub mod seeds;
pub mod table;
pub mod tables;
pub mod terminal;
#[cfg(test)]
pub(crate) mod test_report;
pub mod verdict;
