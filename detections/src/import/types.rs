//! What a page holds, read: its feed, indicators, KQL blocks, tables and
//! false-positive entries, and why a page could not be read. A leaf: the
//! other modules of `import` read these types from here.

use std::fmt;

use super::form::Form;

/// Which feed a page was generated from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed {
    /// ThreatFox, by malware family: `| Type | Value | Threat Type | First Seen | Confidence |`.
    ThreatFox,
    /// URLhaus, by threat: `| URL | Status | Threat | Date Added |`.
    UrlHaus,
}

/// A URLhaus URL's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlStatus {
    /// Still serving.
    Online,
    /// No longer serving.
    Offline,
}

impl UrlStatus {
    /// `online` or `offline`, as the page writes it.
    pub fn name(self) -> &'static str {
        match self {
            UrlStatus::Online => "online",
            UrlStatus::Offline => "offline",
        }
    }
}

/// One row of the IOC table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageIoc {
    /// The page's 1-based line.
    pub line: usize,
    /// The type as the page writes it (`ip:port`, `sha256_hash`; `url` on URLhaus pages).
    pub ioc_type: String,
    /// The value, refanged (`[.]` to `.`, `hxxp` to `http`).
    pub value: String,
    /// ThreatFox's threat type, or URLhaus's threat.
    pub threat_type: String,
    /// First seen (ThreatFox) or date added (URLhaus).
    pub first_seen: String,
    /// Confidence, 0 to 100 (ThreatFox only).
    pub confidence: Option<u8>,
    /// Online or offline (URLhaus only).
    pub status: Option<UrlStatus>,
}

/// One KQL block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The line of its first comment (or of its `let` line).
    pub line: usize,
    /// Its `//` comment lines, without the `//`.
    pub comments: Vec<String>,
    /// The `let` list's name.
    pub list_name: String,
    /// The `let` list's values, as written.
    pub list: Vec<String>,
    /// The query, verbatim: the `let` line and every query line after it.
    pub query: String,
    /// Which of the six forms it is.
    pub form: Form,
    /// Whether a `where` line bounds its time (`TimeGenerated > ago(...)`).
    pub time_bound: bool,
}

/// One row of the `Sentinel Table` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentinelTable {
    /// The page's 1-based line.
    pub line: usize,
    /// The table.
    pub table: String,
    /// Its notes.
    pub notes: String,
}

/// One false-positive entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FalsePositive {
    /// The line of its `Scenario:`.
    pub line: usize,
    /// `Scenario: ...`.
    pub scenario: String,
    /// `Description: ...` (empty when missing).
    pub description: String,
    /// `Filter/Exclusion: ...`, verbatim (empty when missing).
    pub exclusion: String,
}

/// A published hunt page, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Which feed.
    pub feed: Feed,
    /// The malware family (ThreatFox) or threat (URLhaus) the summary names.
    pub family: String,
    /// The IOC table, in order.
    pub iocs: Vec<PageIoc>,
    /// The KQL blocks, in order.
    pub blocks: Vec<Block>,
    /// The `Sentinel Table` table.
    pub tables: Vec<SentinelTable>,
    /// The false-positive entries, in order.
    pub false_positives: Vec<FalsePositive>,
}

/// Why a page could not be read: the line and the part of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PageError {
    /// 1-based line (0: the page as a whole).
    pub line: usize,
    /// The part that could not be read (`IOC table row`, `KQL block condition`).
    pub part: String,
    /// Why.
    pub why: String,
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.part, self.why)
        } else {
            write!(f, "line {}: {}: {}", self.line, self.part, self.why)
        }
    }
}

impl PageError {
    pub(super) fn new(line: usize, part: &str, why: impl Into<String>) -> Self {
        Self {
            line,
            part: part.to_owned(),
            why: why.into(),
        }
    }
}

/// A stable id from free text: lower case, runs of other characters one `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

impl Page {
    /// Each block's hunt id: its form's name, `-2`, `-3` for a form repeated.
    pub fn hunt_ids(&self) -> Vec<String> {
        unique(self.blocks.iter().map(|b| b.form.id().to_owned()))
    }

    /// Each false-positive entry's exclusion id: its scenario's slug, made unique.
    pub fn exclusion_ids(&self) -> Vec<String> {
        unique(self.false_positives.iter().map(|f| {
            let s = slug(&f.scenario);
            if s.is_empty() {
                "exclusion".to_owned()
            } else {
                s
            }
        }))
    }
}

/// The names, a repeated one suffixed `-2`, `-3`.
fn unique(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let mut candidate = name.clone();
        let mut n = 1;
        while out.contains(&candidate) {
            n += 1;
            candidate = format!("{name}-{n}");
        }
        out.push(candidate);
    }
    out
}
