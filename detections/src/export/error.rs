//! Why a content cannot be exported in a format.

use thiserror::Error;

/// Why a content cannot be exported in a format.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExportError {
    /// No hunt of the content has a form in this format.
    #[error("no hunt of content `{content}` has a {format} form: {why}")]
    Nothing {
        /// The content's id.
        content: String,
        /// The format's name.
        format: &'static str,
        /// Why.
        why: String,
    },
    /// A Sentinel rule whose query is over Sentinel's limit even with its
    /// domain lists read from watchlists.
    #[error("Sentinel rule {rule}: its query is {chars} characters even with its domain lists read from watchlists, over Sentinel's {max}; it is not written (the other indicator kinds are written inline: hunt fewer of them in one content)")]
    QueryTooLong {
        /// The rule's file name.
        rule: String,
        /// The query's length in characters.
        chars: usize,
        /// The limit.
        max: usize,
    },
}
