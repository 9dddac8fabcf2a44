//! The content's own examples: each hunt's and exclusion's rows, checked against
//! what they say must happen.

use std::fmt;

use super::detection::{Detection, Exclusion, Hunt};
use crate::event::{Event, Kind};
use crate::spec::{ExampleSpec, HuntExpect, RowKind};

/// An example that did not behave as it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// `hunt nanocore-c2-dns` or `exclusion backup-job`.
    pub owner: String,
    /// The example's name.
    pub name: String,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: example {:?}: {}",
            self.owner, self.name, self.message
        )
    }
}

pub(super) fn example_event(row: &toml::Table) -> Result<Event, String> {
    let json = serde_json::to_value(row).map_err(|e| e.to_string())?;
    match json {
        serde_json::Value::Object(m) => crate::fields::parse_row(&m).map_err(|e| e.to_string()),
        _ => Err("row is not a table".into()),
    }
}

/// Check one owner's examples: `observe` says what happened to a row, in the
/// terms its examples use; a failure names both, as the content file spells them.
fn check<E: Copy + PartialEq + fmt::Display>(
    owner: &str,
    examples: &[ExampleSpec<E>],
    observe: impl Fn(&Event) -> E,
    why: impl Fn(&Event) -> String,
    failures: &mut Vec<ExampleFailure>,
) {
    for ex in examples {
        let message = match example_event(&ex.row) {
            Err(e) => format!("row does not read: {e}"),
            Ok(ev) => {
                let got = observe(&ev);
                if got == ex.expect {
                    continue;
                }
                format!("expected {}, got {got}: {}", ex.expect, why(&ev))
            }
        };
        failures.push(ExampleFailure {
            owner: owner.to_owned(),
            name: ex.name.clone(),
            message,
        });
    }
}

impl Detection {
    /// Check every hunt's and exclusion's examples; an empty list means all passed.
    pub fn check_examples(&self) -> Vec<ExampleFailure> {
        let mut failures = Vec::new();
        for h in &self.hunts {
            let fires = |ev: &Event| HuntExpect::observed(self.hunt_fires(h, ev));
            let owner = format!("hunt {}", h.id);
            check(
                &owner,
                &h.examples,
                fires,
                |ev| hunt_why(h, ev),
                &mut failures,
            );
        }
        for x in &self.exclusions {
            let outcome = |ev: &Event| x.evaluate(ev).as_expect();
            let owner = format!("exclusion {}", x.id);
            check(
                &owner,
                &x.examples,
                outcome,
                |ev| exclusion_why(x, ev),
                &mut failures,
            );
        }
        failures
    }
}

/// What decided a hunt on a row: the kinds of rows it reads, else the
/// predicates of its condition that decided it.
fn hunt_why(h: &Hunt, ev: &Event) -> String {
    if !h.reads_kind(ev.kind()) {
        return format!(
            "the hunt does not read {} rows (the row is {}; it reads {})",
            kind_name(ev.kind()),
            ev.source.name(),
            kinds(&h.reads)
        );
    }
    format!("hunt condition {}", h.when.decided_by(ev))
}

/// What decided an exclusion on a row: the kinds of rows it applies to, a
/// process it reads that the row does not name, else the predicates of its
/// condition that decided it (those that held, for a suppression).
fn exclusion_why(x: &Exclusion, ev: &Event) -> String {
    if !x.kinds.has(ev.kind()) {
        return format!(
            "the exclusion does not apply to {} rows (it applies to {})",
            kind_name(ev.kind()),
            kinds(&x.applies_to)
        );
    }
    if ev.process.is_none() && x.reads_process {
        return format!(
            "the row names no process ({}), and the exclusion reads one",
            ev.source.name()
        );
    }
    format!("exclusion condition {}", x.when.decided_by(ev))
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Dns => "dns",
        Kind::Process => "process",
        Kind::File => "file",
        Kind::Network => "network",
        Kind::Other => "other",
    }
}

fn kinds(k: &[RowKind]) -> String {
    k.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
}
