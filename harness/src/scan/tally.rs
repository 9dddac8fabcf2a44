//! The counts of one reading loop: the one tally `scan`, `explain` and
//! `report` print their row accounting from.

use std::collections::BTreeMap;

use super::sink::RejectedRow;

/// Counts over a run of the loop. Rows read = rows scored + rows rejected;
/// blank lines and unused space are counted apart.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Rows read (every item but blank lines and unused space).
    pub rows_read: u64,
    /// Rows judged.
    pub rows_scored: u64,
    /// Rows that could not be read or mapped.
    pub rows_rejected: u64,
    /// Blank lines.
    pub blank: u64,
    /// Unused space read (an EVTX log's preallocated chunks after its last
    /// record): not rows; each named.
    pub unused: Vec<RejectedRow>,
    /// Judged rows by source name.
    pub by_source: BTreeMap<&'static str, u64>,
    /// Rows where an alert stands.
    pub alerts: u64,
    /// Rows a hunt fired on that an exclusion suppressed.
    pub suppressed: u64,
    /// Rows no hunt fired on.
    pub quiet: u64,
    /// Fired Sysmon DNS or file rows never joined to their process creation.
    pub unjoined: u64,
    /// Of those, the rows that carry no `ProcessGuid` (they cannot be joined).
    pub no_process_key: u64,
    /// Rows of tables no hunt reads that carry a column hunts read.
    pub unread: u64,
    /// Rejected rows (too long to read) whose bytes hold an indicator of the
    /// content: possible misses, counted within `rows_rejected`.
    pub possible_misses: u64,
    /// The first rejected rows.
    pub rejected: Vec<RejectedRow>,
}
