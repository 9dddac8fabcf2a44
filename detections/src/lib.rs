//! The NanoCore detection content and its engine.
//!
//! * [`kql`]: Kusto string operators with Kusto's semantics.
//! * [`matcher`]: `has_any` (reference and fast) and the strict domain matchers.
//! * [`ioc`]: indicators and domain normalisation.
//! * [`key_index`]: items found by a string key without copying it (feed domains).
//! * [`spec`] / [`content`]: the content file's specification types, compiled into
//!   a ready [`content::Detection`] that gives [`content::Verdict`]s.
//! * [`event`] / [`fields`]: the normalised event and the mapping from telemetry rows.
//! * [`enrich`]: the Sysmon process join (event 22/11 rows get their process's
//!   command line and parent from event 1).
//!
//! No file or network I/O happens here: callers hand in text and rows.

mod cells;
pub mod content;
pub mod enrich;
pub mod event;
pub mod export;
pub mod feed;
pub mod fields;
pub mod history;
pub mod import;
pub mod ioc;
pub mod key_index;
pub mod kql;
pub mod learn;
pub mod matcher;
mod net_row;
pub mod pipeline;
pub mod ranges;
pub mod row;
pub mod spec;

pub use content::{builtin, load, Decision, Detection, Engine, LoadError, Outcome, Verdict};
pub use event::{Event, Field, Kind, Learned, Source, Subject};
