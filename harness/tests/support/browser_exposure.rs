//! The sample report's exclusion exposures.

use detections::content::{Copied, Exposure};

/// What an attacker can do to a sample exclusion: `spoofable` on one
/// field's `value` when `field` is theirs.
pub fn exposure(id: &str, field: &'static str, value: &str, spoofable: bool) -> Exposure {
    let (mine, not_mine) = if spoofable {
        (vec![field], Vec::new())
    } else {
        (Vec::new(), vec![field])
    };
    Exposure {
        exclusion: id.into(),
        attacker_controlled: mine,
        not_attacker_controlled: not_mine,
        spoofable,
        mimic: if spoofable {
            vec![Copied {
                field,
                op: "contains",
                value: value.into(),
            }]
        } else {
            Vec::new()
        },
        signer_note: None,
    }
}

/// A sample exclusion's mimic: run and met (`scenario`), or not generated
/// (`why`).
pub fn mimic(scenario: Option<&str>, why: Option<&str>) -> Option<harness::report::MimicOutcome> {
    Some(harness::report::MimicOutcome {
        scenario: scenario.map(str::to_owned),
        status: scenario.map(|_| harness::report::Status::Met),
        not_generated: why.map(str::to_owned),
    })
}
