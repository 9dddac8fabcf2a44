//! What the reading loop pushes its verdicts into: a [`RowSink`] is told every
//! judged row, every rejected row and every stretch of unused space, in the
//! order the loop settles them (as ripgrep's `Searcher` pushes matches into a
//! `Sink`). `scan`'s hits, `explain`'s explanations and `report`'s scoring are
//! sinks; the loop alone reads, judges and counts.

use detections::pipeline::Judged;

use crate::formats::Position;

/// A judged row, ready to report.
#[derive(Debug, Clone)]
pub struct Judgement {
    /// Index of the input it came from.
    pub input: usize,
    /// Where in that input.
    pub position: Position,
    /// The row, judged.
    pub judged: Judged,
    /// For Sysmon DNS and file rows: whether the row was joined to its process
    /// creation.
    pub joined: Option<bool>,
}

/// A rejected row (where, and why), or unused space read (where, and what it
/// held).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// Index of the input.
    pub input: usize,
    /// Where in it.
    pub position: Position,
    /// Why.
    pub reason: String,
    /// The indicator of the content its bytes hold, for a row too long to
    /// read: a possible miss.
    pub indicator: Option<String>,
}

/// Where the reading loop pushes what it settles. Only [`RowSink::row`] is
/// called for every scored row; the others have no-op defaults. An error ends
/// the loop.
pub trait RowSink {
    /// What writing a verdict can fail with.
    type Error;

    /// A row judged: every scored row once, in input order unless it waited
    /// for its process creation.
    fn row(&mut self, j: &Judgement) -> Result<(), Self::Error>;

    /// A row that could not be read or mapped, when it is met.
    fn rejected(&mut self, _r: &RejectedRow) -> Result<(), Self::Error> {
        Ok(())
    }

    /// Unused space read (an EVTX log's preallocated chunks after its last
    /// record): not a row.
    fn unused(&mut self, _u: &RejectedRow) -> Result<(), Self::Error> {
        Ok(())
    }
}

impl<S: RowSink + ?Sized> RowSink for &mut S {
    type Error = S::Error;

    fn row(&mut self, j: &Judgement) -> Result<(), Self::Error> {
        (**self).row(j)
    }

    fn rejected(&mut self, r: &RejectedRow) -> Result<(), Self::Error> {
        (**self).rejected(r)
    }

    fn unused(&mut self, u: &RejectedRow) -> Result<(), Self::Error> {
        (**self).unused(u)
    }
}

/// Every judged row kept (cloned): for tests and small inputs.
impl RowSink for Vec<Judgement> {
    type Error = std::convert::Infallible;

    fn row(&mut self, j: &Judgement) -> Result<(), Self::Error> {
        self.push(j.clone());
        Ok(())
    }
}

/// A sink that keeps nothing: the tally is the result.
#[derive(Debug, Default, Clone, Copy)]
pub struct Discard;

impl RowSink for Discard {
    type Error = std::convert::Infallible;

    fn row(&mut self, _j: &Judgement) -> Result<(), Self::Error> {
        Ok(())
    }
}
