//! One table model for every renderer. A report table is built once
//! ([`super::tables`]): a title, columns with their alignment, and rows of cells.
//! A cell says what it holds (text that came from telemetry or a scenario file,
//! a count, a ratio, …), never how it looks, so each renderer formats and escapes
//! it for its own output: the terminal makes control characters visible, Markdown
//! escapes its metacharacters, HTML escapes markup.

use crate::metrics::{fmt_ratio, Confusion};
use crate::report::{Branch, ExclusionByScenario, Status};

/// How much room a renderer has, and so which columns it shows: the terminal
/// shows [`Detail::Brief`] columns (fitting 100 characters), and with `--wide`
/// the [`Detail::Wide`] ones too; Markdown adds [`Detail::Full`] ones, and the
/// HTML page shows every column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Detail {
    /// Shown everywhere, the terminal included.
    Brief,
    /// Shown on a terminal with `--wide`, and in the files.
    Wide,
    /// Shown in the files (Markdown and HTML), too wide for a terminal.
    Full,
    /// Shown on the HTML page only.
    Page,
}

/// Where a column's cells sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Short marks (yes / no).
    Centre,
    /// Numbers.
    Right,
}

/// A column: its heading and how it is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Heading.
    pub name: &'static str,
    /// Alignment of its cells.
    pub align: Align,
    /// Which renderers show it.
    pub detail: Detail,
    /// For a column of [`Cell::Counts`]: shown as four columns (TP, FP, FN, TN)
    /// where the output has room for them (terminal and HTML); Markdown keeps
    /// the four counts in one cell.
    pub split: bool,
    /// A heading over a run of columns (the HTML page draws it as a header row).
    pub group: Option<&'static str>,
    /// A shorter heading for the brief terminal table (`None`: the heading).
    pub brief: Option<&'static str>,
}

impl Column {
    /// A left-aligned column shown everywhere.
    pub const fn text(name: &'static str) -> Self {
        Column {
            name,
            align: Align::Left,
            detail: Detail::Brief,
            split: false,
            group: None,
            brief: None,
        }
    }

    /// A right-aligned (numeric) column shown everywhere.
    pub const fn num(name: &'static str) -> Self {
        Column {
            align: Align::Right,
            ..Column::text(name)
        }
    }

    /// A centred column shown everywhere.
    pub const fn centre(name: &'static str) -> Self {
        Column {
            align: Align::Centre,
            ..Column::text(name)
        }
    }

    /// A column of [`Cell::Counts`] split into TP, FP, FN and TN where there is
    /// room.
    pub const fn split_counts(name: &'static str) -> Self {
        Column {
            split: true,
            ..Column::num(name)
        }
    }

    /// The same column, shown by renderers with at least `detail` room.
    pub const fn detail(self, detail: Detail) -> Self {
        Column { detail, ..self }
    }

    /// The same column, headed `name` in the brief terminal table.
    pub const fn brief(self, name: &'static str) -> Self {
        Column {
            brief: Some(name),
            ..self
        }
    }

    /// The heading a renderer with `room` shows.
    pub fn heading(&self, room: Detail) -> &'static str {
        match self.brief {
            Some(short) if room == Detail::Brief => short,
            _ => self.name,
        }
    }

    /// The same column, under a group heading.
    pub const fn group(self, group: &'static str) -> Self {
        Column {
            group: Some(group),
            ..self
        }
    }
}

/// Headings of the four columns a split [`Cell::Counts`] column becomes.
pub const COUNT_NAMES: [&str; 4] = ["TP", "FP", "FN", "TN"];

/// One cell. Variants holding `&str` hold text that came from telemetry or a
/// scenario file: every renderer escapes it for its format.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// An identifier: a scenario, hunt, exclusion, source or table name.
    Id(&'a str),
    /// An identifier with its title beside it (the title is shown on the page only).
    Titled {
        /// The identifier.
        id: &'a str,
        /// Its title.
        title: &'a str,
    },
    /// Prose.
    Text(&'a str),
    /// A condition or other code-like text from the content.
    Code(&'a str),
    /// An identifier after a few words of ours (`hidden by backup-job`).
    Labelled {
        /// Our words.
        label: &'static str,
        /// The identifier.
        id: &'a str,
    },
    /// A scenario's kind (a badge on the page).
    Kind(&'a str),
    /// A scenario's declared outcome and the exclusion it names, if any.
    Expected {
        /// `alert`, `suppressed` or `no-match`.
        outcome: &'a str,
        /// The exclusion.
        exclusion: Option<&'a str>,
    },
    /// Where a scenario ended, and why.
    Status {
        /// `met`, `failed`, `known_gap` or `gap_closed`.
        status: Status,
        /// What was expected and what happened, in a sentence.
        detail: &'a str,
    },
    /// Where a hunt comes from: `seed` or `added`, and why.
    Origin {
        /// `seed` or `added`.
        origin: &'a str,
        /// Why it was added.
        why: Option<&'a str>,
    },
    /// Whether an exclusion is harmful on a hunt (an alarm when it is).
    Harmful(bool),
    /// Whether a source carries the process; its absence is a warning.
    Present(bool),
    /// A count.
    Count(u64),
    /// A count that should be zero: a warning when it is not.
    Alarm(u64),
    /// A ratio; `None` where it is undefined.
    Ratio(Option<f64>),
    /// TP / FP / FN / TN.
    Counts(Confusion),
    /// Seconds from the first malicious row to the first alert on one; `None`
    /// when there was none, `malicious` telling whether there was anything to
    /// detect.
    FirstDetection {
        /// Seconds.
        secs: Option<f64>,
        /// The scenario had malicious rows.
        malicious: bool,
    },
    /// A scenario's infected hosts with an alert on a malicious row of their
    /// own, against all its infected hosts (`–` with none infected), and the
    /// silent ones by name (host names from telemetry: escaped).
    Hosts {
        /// Infected hosts that alerted.
        alerted: u64,
        /// Infected hosts.
        infected: u64,
        /// The infected hosts an attack's expectation needed and that raised
        /// no alert.
        silent: &'a [String],
    },
    /// Where an exclusion's suppressions came from, scenario by scenario.
    Breakdown(&'a [ExclusionByScenario]),
    /// Branches of an exclusion's condition that never held.
    Branches(&'a [Branch]),
    /// A list of identifiers (the hunts that read an indicator kind).
    Ids(&'a [String]),
}

/// How an expectation names its exclusion: `suppressed by` it, or (an
/// adversarial scenario's) `alert despite` it.
pub fn expected_word(outcome: &str) -> &'static str {
    if outcome == "suppressed" {
        "by"
    } else {
        "despite"
    }
}

/// A status as tables print it: what fails a run in capitals.
pub fn status_text(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::Failed => "FAILED",
        Status::KnownGap => "known gap",
        Status::GapClosed => "GAP CLOSED",
    }
}

/// One row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    /// One cell per column.
    pub cells: Vec<Cell<'a>>,
    /// The row reports a failure (a scenario whose expectation did not hold).
    pub failed: bool,
}

/// A table: title, columns and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTable<'a> {
    /// A stable name (the HTML element id).
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Columns, in order.
    pub columns: &'static [Column],
    /// Rows, in report order.
    pub rows: Vec<Row<'a>>,
}

impl<'a> ReportTable<'a> {
    /// An empty table.
    pub fn new(id: &'static str, title: &'static str, columns: &'static [Column]) -> Self {
        ReportTable {
            id,
            title,
            columns,
            rows: Vec::new(),
        }
    }

    /// Add a row; `cells` has one cell per column.
    pub fn push(&mut self, cells: Vec<Cell<'a>>, failed: bool) {
        assert_eq!(
            cells.len(),
            self.columns.len(),
            "table {}: one cell per column",
            self.id
        );
        self.rows.push(Row { cells, failed });
    }

    /// The columns a renderer with `room` shows.
    pub fn columns_for(&self, room: Detail) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(move |c| c.detail <= room)
    }

    /// A row's cells that a renderer with `room` shows, with their columns.
    pub fn cells_for<'r>(
        &'r self,
        row: &'r Row<'a>,
        room: Detail,
    ) -> impl Iterator<Item = (&'r Column, &'r Cell<'a>)> {
        self.columns
            .iter()
            .zip(&row.cells)
            .filter(move |(c, _)| c.detail <= room)
    }
}

impl Cell<'_> {
    /// The cell as plain text (terminal and Markdown), with every string from
    /// telemetry or a scenario file passed through `esc`. Counts stay in one
    /// cell (`TP / FP / FN / TN`), and an undefined ratio reads `n/a`.
    pub fn plain(&self, esc: fn(&str) -> String) -> String {
        match *self {
            Cell::Id(s) | Cell::Text(s) | Cell::Kind(s) | Cell::Titled { id: s, .. } => esc(s),
            Cell::Expected { outcome, exclusion } => match exclusion {
                Some(x) => format!("{} {} {}", esc(outcome), expected_word(outcome), esc(x)),
                None => esc(outcome),
            },
            Cell::Labelled { label, id } => format!("{label} {}", esc(id)),
            Cell::Code(s) => esc(s),
            Cell::Status { status, .. } => status_text(status).to_owned(),
            Cell::Origin { origin, .. } => esc(origin),
            Cell::Harmful(true) => "HARMFUL".to_owned(),
            Cell::Harmful(false) => "–".to_owned(),
            Cell::Present(true) => "yes".to_owned(),
            Cell::Present(false) => "no".to_owned(),
            Cell::Count(n) | Cell::Alarm(n) => n.to_string(),
            Cell::Ratio(v) => fmt_ratio(v),
            Cell::Counts(c) => format!("{} / {} / {} / {}", c.tp, c.fp, c.fn_, c.tn),
            Cell::Hosts { infected: 0, .. } => "–".to_owned(),
            Cell::Hosts {
                alerted, infected, ..
            } => format!("{alerted}/{infected}"),
            Cell::FirstDetection { secs, .. } => {
                secs.map_or_else(|| "–".to_owned(), |v| format!("{v:.1} s"))
            }
            Cell::Ids([]) => "–".to_owned(),
            Cell::Ids(ids) => ids.iter().map(|s| esc(s)).collect::<Vec<_>>().join(", "),
            Cell::Branches([]) => "none".to_owned(),
            Cell::Branches(bs) => bs
                .iter()
                .map(|b| format!("#{}: {}", b.branch + 1, esc(&b.condition)))
                .collect::<Vec<_>>()
                .join("; "),
            Cell::Breakdown([]) => "–".to_owned(),
            Cell::Breakdown(by) => by
                .iter()
                .map(|b| {
                    format!(
                        "{} ({} benign, {} malicious)",
                        esc(&b.scenario),
                        b.benign_suppressed,
                        b.malicious_hidden
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}
