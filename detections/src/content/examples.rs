//! The content's own examples: each hunt's and exclusion's rows, checked against
//! what they say must happen.

use std::fmt;

use super::detection::Detection;
use super::verdict::Outcome;
use crate::event::Event;
use crate::spec::{ExampleSpec, Expect};

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

fn example_event(ex: &ExampleSpec) -> Result<Event, String> {
    let json = serde_json::to_value(&ex.row).map_err(|e| e.to_string())?;
    match json {
        serde_json::Value::Object(m) => crate::fields::parse_row(&m).map_err(|e| e.to_string()),
        _ => Err("row is not a table".into()),
    }
}

impl Detection {
    /// Check every hunt's and exclusion's examples; an empty list means all passed.
    pub fn check_examples(&self) -> Vec<ExampleFailure> {
        let mut failures = Vec::new();
        for h in &self.hunts {
            for ex in &h.examples {
                let owner = format!("hunt {}", h.id);
                let fail = |message: String| ExampleFailure {
                    owner: owner.clone(),
                    name: ex.name.clone(),
                    message,
                };
                match example_event(ex) {
                    Err(e) => failures.push(fail(format!("row does not read: {e}"))),
                    Ok(ev) => {
                        let fired = self.hunt_fires(h, &ev);
                        let ok = match ex.expect {
                            Expect::Fires => fired,
                            Expect::Silent => !fired,
                            other => {
                                failures.push(fail(format!(
                                    "a hunt example expects `fires` or `silent`, not {other:?}"
                                )));
                                continue;
                            }
                        };
                        if !ok {
                            failures.push(fail(format!(
                                "expected {:?}, but the hunt {}",
                                ex.expect,
                                if fired { "fired" } else { "stayed silent" }
                            )));
                        }
                    }
                }
            }
        }
        for x in &self.exclusions {
            for ex in &x.examples {
                let owner = format!("exclusion {}", x.id);
                let fail = |message: String| ExampleFailure {
                    owner: owner.clone(),
                    name: ex.name.clone(),
                    message,
                };
                match example_event(ex) {
                    Err(e) => failures.push(fail(format!("row does not read: {e}"))),
                    Ok(ev) => {
                        let got = x.evaluate(&ev);
                        let ok = match ex.expect {
                            Expect::Suppressed => matches!(got, Outcome::Suppressed { .. }),
                            Expect::DidNotApply => got == Outcome::DidNotApply,
                            Expect::NotEvaluable => got == Outcome::NotEvaluable,
                            other => {
                                failures.push(fail(format!("an exclusion example expects `suppressed`, `did_not_apply` or `not_evaluable`, not {other:?}")));
                                continue;
                            }
                        };
                        if !ok {
                            failures.push(fail(format!(
                                "expected {:?}, got {}",
                                ex.expect,
                                got.name()
                            )));
                        }
                    }
                }
            }
        }
        failures
    }
}
