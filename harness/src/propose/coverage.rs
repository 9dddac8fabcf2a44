//! Which proposed scenario tests each `warning` or `error` lint finding of
//! the content: the one whose outcome the finding decides (a site on an
//! address whose port was dropped, scans from an address the firewall form
//! also matches as a source, the program an exclusion that cannot apply was
//! written for, ...). A finding no proposal tests is said, not dropped.

use detections::import::{Finding, Severity, Subject};
use detections::Detection;

use super::{bare, dashed, url_host, values_of, Covered, Proposed};

fn scenario_for(det: &Detection, f: &Finding) -> Option<String> {
    let alert = || f.hunts.first().map(|h| format!("propose-alert-{h}"));
    match (f.code, &f.subject) {
        ("port-dropped" | "shared-range-bare" | "shared-range", Subject::Indicator(v)) => {
            Some(format!("propose-site-on-{}", dashed(&bare(v)?)))
        }
        ("firewall-source-ip", Subject::Hunt(h)) => {
            let hunt = det.hunts.iter().find(|x| &x.id == h)?;
            let (a, _) = values_of(det, hunt).addresses.into_iter().next()?;
            Some(format!("propose-scans-from-{}", dashed(&a)))
        }
        ("url-hunted-by-host", Subject::Indicator(url)) => {
            Some(format!("propose-other-path-{}", dashed(url_host(url))))
        }
        ("indicator-in-no-query", _) => Some("propose-alert-unhunted".to_owned()),
        (
            "exclusion-field-absent"
            | "exclusion-unexpressed"
            | "exclusion-always-false"
            | "inert-predicate",
            Subject::Exclusion(x),
        ) => Some(format!("propose-excused-{x}")),
        // An exclusion that suppresses everything hides the attacks of the
        // hunts it guards.
        ("exclusion-always-true", _) => alert().or_else(|| {
            let Subject::Exclusion(x) = &f.subject else {
                return None;
            };
            let guarded = match det.exclusions.iter().position(|e| &e.id == x) {
                Some(k) => det
                    .hunts
                    .iter()
                    .find(|h| h.exclusions.contains(&k))?
                    .id
                    .clone(),
                // Kept unexpressed: the hunts its entry names.
                None => det
                    .unexpressed
                    .iter()
                    .find(|u| u.id.get_ref() == x)?
                    .hunts
                    .first()?
                    .get_ref()
                    .clone(),
            };
            Some(format!("propose-alert-{guarded}"))
        }),
        (_, Subject::Hunt(h)) => Some(format!("propose-alert-{h}")),
        _ => alert(),
    }
}

/// Each `warning` and `error` finding, with the proposed scenario that
/// tests it (none when no proposed file has that id).
pub(super) fn cover(det: &Detection, findings: &[Finding], files: &[Proposed]) -> Vec<Covered> {
    findings
        .iter()
        .filter(|f| matches!(f.severity, Severity::Warning | Severity::Error))
        .map(|f| Covered {
            finding: format!("{} {} {}", f.severity.name(), f.code, f.subject),
            scenario: scenario_for(det, f)
                .filter(|id| files.iter().any(|p| p.file == format!("{id}.toml"))),
        })
        .collect()
}
