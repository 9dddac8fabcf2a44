//! Renderers: the report as terminal text, JSON, Markdown and HTML.

pub mod html;
pub mod json;
pub mod markdown;
pub mod terminal;
