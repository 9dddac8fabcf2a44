//! Checks of a scenario's own values, and of a library of scenarios as a whole.

use super::check::Check;
use super::error::{Problem, ScenarioError};
use super::expect::Expected;
use super::types::{Endpoint, Scenario, ScenarioKind, Windows};
use crate::options::MAX_HOURS;

/// The values of a scenario that [`check_values`] reads: taken from a built
/// scenario, or from a file's before its template is compiled (so a bad template
/// does not hide other problems).
#[derive(Debug)]
pub(super) struct Values<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) hosts: u32,
    pub(super) host_prefix: &'a str,
    pub(super) users: &'a [String],
    pub(super) hours: f64,
    pub(super) jitter: f64,
    pub(super) dns_server: &'a str,
    pub(super) endpoint: Endpoint,
    pub(super) server_dns: bool,
    pub(super) dns_forwarder: bool,
    pub(super) windows: &'a [Windows],
}

impl<'a> Values<'a> {
    fn of(s: &'a Scenario) -> Values<'a> {
        let g = &s.generator;
        Values {
            id: &s.id,
            title: &s.title,
            description: &s.description,
            hosts: g.hosts,
            host_prefix: &g.host_prefix,
            users: &g.users,
            hours: g.hours,
            jitter: g.jitter,
            dns_server: &g.dns_server,
            endpoint: g.endpoint,
            server_dns: g.server_dns,
            dns_forwarder: g.dns_forwarder,
            windows: &g.windows,
        }
    }
}

/// Check a scenario's own values (every one that does not depend on its
/// template).
pub(super) fn check_values(c: &mut Check<'_>, v: &Values<'_>) {
    if v.id.is_empty()
        || !v
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        c.bad(
            "id",
            format!("`{}` must be lowercase letters, digits and `-`", v.id),
        );
    }
    c.text("title", v.title);
    c.text("description", v.description);
    if v.hosts == 0 {
        c.bad("generator.hosts", "must be at least 1");
    }
    if v.host_prefix.is_empty()
        || !v
            .host_prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        c.bad(
            "generator.host_prefix",
            format!("`{}` must be letters, digits and `-`", v.host_prefix),
        );
    }
    if v.users.is_empty() {
        c.bad("generator.users", "must name at least one account");
    }
    for (i, u) in v.users.iter().enumerate() {
        if u.trim().is_empty() || u.contains(['\\', '/', '"']) {
            c.bad(
                &format!("generator.users[{i}]"),
                format!("`{u}` is not an account name"),
            );
        }
    }
    let hours = c.positive("generator.hours", v.hours);
    if hours.is_finite() && hours > MAX_HOURS {
        c.bad(
            "generator.hours",
            format!("must be at most a year ({MAX_HOURS}), got {hours}"),
        );
    }
    if !(0.0..1.0).contains(&v.jitter) {
        c.bad(
            "generator.jitter",
            format!("must be at least 0 and below 1, got {}", v.jitter),
        );
    }
    c.text("generator.dns_server", v.dns_server);
    if v.dns_forwarder && !v.server_dns {
        c.bad(
            "generator.dns_forwarder",
            "a forwarder sends lookups to the DNS server: it needs `server_dns = true`",
        );
    }
    if v.windows.is_empty() {
        c.bad("generator.windows", "must name at least one release");
    }
    if v.endpoint == Endpoint::None && !v.server_dns {
        c.bad(
            "generator.server_dns",
            "with `endpoint = \"none\"`, `server_dns = false` leaves no sensor to record anything",
        );
    }
}

impl Scenario {
    /// Check the scenario's own values (what [`Scenario::parse`] checks after
    /// reading; [`lint`] runs it again on scenarios built in code). Every problem
    /// is reported, each naming its field.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let mut c = Check::new(None);
        check_values(&mut c, &Values::of(self));
        c.finish(&self.origin)
    }
}

/// Check a library of scenarios: each scenario's own values, unique ids and host
/// prefixes, expectations that say what the detection should do for the
/// scenario's kind (malicious and adversarial: `alert`; benign: `suppressed` or
/// `no-alert`; background: `no-match` or `no-alert`) and name known exclusions
/// (`suppressed` must name one, adversarial scenarios the one they are shaped to
/// satisfy, others none), and kinds that fit their templates.
pub fn lint(scenarios: &[Scenario], known_exclusions: &[&str]) -> Vec<ScenarioError> {
    let mut out = Vec::new();
    let bad = |s: &Scenario, field: &str, message: String| ScenarioError {
        origin: s.origin.clone(),
        problems: vec![Problem {
            line: None,
            field: Some(field.to_owned()),
            message,
        }],
    };
    for (i, s) in scenarios.iter().enumerate() {
        if let Err(e) = s.validate() {
            // One error a problem, as for the library's own problems below.
            out.extend(e.problems.into_iter().map(|p| ScenarioError {
                origin: e.origin.clone(),
                problems: vec![p],
            }));
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
            (Some(x), Expected::NoMatch | Expected::NoAlert) => out.push(bad(
                s,
                "expect.exclusion",
                format!(
                    "outcome `{}` cannot name an exclusion (`{x}`): no exclusion is expected to act",
                    s.expect.outcome.name()
                ),
            )),
            (Some(x), Expected::Alert) if s.kind != ScenarioKind::Adversarial => out.push(bad(
                s,
                "expect.exclusion",
                format!(
                    "only an adversarial scenario names an exclusion with `alert` (the one it is shaped to satisfy), not `{x}`"
                ),
            )),
            (Some(x), _) if !known_exclusions.contains(&x.as_str()) => out.push(bad(
                s,
                "expect.exclusion",
                format!("unknown exclusion `{x}`; known: {}", known_exclusions.join(", ")),
            )),
            _ => {}
        }
        let allowed: &[Expected] = match s.kind {
            ScenarioKind::Malicious | ScenarioKind::Adversarial => &[Expected::Alert],
            ScenarioKind::Benign => &[Expected::Suppressed, Expected::NoAlert],
            ScenarioKind::Background => &[Expected::NoMatch, Expected::NoAlert],
        };
        if !allowed.contains(&s.expect.outcome) {
            let names: Vec<String> = allowed.iter().map(|o| format!("`{}`", o.name())).collect();
            out.push(bad(
                s,
                "expect.outcome",
                format!(
                    "a {} scenario must expect {} (what the detection should do), not `{}`; a content that does otherwise declares a known gap",
                    s.kind.name(),
                    names.join(" or "),
                    s.expect.outcome.name()
                ),
            ));
        }
        let malicious_template = s.generator.template.is_malicious();
        match s.kind {
            ScenarioKind::Malicious | ScenarioKind::Adversarial if !malicious_template => {
                out.push(bad(
                    s,
                    "generator.template",
                    format!(
                        "a {} scenario needs a malicious template (`implant` or `nanocore-infection`), not `{}`",
                        s.kind.name(),
                        s.generator.template.name()
                    ),
                ))
            }
            ScenarioKind::Benign | ScenarioKind::Background if malicious_template => out.push(bad(
                s,
                "generator.template",
                format!(
                    "a {} scenario cannot use `{}` (its rows are malicious)",
                    s.kind.name(),
                    s.generator.template.name()
                ),
            )),
            _ => {}
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
