//! `--max-line`, `--max-depth`, `--max-field`: the limits on one row that
//! `scan` and `explain` share (docs/security.md). A row past one is rejected,
//! with its line and the limit, and counted; reading goes on.

use crate::formats::{MAX_DEPTH, MAX_FIELD};
use crate::input::MAX_LINE;

/// The limits on one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct Limits {
    /// The longest line (or CSV record) read, in bytes; a longer one is read
    /// through without being kept, and rejected.
    #[arg(long, value_name = "BYTES", default_value_t = MAX_LINE)]
    pub max_line: usize,
    /// How deep a JSON line may nest (objects and arrays; at most 128 take
    /// effect, the JSON parser's own bound).
    #[arg(long, value_name = "LEVELS", default_value_t = MAX_DEPTH)]
    pub max_depth: usize,
    /// The longest field (a JSON string, a CSV or EVTX cell), in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = MAX_FIELD)]
    pub max_field: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_line: MAX_LINE,
            max_depth: MAX_DEPTH,
            max_field: MAX_FIELD,
        }
    }
}
