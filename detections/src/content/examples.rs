//! The content's own examples: each hunt's and exclusion's rows, checked against
//! what they say must happen.

use std::fmt;

use super::detection::Detection;
use crate::event::Event;
use crate::spec::{ExampleSpec, HuntExpect};

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

fn example_event(row: &toml::Table) -> Result<Event, String> {
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
                format!("expected {}, got {got}", ex.expect)
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
            check(&format!("hunt {}", h.id), &h.examples, fires, &mut failures);
        }
        for x in &self.exclusions {
            let outcome = |ev: &Event| x.evaluate(ev).as_expect();
            check(
                &format!("exclusion {}", x.id),
                &x.examples,
                outcome,
                &mut failures,
            );
        }
        failures
    }
}
