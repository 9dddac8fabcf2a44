//! What a careful engineer finds wrong in a published page before deploying
//! it: each defect with the indicator, hunt or exclusion it concerns, what it
//! costs, and a severity.

use std::fmt;
use std::net::IpAddr;

use serde::Serialize;

use super::exclusion::{self, Reading, Tautology};
use super::form::Form;
use super::types::{Block, Page, PageIoc, UrlStatus};
use crate::ioc::IocKind;
use crate::ranges::Ranges;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// It will never work as written.
    Error,
    /// It misses attacks or floods the analyst.
    Warning,
    /// Worth knowing; changes nothing.
    Info,
}

impl Severity {
    /// `error`, `warning`, `info`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// What a finding concerns.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    /// An indicator, by its value.
    Indicator(String),
    /// A hunt, by its id.
    Hunt(String),
    /// An exclusion, by its id.
    Exclusion(String),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Indicator(v) => write!(f, "indicator {v}"),
            Subject::Hunt(v) => write!(f, "hunt {v}"),
            Subject::Exclusion(v) => write!(f, "exclusion {v}"),
        }
    }
}

/// One defect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// How bad.
    pub severity: Severity,
    /// A stable name (`port-dropped`).
    pub code: &'static str,
    /// What it concerns.
    pub subject: Subject,
    /// The hunts it concerns (empty: none in particular).
    pub hunts: Vec<String>,
    /// What it costs.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.severity.name(), self.code, self.subject)?;
        if !self.hunts.is_empty() {
            write!(f, " [{}]", self.hunts.join(", "))?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every finding on a page, indicators first (in the table's order), then
/// each block's literals and form, then each exclusion, then time bounds.
pub fn lint_page(page: &Page, ranges: &Ranges) -> Vec<Finding> {
    let ids = page.hunt_ids();
    let mut out = Vec::new();
    for ioc in &page.iocs {
        indicator(page, &ids, ioc, ranges, &mut out);
    }
    for (block, id) in page.blocks.iter().zip(&ids) {
        literals(block, id, &mut out);
        if block.form == Form::IpFirewall {
            out.push(finding(
                Severity::Warning,
                "firewall-source-ip",
                Subject::Hunt(id.clone()),
                vec![id.clone()],
                "the firewall form also matches `SourceIP`: every inbound scan or probe from a listed address alerts, though no host talks to it".to_owned(),
            ));
        }
    }
    for (fp, id) in page.false_positives.iter().zip(page.exclusion_ids()) {
        exclusion_findings(page, &ids, &exclusion::read(&fp.exclusion), &id, &mut out);
    }
    for (block, id) in page.blocks.iter().zip(&ids) {
        if !block.time_bound {
            out.push(finding(
                Severity::Info,
                "no-time-bound",
                Subject::Hunt(id.clone()),
                vec![id.clone()],
                "no time bound in the query: Sentinel applies the rule's period; run by hand it reads the whole retention".to_owned(),
            ));
        }
    }
    out
}

pub(super) fn finding(
    severity: Severity,
    code: &'static str,
    subject: Subject,
    hunts: Vec<String>,
    message: String,
) -> Finding {
    Finding {
        severity,
        code,
        subject,
        hunts,
        message,
    }
}

/// The kind a page's type names (`ip:port` is `ip_port`).
pub fn kind_of(ioc_type: &str) -> Option<IocKind> {
    Some(match ioc_type {
        "domain" => IocKind::Domain,
        "ip:port" => IocKind::IpPort,
        "url" => IocKind::Url,
        "sha256_hash" => IocKind::Sha256,
        "sha1_hash" => IocKind::Sha1,
        "md5_hash" => IocKind::Md5,
        "ip" => IocKind::Ipv4,
        "ipv6" => IocKind::Ipv6,
        _ => return None,
    })
}

/// A URL's host (`http://a.b:80/x` gives `a.b`).
pub fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    if authority.starts_with('[') {
        return authority
            .split(']')
            .next()
            .map_or(authority, |h| h.trim_start_matches('['));
    }
    authority.split(':').next().unwrap_or(authority)
}

/// An `ip:port`'s address and port.
pub fn split_address(value: &str) -> Option<(&str, &str)> {
    let (a, p) = value.rsplit_once(':')?;
    Some((a.trim_start_matches('[').trim_end_matches(']'), p))
}

/// The hunts whose lists hold `value` (case-insensitive), by id.
fn hunts_with(page: &Page, ids: &[String], value: &str, forms: &[Form]) -> Vec<String> {
    page.blocks
        .iter()
        .zip(ids)
        .filter(|(b, _)| forms.contains(&b.form))
        .filter(|(b, _)| b.list.iter().any(|v| v.trim().eq_ignore_ascii_case(value)))
        .map(|(_, id)| id.clone())
        .collect()
}

/// An indicator's findings: in no query, port dropped, hunted by host only,
/// bare in a shared range, a `botnet_cc` URL only in clicks.
fn indicator(page: &Page, ids: &[String], ioc: &PageIoc, ranges: &Ranges, out: &mut Vec<Finding>) {
    let subject = Subject::Indicator(ioc.value.clone());
    let kind = kind_of(&ioc.ioc_type);
    let url_forms = [Form::UrlClicks, Form::UrlProxy];
    let (exact, bare) = match kind {
        Some(IocKind::IpPort) => {
            let addr = split_address(&ioc.value).map_or("", |(a, _)| a);
            (
                hunts_with(page, ids, &ioc.value, &Form::ALL),
                hunts_with(page, ids, addr, &Form::ALL),
            )
        }
        Some(IocKind::Url) => (
            hunts_with(page, ids, &ioc.value, &url_forms),
            hunts_with(page, ids, url_host(&ioc.value), &Form::ALL),
        ),
        _ => (hunts_with(page, ids, &ioc.value, &Form::ALL), Vec::new()),
    };
    if exact.is_empty() && bare.is_empty() {
        let offline = if ioc.status == Some(UrlStatus::Offline) {
            "offline "
        } else {
            ""
        };
        out.push(finding(
            Severity::Warning,
            "indicator-in-no-query",
            subject,
            Vec::new(),
            format!("the {offline}indicator is in the table but in no query: nothing hunts it (an offline URL's host may serve again)"),
        ));
        return;
    }
    match kind {
        Some(IocKind::IpPort) if exact.is_empty() => {
            let (addr, port) = split_address(&ioc.value).unwrap_or(("", ""));
            out.push(finding(
                Severity::Warning,
                "port-dropped",
                subject.clone(),
                bare.clone(),
                format!("hunted as the bare address {addr}: port {port} dropped, so any port to or from it alerts"),
            ));
            let addr: Option<IpAddr> = addr.parse().ok();
            let shared = addr.map(|a| ranges.address(a)).unwrap_or_default();
            if let Some(s) = shared.first() {
                out.push(finding(
                    Severity::Warning,
                    "shared-range-bare",
                    subject,
                    bare,
                    format!("the address lies in {s} (shared {} infrastructure), hunted bare: every site sharing it alerts", s.provider),
                ));
            }
        }
        Some(IocKind::Url) => url_findings(page, ids, ioc, &exact, bare, out),
        Some(IocKind::Ipv4 | IocKind::Ipv6) => {
            let shared = ioc
                .value
                .parse()
                .map(|a| ranges.address(a))
                .unwrap_or_default();
            if let Some(s) = shared.first() {
                out.push(finding(
                    Severity::Warning,
                    "shared-range-bare",
                    subject,
                    exact,
                    format!("the address lies in {s} (shared {} infrastructure), hunted bare: every site sharing it alerts", s.provider),
                ));
            }
        }
        _ => {}
    }
}

/// A URL's findings: hunted by its host only; a `botnet_cc` URL only in clicks.
fn url_findings(
    page: &Page,
    ids: &[String],
    ioc: &PageIoc,
    exact: &[String],
    bare: Vec<String>,
    out: &mut Vec<Finding>,
) {
    let subject = Subject::Indicator(ioc.value.clone());
    if exact.is_empty() {
        out.push(finding(
            Severity::Warning,
            "url-hunted-by-host",
            subject.clone(),
            bare,
            format!("hunted by its host {} only: its path and port dropped, every request to the host alerts", url_host(&ioc.value)),
        ));
    }
    let all: Vec<&String> = exact.iter().collect();
    let clicks_only = !all.is_empty()
        && page
            .blocks
            .iter()
            .zip(ids)
            .filter(|(_, id)| all.contains(id))
            .all(|(b, _)| b.form == Form::UrlClicks);
    if ioc.threat_type == "botnet_cc" && clicks_only {
        out.push(finding(
            Severity::Warning,
            "botnet-cc-url-clicks-only",
            subject,
            exact.to_vec(),
            "a command-and-control URL hunted only in UrlClickEvents (Safe Links clicks in mail and Office), where C2 traffic never appears".to_owned(),
        ));
    }
}

/// A block's literals that are not the kind its list says: an address used as
/// a DNS name; anything else its form cannot match. One finding a literal.
fn literals(block: &Block, id: &str, out: &mut Vec<Finding>) {
    for lit in &block.list {
        let lit = lit.trim();
        let is_ip = lit.parse::<IpAddr>().is_ok();
        let ok = match block.form {
            Form::IpFirewall | Form::IpEndpoint => is_ip,
            Form::Domain => {
                if is_ip {
                    out.push(finding(
                        Severity::Error,
                        "address-as-dns-name",
                        Subject::Indicator(lit.to_owned()),
                        vec![id.to_owned()],
                        "an address used as a DNS name: a forward lookup never has an address as its name (`has` matches only the reverse lookup of an unrelated address), so it never alerts".to_owned(),
                    ));
                    continue;
                }
                IocKind::Domain.parse(lit).is_ok()
            }
            Form::UrlClicks | Form::UrlProxy => {
                is_ip || IocKind::Url.parse(lit).is_ok() || IocKind::Domain.parse(lit).is_ok()
            }
            Form::Hash => [IocKind::Sha256, IocKind::Sha1, IocKind::Md5]
                .iter()
                .any(|k| k.parse(lit).is_ok()),
        };
        if !ok {
            out.push(finding(
                Severity::Error,
                "literal-kind-mismatch",
                Subject::Indicator(lit.to_owned()),
                vec![id.to_owned()],
                format!("`{lit}` in the list `{}` is not the kind the {} form matches: it never alerts as meant", block.list_name, block.form.label()),
            ));
        }
    }
}

/// Whether any field the exclusion names exists on the form's table (a
/// column it writes, on the table's documented columns).
pub fn applies_to(reading: &Reading, form: Form) -> bool {
    reading.fields.iter().any(|n| match &n.column {
        Some(col) => form.has_column(col),
        None => form.carries(n.field),
    })
}

/// An exclusion's findings: per hunt, a field none of its table carries;
/// always true or false; unexpressed (where it could apply at all).
fn exclusion_findings(
    page: &Page,
    ids: &[String],
    reading: &Reading,
    id: &str,
    out: &mut Vec<Finding>,
) {
    let subject = Subject::Exclusion(id.to_owned());
    let names: Vec<String> = reading
        .fields
        .iter()
        .map(|n| {
            n.column
                .clone()
                .unwrap_or_else(|| crate::content::field_name(n.field).to_owned())
        })
        .collect();
    let mut applies_somewhere = false;
    for (block, hunt) in page.blocks.iter().zip(ids) {
        if reading.fields.is_empty() || applies_to(reading, block.form) {
            applies_somewhere = true;
            continue;
        }
        out.push(finding(
            Severity::Error,
            "exclusion-field-absent",
            subject.clone(),
            vec![hunt.clone()],
            format!(
                "names {} , which {} rows do not carry: it can never apply to this hunt",
                names.join(", "),
                block.form.table()
            )
            .replace(" ,", ","),
        ));
    }
    match reading.tautology {
        Some(t) => out.push(finding(
            Severity::Error,
            match t {
                Tautology::AlwaysTrue => "exclusion-always-true",
                Tautology::AlwaysFalse => "exclusion-always-false",
            },
            subject,
            Vec::new(),
            match t {
                Tautology::AlwaysTrue => {
                    "always true (`!=` joined by OR): it suppresses every row it applies to"
                        .to_owned()
                }
                Tautology::AlwaysFalse => {
                    "always false (`==` of different values joined by AND): it never suppresses"
                        .to_owned()
                }
            },
        )),
        None if reading.unexpressed() && applies_somewhere => out.push(finding(
            Severity::Warning,
            "exclusion-unexpressed",
            subject,
            Vec::new(),
            format!(
                "names {} but no value: it cannot be compiled until someone writes the value in",
                if names.is_empty() {
                    "no field".to_owned()
                } else {
                    names.join(", ")
                }
            ),
        )),
        None => {}
    }
}
