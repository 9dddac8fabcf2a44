//! Deployable forms of a content: KQL for Sentinel's `DnsEvents`, the Defender
//! advanced-hunting tables, the Sysmon `Event` table and ASIM (`_Im_Dns`,
//! `_Im_NetworkSession`, `_Im_WebSession`);
//! Sentinel scheduled analytic rules; Sigma rules. Every form is generated from
//! the one compiled [`Detection`], as text: nothing here reads or writes files.
//!
//! * `file`: a generated file, and the header of every KQL file;
//! * `error`: why a content cannot be exported;
//! * `literal`: string literals for KQL and YAML (no value leaves its literal);
//! * `render`: a content condition as a KQL predicate;
//! * `iocs`: the IOC lists, split to stay within `has_any`'s limit;
//! * `dns`: the DNS hunt over `DnsEvents` and `_Im_Dns`;
//! * `defender`: every hunt with its exclusions over the Defender tables
//!   (connections, digests);
//! * `asim`: the hunts over network rows on ASIM's network and web sessions;
//! * `csl`: the hunts over network rows on `CommonSecurityLog` (firewalls and
//!   proxies);
//! * `network`: a network row's URL and host columns, and the URL
//!   indicators' match keys, as the engine computes them;
//! * `sysmon`: every hunt over Sentinel's `Event` table (Sysmon parsed from XML);
//! * `schedule`: a scheduled rule's window and lookback in its queries;
//! * `sentinel`: analytic rules around the queries;
//! * `watchlist`: a rule's domain lists as watchlists, where its query would
//!   be over Sentinel's 10,000 characters;
//! * `sigma`: Sigma rules.

mod asim;
mod columns;
mod csl;
mod defender;
mod dns;
mod error;
mod file;
mod iocs;
pub(crate) mod literal;
mod network;
mod render;
mod schedule;
mod sentinel;
mod sigma;
mod sysmon;
mod watchlist;

use std::fmt;

use crate::content::{field_name, Detection};
use crate::event::Field;
use crate::spec::RowKind;
use columns::{ASIM, ASIM_NETWORK, ASIM_WEB, CSL, DNSEVENTS};
use file::per_hunt;

pub use asim::{
    network_hunts as asim_network_hunts, network_query as asim_network_query,
    web_hunts as asim_web_hunts, web_query as asim_web_query,
};
pub use csl::{csl_hunts, query as csl_query};
pub use defender::{exclusion_column, query as defender_query, AUDIT_FILTER, DEFENDER_SOURCES};
pub use dns::{asim_query, dns_hunts, dnsevents_query};
pub use error::ExportError;
pub use file::ExportFile;
pub use iocs::{IocLists, MAX_LIST};
pub use literal::{kql_string, yaml_string};
pub use schedule::RuleTimes;
pub use sentinel::rule_id;
pub use watchlist::{alias as watchlist_alias, COLUMN as WATCHLIST_COLUMN, MAX_QUERY};

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The DNS hunt over Sentinel's `DnsEvents` (the seed's query).
    Kql,
    /// Every hunt, with its exclusions, over the Defender tables.
    KqlDefender,
    /// The hunts over network rows, with their exclusions, over
    /// `CommonSecurityLog` (firewalls' and proxies' rows).
    KqlCsl,
    /// Every hunt over Sentinel's `Event` table, Sysmon's `EventData` parsed.
    KqlSysmonEvent,
    /// The DNS hunt over the ASIM DNS schema (`_Im_Dns`), and the hunts over
    /// network rows over ASIM's network and web sessions
    /// (`_Im_NetworkSession`, `_Im_WebSession`).
    KqlAsim,
    /// Sentinel scheduled analytic rules (YAML), one per hunt and table.
    Sentinel,
    /// Sigma rules (YAML).
    Sigma,
}

impl Format {
    /// Every format, in the order `export --help` lists them.
    pub const ALL: [Format; 7] = [
        Format::Kql,
        Format::KqlDefender,
        Format::KqlCsl,
        Format::KqlSysmonEvent,
        Format::KqlAsim,
        Format::Sentinel,
        Format::Sigma,
    ];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Kql => "kql",
            Format::KqlDefender => "kql-defender",
            Format::KqlCsl => "kql-csl",
            Format::KqlSysmonEvent => "kql-sysmon-event",
            Format::KqlAsim => "kql-asim",
            Format::Sentinel => "sentinel",
            Format::Sigma => "sigma",
        }
    }

    /// The format of this name.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl Format {
    /// Whether this format's forms write a predicate on this field: the
    /// Defender form (and the Sentinel rules around it) and the
    /// `CommonSecurityLog` form write a network row's address, URL and host
    /// and (Defender) a file's digests; the ASIM form a network row's
    /// address, URL and host; Sigma all of them (each rule names what its
    /// log source cannot say); the others none of them yet.
    pub fn writes(self, f: Field) -> bool {
        match self {
            Format::KqlDefender | Format::KqlCsl | Format::Sentinel => true,
            Format::KqlAsim => !matches!(f, Field::Sha256 | Field::Sha1 | Field::Md5),
            Format::Kql | Format::KqlSysmonEvent => {
                !f.is_network_field() && !matches!(f, Field::Sha256 | Field::Sha1 | Field::Md5)
            }
            Format::Sigma => true,
        }
    }
}

/// A hunt, or the part of one, a format does not export yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The hunt's id.
    pub hunt: String,
    /// The fields whose predicates are not exported.
    pub fields: Vec<Field>,
    /// Whether the whole hunt is left out (else only those predicates, taken
    /// out of an `any`: the exported hunt matches less than the engine's).
    pub whole: bool,
    /// Whether the hunt is left out because its condition cannot hold on
    /// any row this form reads (it needs fields those rows never carry, such
    /// as a process on a firewall's row), not because the form does not
    /// write them yet.
    pub never: bool,
}

impl fmt::Display for LeftOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.fields.iter().map(|x| field_name(*x)).collect();
        let on = names.join(", ");
        if self.never {
            write!(f, "hunt `{}` is not exported: its condition needs {on}, which this form's rows never carry, so its query can return no row (scan and explain hunt it on the rows that carry them)", self.hunt)
        } else if self.whole {
            write!(f, "hunt `{}` is not exported: this form does not write its conditions on {on} yet (scan and explain hunt it)", self.hunt)
        } else {
            write!(f, "hunt `{}` is exported without its conditions on {on}: this form does not write them yet, so the exported query matches less than scan and explain do", self.hunt)
        }
    }
}

/// What a format exports of a content: the content with each hunt
/// restricted to the predicates the format writes ([`Format::writes`],
/// [`crate::content::Hunt::restricted`]) and the hunts left out whole
/// removed, and what was left out. Every form, and the report's comparison
/// of the forms, reads this view.
pub fn exportable(det: &Detection, format: Format) -> (Detection, Vec<LeftOut>) {
    let exported_field = |f: Field| format.writes(f);
    let mut view = det.clone();
    let mut left = Vec::new();
    view.hunts = det
        .hunts
        .iter()
        .filter_map(|h| {
            let mut fields: Vec<Field> = Vec::new();
            for t in h.when.predicates() {
                if !exported_field(t.field) && !fields.contains(&t.field) {
                    fields.push(t.field);
                }
            }
            if fields.is_empty() {
                return Some(h.clone());
            }
            let kept = h.restricted(exported_field);
            left.push(LeftOut {
                hunt: h.id.clone(),
                fields,
                whole: kept.is_none(),
                never: false,
            });
            kept
        })
        .collect();
    // A `CommonSecurityLog` row names no process: a hunt over network rows
    // that needs one could never return a row there.
    if format == Format::KqlCsl {
        view.hunts.retain(|h| {
            if !h.reads.contains(&RowKind::Network) || csl::can_hold(h) {
                return true;
            }
            let mut fields: Vec<Field> = Vec::new();
            for t in h.when.predicates() {
                if !t.field.is_network_field() && !fields.contains(&t.field) {
                    fields.push(t.field);
                }
            }
            left.push(LeftOut {
                hunt: h.id.clone(),
                fields,
                whole: true,
                never: true,
            });
            false
        });
    }
    (view, left)
}

/// Every file of a format for a content: of each hunt, what
/// [`exportable`] keeps (whoever writes the files names what it leaves out).
pub fn export(det: &Detection, format: Format) -> Result<Vec<ExportFile>, ExportError> {
    export_as(det, format, None)
}

/// [`export`] for a scheduled rule run every `rule.frequency` over
/// `rule.lookback` when `rule` is given: each query keeps the hits of the
/// last window and joins what the whole lookback holds, and the Sentinel
/// rules carry that schedule. Sigma rules carry no schedule: the backend's
/// scheduler runs them.
pub fn export_as(
    det: &Detection,
    format: Format,
    rule: Option<&RuleTimes>,
) -> Result<Vec<ExportFile>, ExportError> {
    let (view, left) = exportable(det, format);
    let original = det;
    let det = &view;
    let files = match format {
        Format::Kql => per_hunt(
            det,
            dns_hunts(det),
            "dnsevents",
            &format!("Sentinel {DNSEVENTS}"),
            |h| dnsevents_query(det, h, false, rule),
        ),
        // The DNS hunts read the `kql` view (a hunt reading DNS and network
        // rows has a DNS form on its query names), the network and web
        // sessions this format's own.
        Format::KqlAsim => {
            let dns = exportable(original, Format::Kql).0;
            let mut files = per_hunt(
                &dns,
                dns_hunts(&dns),
                "asim",
                &format!("ASIM DNS ({ASIM})"),
                |h| asim_query(&dns, h, rule),
            );
            files.extend(per_hunt(
                det,
                asim_network_hunts(det),
                "asim-network",
                &format!("ASIM network session ({ASIM_NETWORK})"),
                |h| asim_network_query(det, h, rule),
            ));
            files.extend(per_hunt(
                det,
                asim_web_hunts(det),
                "asim-web",
                &format!("ASIM web session ({ASIM_WEB})"),
                |h| asim_web_query(det, h, rule),
            ));
            files
        }
        Format::KqlDefender => per_hunt(
            det,
            det.hunts.iter(),
            "defender",
            "Microsoft Defender XDR advanced hunting",
            |h| defender_query(det, h, rule),
        ),
        Format::KqlCsl => per_hunt(
            det,
            csl_hunts(det),
            "csl",
            &format!("Sentinel {CSL} (firewall and proxy)"),
            |h| csl_query(det, h, rule),
        ),
        Format::KqlSysmonEvent => per_hunt(
            det,
            det.hunts.iter(),
            "sysmon-event",
            "Sentinel Event table (Sysmon)",
            |h| sysmon::query(det, h, rule),
        ),
        // Its `DnsEvents` rules hold the `kql` form's query.
        Format::Sentinel => sentinel::files(det, &exportable(original, Format::Kql).0, rule)?,
        Format::Sigma => sigma::files(det),
    };
    if files.is_empty() {
        return Err(ExportError::Nothing {
            content: det.id.clone(),
            format: format.name(),
            why: match format {
                _ if det.hunts.is_empty() && !left.is_empty() => {
                    "no form writes its hunts' conditions yet (network rows' addresses, URLs and hosts, files' digests)".into()
                }
                Format::Kql => {
                    "its DNS form needs a hunt that reads DNS rows on the query name only".into()
                }
                Format::KqlAsim => {
                    "its ASIM forms need a hunt that reads DNS rows on the query name only, or network rows".into()
                }
                Format::KqlCsl => "its CommonSecurityLog form needs a hunt that reads network rows".into(),
                _ => "it has no hunt".into(),
            },
        });
    }
    Ok(files)
}
