//! Checks of a scenario's own values, and of a library of scenarios as a whole.

use super::check::Check;
use super::error::ScenarioError;
use super::expect::Expected;
use super::types::{Endpoint, Scenario, ScenarioKind};
use crate::options::MAX_HOURS;

impl Scenario {
    /// Check the scenario's own values (what [`Scenario::parse`] checks after
    /// reading; [`lint`] runs it again on scenarios built in code).
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let c = Check {
            origin: &self.origin,
        };
        if self.id.is_empty()
            || !self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(c.bad(
                "id",
                format!("`{}` must be lowercase letters, digits and `-`", self.id),
            ));
        }
        c.text("title", &self.title)?;
        c.text("description", &self.description)?;
        let g = &self.generator;
        if g.hosts == 0 {
            return Err(c.bad("generator.hosts", "must be at least 1"));
        }
        if g.host_prefix.is_empty()
            || !g
                .host_prefix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(c.bad(
                "generator.host_prefix",
                format!("`{}` must be letters, digits and `-`", g.host_prefix),
            ));
        }
        if g.users.is_empty() {
            return Err(c.bad("generator.users", "must name at least one account"));
        }
        for (i, u) in g.users.iter().enumerate() {
            if u.trim().is_empty() || u.contains(['\\', '/', '"']) {
                return Err(c.bad(
                    &format!("generator.users[{i}]"),
                    format!("`{u}` is not an account name"),
                ));
            }
        }
        let hours = c.positive("generator.hours", g.hours)?;
        if hours > MAX_HOURS {
            return Err(c.bad(
                "generator.hours",
                format!("must be at most a year ({MAX_HOURS}), got {hours}"),
            ));
        }
        if !(0.0..1.0).contains(&g.jitter) {
            return Err(c.bad(
                "generator.jitter",
                format!("must be at least 0 and below 1, got {}", g.jitter),
            ));
        }
        c.text("generator.dns_server", &g.dns_server)?;
        if g.endpoint == Endpoint::None && !g.server_dns {
            return Err(c.bad(
                "generator.server_dns",
                "with `endpoint = \"none\"`, `server_dns = false` leaves no sensor to record anything",
            ));
        }
        Ok(())
    }
}

/// Check a library of scenarios: each scenario's own values, unique ids and host
/// prefixes, expectations that name known exclusions (`suppressed` must name
/// one; `no-match` must not), and kinds that fit their templates.
pub fn lint(scenarios: &[Scenario], known_exclusions: &[&str]) -> Vec<ScenarioError> {
    let mut out = Vec::new();
    let bad = |s: &Scenario, field: &str, message: String| ScenarioError::Invalid {
        origin: s.origin.clone(),
        field: field.to_owned(),
        message,
    };
    for (i, s) in scenarios.iter().enumerate() {
        if let Err(e) = s.validate() {
            out.push(e);
        }
        if let Some(first) = scenarios[..i].iter().find(|o| o.id == s.id) {
            out.push(bad(
                s,
                "id",
                format!("duplicate id `{}` (also in {})", s.id, first.origin),
            ));
        }
        if let Some(first) = scenarios[..i].iter().find(|o| {
            o.generator
                .host_prefix
                .eq_ignore_ascii_case(&s.generator.host_prefix)
        }) {
            out.push(bad(
                s,
                "generator.host_prefix",
                format!(
                    "`{}` is also used by `{}` ({}); host names must be unique per scenario",
                    s.generator.host_prefix, first.id, first.origin
                ),
            ));
        }
        match (&s.expect.exclusion, s.expect.outcome) {
            (None, Expected::Suppressed) => out.push(bad(
                s,
                "expect.exclusion",
                "outcome `suppressed` must name the exclusion that suppresses it".into(),
            )),
            (Some(x), Expected::NoMatch) => out.push(bad(
                s,
                "expect.exclusion",
                format!("outcome `no-match` cannot name an exclusion (`{x}`): nothing fires to suppress"),
            )),
            (Some(x), _) if !known_exclusions.contains(&x.as_str()) => out.push(bad(
                s,
                "expect.exclusion",
                format!("unknown exclusion `{x}`; known: {}", known_exclusions.join(", ")),
            )),
            _ => {}
        }
        let malicious_template = s.generator.template.is_malicious();
        match s.kind {
            ScenarioKind::Malicious | ScenarioKind::Adversarial if !malicious_template => {
                out.push(bad(
                    s,
                    "generator.template",
                    format!(
                        "a {} scenario needs the `nanocore-infection` template, not `{}`",
                        s.kind.name(),
                        s.generator.template.name()
                    ),
                ))
            }
            ScenarioKind::Benign | ScenarioKind::Background if malicious_template => out.push(bad(
                s,
                "generator.template",
                format!(
                    "a {} scenario cannot use `nanocore-infection` (its rows are malicious)",
                    s.kind.name()
                ),
            )),
            _ => {}
        }
        if s.kind == ScenarioKind::Malicious && s.expect.outcome != Expected::Alert {
            out.push(bad(
                s,
                "expect.outcome",
                "a malicious scenario must expect `alert`".into(),
            ));
        }
        if s.kind == ScenarioKind::Adversarial && s.expect.exclusion.is_none() {
            out.push(bad(
                s,
                "expect.exclusion",
                "an adversarial scenario must name the exclusion the malware satisfies".into(),
            ));
        }
    }
    out
}
