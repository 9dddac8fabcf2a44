//! The counts of one reading loop: the one tally `scan`, `explain` and
//! `report` print their row accounting from.

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
    pub by_source: SourceCounts,
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

/// Judged rows by source name: the few names a run meets, each counted where
/// it was first met; the name counted last is tried first (an export's rows
/// come in runs of one source), by its address before its bytes.
#[derive(Debug, Default, Clone)]
pub struct SourceCounts {
    counts: Vec<(&'static str, u64)>,
    last: usize,
}

impl SourceCounts {
    /// Count one row of source `name`.
    pub fn add(&mut self, name: &'static str) {
        let same = |k: &str| std::ptr::eq(k, name) || k == name;
        if let Some((k, n)) = self.counts.get_mut(self.last) {
            if same(k) {
                *n += 1;
                return;
            }
        }
        match self.counts.iter().position(|(k, _)| same(k)) {
            Some(i) => {
                self.counts[i].1 += 1;
                self.last = i;
            }
            None => {
                self.last = self.counts.len();
                self.counts.push((name, 1));
            }
        }
    }

    /// Each source met and its rows, in the order of the names.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u64)> {
        let mut sorted = self.counts.clone();
        sorted.sort_unstable();
        sorted.into_iter()
    }

    /// Whether no row was counted.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

impl PartialEq for SourceCounts {
    /// The same sources with the same counts, in whatever order met.
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for SourceCounts {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_counted_whatever_their_order_and_read_by_name() {
        let mut runs = SourceCounts::default();
        let mut mixed = SourceCounts::default();
        // The same names at other addresses count as the same sources.
        let (b, a) = (String::from("B"), String::from("A"));
        let (b, a): (&'static str, &'static str) = (b.leak(), a.leak());
        for name in ["B", "B", "A", "C", "A", "A"] {
            runs.add(name);
        }
        for name in ["A", b, "C", a, "B", "A"] {
            mixed.add(name);
        }
        let want = vec![("A", 3), ("B", 2), ("C", 1)];
        assert_eq!(runs.iter().collect::<Vec<_>>(), want);
        assert_eq!(mixed.iter().collect::<Vec<_>>(), want);
        assert_eq!(runs, mixed);
        mixed.add("D");
        assert_ne!(runs, mixed);
        assert!(SourceCounts::default().is_empty() && !runs.is_empty());
    }
}
