//! The ready detection: indicators, hunts and exclusions, as compiled.

use serde::Serialize;

use super::cond::Cond;
use crate::event::{Event, Field, Kind};
use crate::ioc::{Ioc, IocKind, Normalisation};
use crate::spec::{ExampleSpec, ExclusionExpect, HuntExpect, Origin, RowKind};

/// A change the loader made to an indicator value, reported to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// 1-based line.
    pub line: usize,
    /// The value as written.
    pub written: String,
    /// The value as loaded.
    pub loaded: String,
    /// Each change made.
    pub changes: Vec<Normalisation>,
}

/// A ready hunt.
#[derive(Debug, Clone)]
pub struct Hunt {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Where it comes from: the seed's query or added (and why).
    pub origin: Origin,
    /// The KQL it encodes.
    pub kql: Option<String>,
    /// Whether its condition is its `kql` read as published.
    pub as_published: bool,
    /// Why its predicates on fields no row it reads carries are kept.
    pub inert: Option<String>,
    /// Which rows it reads.
    pub reads: Vec<RowKind>,
    /// Its condition.
    pub when: Cond,
    /// Indices (into [`Detection::exclusions`]) of its exclusions, in order.
    pub exclusions: Vec<usize>,
    /// `reads`, as a set to test rows against.
    pub(super) kinds: Kinds,
    pub(super) examples: Vec<ExampleSpec<HuntExpect>>,
}

impl Hunt {
    /// The hunt with its predicates on fields `keep` refuses taken out, for a
    /// form that cannot write them: taken out of an `any` (the hunt then
    /// matches less, never more); `None` when one sits where taking it out
    /// would widen the condition (an `all`, or alone), or nothing is left.
    /// Network rows are no longer read when no kept predicate reads a
    /// network field; `None` when no kind of row is left.
    pub fn restricted(&self, keep: impl Fn(Field) -> bool + Copy) -> Option<Hunt> {
        let when = self.when.restricted(keep)?;
        let mut reads = self.reads.clone();
        if !when.predicates().iter().any(|t| t.field.is_network_field()) {
            reads.retain(|r| *r != RowKind::Network);
        }
        if reads.is_empty() {
            return None;
        }
        Some(Hunt {
            kinds: Kinds::of(&reads),
            reads,
            when,
            ..self.clone()
        })
    }

    /// Whether the hunt reads rows of this kind.
    pub fn reads_kind(&self, k: Kind) -> bool {
        self.kinds.has(k)
    }
}

/// A ready exclusion.
#[derive(Debug, Clone)]
pub struct Exclusion {
    /// Stable id.
    pub id: String,
    /// The documented scenario's title.
    pub scenario: String,
    /// The documented scenario's description.
    pub description: String,
    /// The source's exclusion text.
    pub seed_text: String,
    /// How this content reads the text.
    pub interpretation: Option<String>,
    /// Which rows it applies to.
    pub applies_to: Vec<RowKind>,
    /// Why its predicates on fields no row it applies to carries are kept.
    pub inert: Option<String>,
    /// `applies_to`, as a set to test rows against.
    pub(super) kinds: Kinds,
    /// When it suppresses.
    pub when: Cond,
    /// Whether `when` reads a process field (rows without a process cannot give
    /// one), decided once when compiled.
    pub(super) reads_process: bool,
    pub(super) examples: Vec<ExampleSpec<ExclusionExpect>>,
}

impl Exclusion {
    /// The branches of its condition: the operands of its top-level `any`, or the
    /// whole condition when it has none (at most 64, checked when compiled).
    pub fn branches(&self) -> &[Cond] {
        match &self.when {
            Cond::Any(cs) => cs,
            c => std::slice::from_ref(c),
        }
    }
}

/// A scenario whose expectation the content does not meet and accepts for now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KnownGap {
    /// The scenario's id.
    pub scenario: String,
    /// Why the content accepts it.
    pub why: String,
    /// The exclusion the content names as the gap's cause, if any (one of
    /// its exclusions).
    pub exclusion: Option<String>,
    /// 1-based line of the declaration in the content file.
    pub line: usize,
}

/// A set of the kinds of row hunts read, tested once per row and rule.
#[derive(Debug, Clone, Copy)]
pub(super) struct Kinds(u8);

impl Kinds {
    /// The set of these kinds.
    pub(super) fn of(kinds: &[RowKind]) -> Self {
        Self(kinds.iter().fold(0, |m, &k| m | Self::bit(k)))
    }

    /// The kinds any of these hunts reads.
    pub(super) fn union<'h>(hunts: impl IntoIterator<Item = &'h Hunt>) -> Self {
        Self(hunts.into_iter().fold(0, |m, h| m | h.kinds.0))
    }

    /// Whether a row of kind `k` is in the set (rows no hunt reads never are).
    pub(super) fn has(self, k: Kind) -> bool {
        let k = match k {
            Kind::Dns => RowKind::Dns,
            Kind::Process => RowKind::Process,
            Kind::File => RowKind::File,
            Kind::Network => RowKind::Network,
            Kind::Other => return false,
        };
        self.0 & Self::bit(k) != 0
    }

    fn bit(k: RowKind) -> u8 {
        match k {
            RowKind::Dns => 1,
            RowKind::Process => 2,
            RowKind::File => 4,
            RowKind::Network => 8,
        }
    }
}

/// A ready detection: IOCs, hunts, exclusions.
#[derive(Debug, Clone)]
pub struct Detection {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Where the indicators came from.
    pub source: String,
    /// The indicators, values normalised.
    pub iocs: Vec<Ioc>,
    /// The hunts, in file order.
    pub hunts: Vec<Hunt>,
    /// The exclusions, in file order.
    pub exclusions: Vec<Exclusion>,
    /// Scenarios whose expectation the content does not meet, and accepts.
    pub known_gaps: Vec<KnownGap>,
    /// The source's exclusions kept uncompiled (they never suppress).
    pub unexpressed: Vec<crate::spec::UnexpressedSpec>,
    /// Changes made to indicator values while loading.
    pub notes: Vec<Note>,
    /// The kinds whose list (`values_from = "iocs.<kind>"`) a hunt's condition
    /// reads, in [`IocKind::ALL`]'s order: the indicators of other kinds are
    /// held but hunted by no hunt.
    pub hunted_kinds: Vec<IocKind>,
    /// The kinds of row some hunt reads.
    pub(super) rows_read: Kinds,
    /// The fields that carry a value of a kind the content holds indicators
    /// of (a domain's: the query name, the remote host, the URL), in
    /// [`IocKind::ALL`]'s order, each once.
    pub(super) carried: Vec<Field>,
    /// SHA-256 of the content file's text, lower-case hex: tells two versions of
    /// a content apart in a report (indicators added from a feed are listed in the
    /// report beside it).
    pub source_sha256: String,
}

impl Detection {
    /// The exclusions that guard `hunt`, in its order.
    pub fn exclusions_of<'d>(&'d self, hunt: &'d Hunt) -> impl Iterator<Item = &'d Exclusion> {
        hunt.exclusions.iter().map(|&i| &self.exclusions[i])
    }

    /// The field of a row that carries a value of a kind the content holds
    /// indicators of, when no hunt reads rows of the row's kind (a C2 name in
    /// a `DeviceNetworkEvents.RemoteUrl`, under a content that hunts DNS
    /// rows): the row is not judged, and is counted so, never read as "no
    /// hunt fired". `None` for a row some hunt reads, or that carries none.
    pub fn unread_field(&self, ev: &Event) -> Option<Field> {
        if ev.kind() == Kind::Other || self.rows_read.has(ev.kind()) {
            return None;
        }
        self.carried
            .iter()
            .copied()
            .find(|f| ev.field(*f).is_some())
    }

    /// Index of a hunt by id.
    pub fn hunt_index(&self, id: &str) -> Option<usize> {
        self.hunts.iter().position(|h| h.id == id)
    }

    /// Index of an exclusion by id.
    pub fn exclusion_index(&self, id: &str) -> Option<usize> {
        self.exclusions.iter().position(|x| x.id == id)
    }

    /// The known gap declared for a scenario, if any.
    pub fn known_gap(&self, scenario: &str) -> Option<&KnownGap> {
        self.known_gaps.iter().find(|g| g.scenario == scenario)
    }

    /// The domain indicator values, in file order.
    pub fn domains(&self) -> Vec<&str> {
        self.values(IocKind::Domain)
    }

    /// The values of the indicators of one kind, in file order.
    pub fn values(&self, kind: IocKind) -> Vec<&str> {
        self.iocs
            .iter()
            .filter(|i| i.kind == kind)
            .map(|i| i.value.as_str())
            .collect()
    }

    /// The number of examples the content carries.
    pub fn example_count(&self) -> usize {
        self.hunts.iter().map(|h| h.examples.len()).sum::<usize>()
            + self
                .exclusions
                .iter()
                .map(|x| x.examples.len())
                .sum::<usize>()
    }
}
