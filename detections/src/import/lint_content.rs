//! A content's findings. The hunts an import read literally (`as_published`)
//! are linted as the page they came from: their queries are its blocks, the
//! content's indicators its table, each exclusion's and unexpressed entry's
//! text its false-positive entries; each finding then names the content's
//! own hunts and exclusions, an exclusion's finding only the hunts that list
//! it. What the content alone says is added: each exclusion kept unexpressed,
//! each indicator in a shared range.

use super::lint::{finding, lint_page, Finding, Severity, Subject};
use super::page::read_query;
use super::types::{FalsePositive, Feed, Page, PageIoc, UrlStatus};
use crate::content::Detection;
use crate::ioc::IocKind;
use crate::ranges::Ranges;

/// A content's findings: its `as_published` hunts linted as their page,
/// then what the content alone says of the rest (an entry the page's lint
/// read is judged by it alone; a finding the page's lint already
/// made, by code and subject, is not made twice; a shared range hunted bare
/// is not also a shared range).
pub fn lint_detection(det: &Detection, ranges: &Ranges) -> Vec<Finding> {
    let paged = as_page(det);
    let mut out = paged
        .as_ref()
        .map_or_else(Vec::new, |p| p.findings(det, ranges));
    let linted = |s: &Subject| match (s, &paged) {
        (Subject::Exclusion(x), Some(p)) => p.exclusions.contains(x),
        _ => false,
    };
    for f in content_findings(det, ranges) {
        if linted(&f.subject) {
            continue;
        }
        let made = |o: &Finding| {
            o.subject == f.subject
                && (o.code == f.code || (f.code == "shared-range" && o.code == "shared-range-bare"))
        };
        if !out.iter().any(made) {
            out.push(f);
        }
    }
    out
}

/// The page an import's literal hunts came from, and the content's ids of
/// its blocks and of its false-positive entries, in order.
struct Paged {
    page: Page,
    hunts: Vec<String>,
    exclusions: Vec<String>,
}

/// The type a page's IOC table writes for a kind (`ip:port`).
fn page_type(kind: IocKind) -> &'static str {
    match kind {
        IocKind::Domain => "domain",
        IocKind::IpPort => "ip:port",
        IocKind::Url => "url",
        IocKind::Sha256 => "sha256_hash",
        IocKind::Sha1 => "sha1_hash",
        IocKind::Md5 => "md5_hash",
        IocKind::Ipv4 => "ip",
        IocKind::Ipv6 => "ipv6",
        IocKind::Cidr => "cidr",
    }
}

fn as_page(det: &Detection) -> Option<Paged> {
    let (mut blocks, mut hunts) = (Vec::new(), Vec::new());
    for h in det.hunts.iter().filter(|h| h.as_published) {
        let Some(Ok(read)) = h.kql.as_deref().map(read_query) else {
            continue;
        };
        if let [block] = read.blocks.as_slice() {
            blocks.push(block.clone());
            hunts.push(h.id.clone());
        }
    }
    if blocks.is_empty() {
        return None;
    }
    let iocs = det
        .iocs
        .iter()
        .map(|i| PageIoc {
            line: 0,
            ioc_type: page_type(i.kind).to_owned(),
            value: i.value.clone(),
            threat_type: i.threat_type.clone(),
            first_seen: i.first_seen.clone(),
            confidence: i.confidence,
            status: match i.status.as_str() {
                "online" => Some(UrlStatus::Online),
                "offline" => Some(UrlStatus::Offline),
                _ => None,
            },
        })
        .collect();
    let entry = |scenario: &str, description: &str, text: &str| FalsePositive {
        line: 0,
        scenario: scenario.to_owned(),
        description: description.to_owned(),
        exclusion: text.to_owned(),
    };
    let mut false_positives = Vec::new();
    let mut exclusions = Vec::new();
    for x in &det.exclusions {
        false_positives.push(entry(&x.scenario, &x.description, &x.seed_text));
        exclusions.push(x.id.clone());
    }
    for u in &det.unexpressed {
        false_positives.push(entry(&u.scenario, &u.description, &u.seed_text));
        exclusions.push(u.id.get_ref().clone());
    }
    Some(Paged {
        page: Page {
            feed: Feed::ThreatFox,
            family: String::new(),
            iocs,
            blocks,
            tables: Vec::new(),
            false_positives,
        },
        hunts,
        exclusions,
    })
}

impl Paged {
    /// The page's findings in the content's ids.
    fn findings(&self, det: &Detection, ranges: &Ranges) -> Vec<Finding> {
        let page_hunts = self.page.hunt_ids();
        let page_exclusions = self.page.exclusion_ids();
        let hunt = |id: &String| {
            page_hunts
                .iter()
                .position(|p| p == id)
                .map_or_else(|| id.clone(), |i| self.hunts[i].clone())
        };
        let exclusion = |id: &String| {
            page_exclusions
                .iter()
                .position(|p| p == id)
                .map_or_else(|| id.clone(), |i| self.exclusions[i].clone())
        };
        let mut out = Vec::new();
        for mut f in lint_page(&self.page, ranges) {
            f.hunts = f.hunts.iter().map(hunt).collect();
            f.subject = match f.subject {
                Subject::Hunt(h) => Subject::Hunt(hunt(&h)),
                Subject::Exclusion(x) => Subject::Exclusion(exclusion(&x)),
                s @ Subject::Indicator(_) => s,
            };
            if let Subject::Exclusion(x) = &f.subject {
                let before = f.hunts.len();
                f.hunts.retain(|h| lists(det, h, x));
                if before > 0 && f.hunts.is_empty() {
                    continue;
                }
            }
            if f.code == "indicator-in-no-query" && read_by_another(det, &f.subject) {
                continue;
            }
            out.push(f);
        }
        out
    }
}

/// Whether hunt `hunt` lists exclusion (or unexpressed entry) `id`.
fn lists(det: &Detection, hunt: &str, id: &str) -> bool {
    let listed = det
        .hunts
        .iter()
        .find(|h| h.id == hunt)
        .is_some_and(|h| h.exclusions.iter().any(|&x| det.exclusions[x].id == id));
    listed
        || det
            .unexpressed
            .iter()
            .any(|u| u.id.get_ref() == id && u.hunts.iter().any(|h| h.get_ref() == hunt))
}

/// Whether a hunt that is not read as published reads the indicator (its
/// kind's list, or its value).
fn read_by_another(det: &Detection, subject: &Subject) -> bool {
    let Subject::Indicator(value) = subject else {
        return false;
    };
    let kind = det.iocs.iter().find(|i| &i.value == value).map(|i| i.kind);
    det.hunts.iter().filter(|h| !h.as_published).any(|h| {
        h.when.predicates().iter().any(|t| {
            (t.list.is_some() && t.list == kind)
                || t.values.iter().any(|v| v.eq_ignore_ascii_case(value))
        })
    })
}

/// What the content alone says: each exclusion kept unexpressed (a warning
/// when it names no value, an error when always true or false), and each
/// indicator in a shared range (`info`: whether a hunt takes it bare is
/// the page's lint).
fn content_findings(det: &Detection, ranges: &Ranges) -> Vec<Finding> {
    use crate::spec::Unexpressible;
    let mut out = Vec::new();
    let declared = det
        .hunts
        .iter()
        .map(|h| (Subject::Hunt(h.id.clone()), &h.reads, &h.when, &h.inert))
        .chain(det.exclusions.iter().map(|x| {
            (
                Subject::Exclusion(x.id.clone()),
                &x.applies_to,
                &x.when,
                &x.inert,
            )
        }));
    for (subject, kinds, when, inert) in declared {
        let fields = crate::content::uncarried(kinds, when);
        if let (false, Some(why)) = (fields.is_empty(), inert) {
            let names: Vec<&str> = fields
                .iter()
                .map(|&f| crate::content::field_name(f))
                .collect();
            out.push(finding(
                Severity::Warning,
                "inert-predicate",
                subject,
                Vec::new(),
                format!(
                    "reads {}, which no row it reads carries: declared inert ({why}), it never holds",
                    names.join(", ")
                ),
            ));
        }
    }
    for ioc in &det.iocs {
        if let Some(s) = ranges.indicator(ioc.kind, &ioc.value).first() {
            out.push(finding(
                Severity::Info,
                "shared-range",
                Subject::Indicator(ioc.value.clone()),
                Vec::new(),
                format!("lies in {s} (shared {} infrastructure): a hunt on it alone alerts on every site sharing it", s.provider),
            ));
        }
    }
    for u in &det.unexpressed {
        let hunts = u.hunts.iter().map(|h| h.get_ref().clone()).collect();
        let (severity, code, message) = match u.why {
            Unexpressible::NoValue => (
                Severity::Warning,
                "exclusion-unexpressed",
                "its text names no value: it cannot be compiled until someone writes the value in",
            ),
            Unexpressible::AlwaysTrue => (
                Severity::Error,
                "exclusion-always-true",
                "always true as written: read literally it would suppress every row it applies to",
            ),
            Unexpressible::AlwaysFalse => (
                Severity::Error,
                "exclusion-always-false",
                "always false as written: it never suppresses",
            ),
        };
        out.push(finding(
            severity,
            code,
            Subject::Exclusion(u.id.get_ref().clone()),
            hunts,
            message.to_owned(),
        ));
    }
    out
}
