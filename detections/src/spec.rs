//! What a content file says: the specification types, read from TOML.
//!
//! Nothing here runs; [`crate::content::compile`] turns a [`Spec`] into a ready
//! [`crate::content::Detection`], reporting every problem it finds.

use std::fmt;

use serde::Deserialize;
use toml::Spanned;

use crate::event::Field;

/// A whole content file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Stable id of the detection.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// What it detects and why.
    pub description: String,
    /// Where the indicators came from.
    pub source: String,
    /// The indicators.
    #[serde(default)]
    pub iocs: Vec<IocSpec>,
    /// The hunts.
    #[serde(default)]
    pub hunts: Vec<HuntSpec>,
    /// The exclusions.
    #[serde(default)]
    pub exclusions: Vec<ExclusionSpec>,
    /// Scenarios whose expectation this content does not meet, and accepts for
    /// now: an attack it misses, a false positive it leaves.
    #[serde(default)]
    pub known_gaps: Vec<KnownGapSpec>,
    /// Exclusions the source writes that cannot be compiled (they name a field
    /// but no value, or are always true or false): kept with their text, never
    /// suppressing, reported by `huntlab lint`.
    #[serde(default)]
    pub unexpressed: Vec<UnexpressedSpec>,
}

/// Why a source's exclusion could not be compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unexpressible {
    /// It names a field but gives no value ("the update agent's process name").
    NoValue,
    /// It is always true (`a != "x" OR a != "y"`): read literally it would
    /// suppress every row it applies to, which no condition here can say.
    AlwaysTrue,
    /// It is always false (`a == "x" AND a == "y"`): it never suppresses.
    AlwaysFalse,
}

impl Unexpressible {
    /// The name content files write.
    pub fn name(self) -> &'static str {
        match self {
            Unexpressible::NoValue => "no_value",
            Unexpressible::AlwaysTrue => "always_true",
            Unexpressible::AlwaysFalse => "always_false",
        }
    }
}

/// A source's exclusion kept as written because it cannot be compiled.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnexpressedSpec {
    /// Stable id (shared with the hunts' and exclusions').
    pub id: Spanned<String>,
    /// The documented scenario's title, from the source.
    pub scenario: String,
    /// The documented scenario's description, from the source.
    pub description: String,
    /// The source's exclusion text, verbatim.
    pub seed_text: String,
    /// The field its text names, when it names one huntlab knows.
    #[serde(default)]
    pub field: Option<Field>,
    /// The column its text names, as written (`FolderPath`), when it names one.
    #[serde(default)]
    pub column: Option<String>,
    /// Why it is not compiled.
    pub why: Unexpressible,
    /// The rows it was written for.
    pub applies_to: Vec<RowKind>,
    /// The hunts it was written for (each one of the content's hunts).
    #[serde(default)]
    pub hunts: Vec<Spanned<String>>,
}

/// A scenario whose expectation the content does not meet, declared the way a
/// test framework marks an expected failure.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownGapSpec {
    /// The scenario's id.
    pub scenario: Spanned<String>,
    /// Why the content accepts the gap for now.
    pub why: String,
    /// The exclusion that hides the attack (or suppresses the benign rows),
    /// when an exclusion is the gap's cause: one of the content's exclusions.
    #[serde(default)]
    pub exclusion: Option<Spanned<String>>,
}

/// Where a hunt comes from: the source's own query, or added by this content.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Origin {
    /// The source's query (`origin = "seed"`).
    Seed,
    /// Added by this content, and why (`origin = { added = "..." }`).
    Added(String),
}

impl Origin {
    /// `seed` or `added`.
    pub fn name(&self) -> &'static str {
        match self {
            Origin::Seed => "seed",
            Origin::Added(_) => "added",
        }
    }

    /// Why the hunt was added (`None` for the seed's own).
    pub fn why(&self) -> Option<&str> {
        match self {
            Origin::Seed => None,
            Origin::Added(why) => Some(why),
        }
    }
}

/// One indicator as written (the value is normalised when compiled).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IocSpec {
    /// Indicator type, a [`crate::ioc::IocKind`]'s name (`domain`, `ip_port`,
    /// `sha256`, ...). Read as written, so that an unknown type is reported
    /// with its line when compiled.
    #[serde(rename = "type")]
    pub ioc_type: String,
    /// The value.
    pub value: Spanned<String>,
    /// Threat type (empty when not given).
    #[serde(default)]
    pub threat_type: String,
    /// First seen (empty when not given).
    #[serde(default)]
    pub first_seen: String,
    /// Confidence, 0 to 100 (none when not given: URLhaus and plain lists
    /// give none).
    #[serde(default)]
    pub confidence: Option<u8>,
    /// Malware family (empty when not given).
    #[serde(default)]
    pub malware_family: String,
    /// Source (empty when not given).
    #[serde(default)]
    pub source: String,
    /// `online` or `offline` (URLhaus; empty when not given).
    #[serde(default)]
    pub status: String,
}

/// The kinds of row a hunt reads or an exclusion applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// DNS lookups.
    Dns,
    /// Process creations.
    Process,
    /// File creations.
    File,
    /// Connections, web requests and clicks on links.
    Network,
}

impl RowKind {
    /// The name content files write (`dns`, `network`).
    pub fn name(self) -> &'static str {
        match self {
            RowKind::Dns => "dns",
            RowKind::Process => "process",
            RowKind::File => "file",
            RowKind::Network => "network",
        }
    }
}

/// A hunt as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HuntSpec {
    /// Stable id.
    pub id: Spanned<String>,
    /// One-line title.
    pub title: String,
    /// What it looks for.
    pub description: String,
    /// Where it comes from: the seed's query or added (and why).
    pub origin: Origin,
    /// The KQL it encodes, for readers.
    #[serde(default)]
    pub kql: Option<String>,
    /// Whether its condition is its `kql` read as published (an import's
    /// literal reading): `huntlab lint` then reads the query as the
    /// published page's block it came from.
    #[serde(default)]
    pub as_published: bool,
    /// Why a predicate on a field no row it reads carries is kept (it never
    /// holds); without it such a predicate is a load error.
    #[serde(default)]
    pub inert: Option<String>,
    /// Which rows it reads.
    pub reads: Vec<RowKind>,
    /// Its condition.
    pub when: CondSpec,
    /// Ids of the exclusions that can suppress it, in order.
    #[serde(default)]
    pub exclusions: Vec<Spanned<String>>,
    /// Whether an `ip:port` indicator matches its address alone
    /// (`"address"`) or its address and port (`"address_port"`); a hunt over
    /// `iocs.ip_port` must say.
    #[serde(default, rename = "match")]
    pub port_match: Option<crate::matcher::indicator::PortMatch>,
    /// Examples: rows that must fire and rows that must not.
    #[serde(default)]
    pub examples: Vec<ExampleSpec<HuntExpect>>,
}

/// An exclusion as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExclusionSpec {
    /// Stable id.
    pub id: Spanned<String>,
    /// The documented scenario's title, from the source.
    pub scenario: String,
    /// The documented scenario's description, from the source.
    pub description: String,
    /// The source's exclusion text, verbatim.
    pub seed_text: String,
    /// How this file reads the text where it is loose or cut off.
    #[serde(default)]
    pub interpretation: Option<String>,
    /// Which rows it applies to.
    pub applies_to: Vec<RowKind>,
    /// Its condition: when true, the exclusion suppresses.
    pub when: CondSpec,
    /// Why a predicate on a field no row it applies to carries is kept (it
    /// never holds); without it such a predicate is a load error.
    #[serde(default)]
    pub inert: Option<String>,
    /// Examples: rows it must suppress and rows it must leave alone.
    #[serde(default)]
    pub examples: Vec<ExampleSpec<ExclusionExpect>>,
}

/// KQL operator names, spelled as in KQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum OpName {
    /// `has`
    #[serde(rename = "has")]
    Has,
    /// `has_cs`
    #[serde(rename = "has_cs")]
    HasCs,
    /// `has_any`
    #[serde(rename = "has_any")]
    HasAny,
    /// `hasprefix`
    #[serde(rename = "hasprefix")]
    HasPrefix,
    /// `hassuffix`
    #[serde(rename = "hassuffix")]
    HasSuffix,
    /// `contains`
    #[serde(rename = "contains")]
    Contains,
    /// `contains_cs`
    #[serde(rename = "contains_cs")]
    ContainsCs,
    /// `startswith`
    #[serde(rename = "startswith")]
    StartsWith,
    /// `endswith`
    #[serde(rename = "endswith")]
    EndsWith,
    /// `==`
    #[serde(rename = "==")]
    Eq,
    /// `=~`
    #[serde(rename = "=~")]
    EqCi,
    /// `in`
    #[serde(rename = "in")]
    In,
    /// `in~`
    #[serde(rename = "in~")]
    InCi,
}

impl OpName {
    /// The operator as KQL spells it (and as content files write it).
    pub fn kql(self) -> &'static str {
        match self {
            OpName::Has => "has",
            OpName::HasCs => "has_cs",
            OpName::HasAny => "has_any",
            OpName::HasPrefix => "hasprefix",
            OpName::HasSuffix => "hassuffix",
            OpName::Contains => "contains",
            OpName::ContainsCs => "contains_cs",
            OpName::StartsWith => "startswith",
            OpName::EndsWith => "endswith",
            OpName::Eq => "==",
            OpName::EqCi => "=~",
            OpName::In => "in",
            OpName::InCi => "in~",
        }
    }
}

/// A condition as written: a predicate (`field`, `op`, `values` or
/// `values_from`), or `any` / `all` of conditions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CondSpec {
    /// Field a predicate reads.
    #[serde(default)]
    pub field: Option<Field>,
    /// Operator of a predicate.
    #[serde(default)]
    pub op: Option<OpName>,
    /// Right-hand values; the predicate holds when the operator holds for any.
    #[serde(default)]
    pub values: Option<Vec<String>>,
    /// Take the values from the file's indicators of one kind: `iocs.domain`
    /// (the names are [`crate::ioc::IocKind::values_from`]'s).
    #[serde(default)]
    pub values_from: Option<Spanned<String>>,
    /// True when any holds.
    #[serde(default)]
    pub any: Option<Vec<CondSpec>>,
    /// True when all hold.
    #[serde(default)]
    pub all: Option<Vec<CondSpec>>,
}

/// What a hunt example expects. Any other word is a load error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HuntExpect {
    /// The hunt fires on the row.
    Fires,
    /// The hunt does not fire.
    Silent,
}

impl HuntExpect {
    /// What a hunt that did, or did not, fire meets.
    pub fn observed(fired: bool) -> Self {
        if fired {
            HuntExpect::Fires
        } else {
            HuntExpect::Silent
        }
    }

    /// The name, as content files write it.
    pub fn name(self) -> &'static str {
        match self {
            HuntExpect::Fires => "fires",
            HuntExpect::Silent => "silent",
        }
    }
}

/// What an exclusion example expects: one of the exclusion outcomes. Any other word
/// is a load error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionExpect {
    /// The exclusion suppresses the row.
    Suppressed,
    /// The exclusion is evaluated and does not suppress.
    DidNotApply,
    /// The row lacks the process context to evaluate it.
    NotEvaluable,
}

impl ExclusionExpect {
    /// The name, as content files write it.
    pub fn name(self) -> &'static str {
        match self {
            ExclusionExpect::Suppressed => "suppressed",
            ExclusionExpect::DidNotApply => "did_not_apply",
            ExclusionExpect::NotEvaluable => "not_evaluable",
        }
    }
}

impl fmt::Display for HuntExpect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for ExclusionExpect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One example: a telemetry row, as any supported source writes it, and what must
/// happen to it ([`HuntExpect`] or [`ExclusionExpect`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec<E> {
    /// A name, shown when the example fails.
    pub name: String,
    /// What must happen.
    pub expect: E,
    /// The row, with the source's own column names.
    pub row: toml::Table,
    /// Columns the row carries deliberately that its source does not (to
    /// show they are not read): each must be one the row has and its source
    /// lacks. Any other column its source lacks is a load error.
    #[serde(default)]
    pub unread: Vec<String>,
}
