//! Deployable forms of a content: KQL for Sentinel's `DnsEvents`, the Defender
//! advanced-hunting tables, the Sysmon `Event` table and ASIM `_Im_Dns`;
//! Sentinel scheduled analytic rules; Sigma rules. Every form is generated from
//! the one compiled [`Detection`], as text: nothing here reads or writes files.
//!
//! * `file`: a generated file, and the header of every KQL file;
//! * `literal`: string literals for KQL and YAML (no value leaves its literal);
//! * `render`: a content condition as a KQL predicate;
//! * `iocs`: the IOC lists, split to stay within `has_any`'s limit;
//! * `dns`: the DNS hunt over `DnsEvents` and `_Im_Dns`;
//! * `defender`: every hunt with its exclusions over the Defender tables;
//! * `sysmon`: every hunt over Sentinel's `Event` table (Sysmon parsed from XML);
//! * `sentinel`: analytic rules around the queries;
//! * `sigma`: Sigma rules.

mod columns;
mod defender;
mod dns;
mod file;
mod iocs;
pub(crate) mod literal;
mod render;
mod sentinel;
mod sigma;
mod sysmon;

use thiserror::Error;

use crate::content::Detection;
use crate::spec::RowKind;
use columns::{ASIM, DNSEVENTS};
use file::per_hunt;

pub use defender::{exclusion_column, query as defender_query, AUDIT_FILTER, DEFENDER_SOURCES};
pub use dns::{asim_query, dns_hunts, dnsevents_query};
pub use file::ExportFile;
pub use iocs::{IocLists, MAX_LIST};
pub use literal::{kql_string, yaml_string};
pub use sentinel::rule_id;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The DNS hunt over Sentinel's `DnsEvents` (the seed's query).
    Kql,
    /// Every hunt, with its exclusions, over the Defender tables.
    KqlDefender,
    /// Every hunt over Sentinel's `Event` table, Sysmon's `EventData` parsed.
    KqlSysmonEvent,
    /// The DNS hunt over the ASIM DNS schema (`_Im_Dns`).
    KqlAsim,
    /// Sentinel scheduled analytic rules (YAML), one per hunt and table.
    Sentinel,
    /// Sigma rules (YAML).
    Sigma,
}

impl Format {
    /// Every format, in the order `export --help` lists them.
    pub const ALL: [Format; 6] = [
        Format::Kql,
        Format::KqlDefender,
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

/// Why a content cannot be exported in a format.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExportError {
    /// A hunt reads rows no export form writes a query for yet.
    #[error("hunt `{hunt}` of content `{content}` reads network rows (connections, proxy requests, clicks): the {format} form has no network query yet, so nothing is exported rather than a query that misses them")]
    Unsupported {
        /// The content's id.
        content: String,
        /// The hunt.
        hunt: String,
        /// The format's name.
        format: &'static str,
    },
    /// No hunt of the content has a form in this format.
    #[error("no hunt of content `{content}` has a {format} form: {why}")]
    Nothing {
        /// The content's id.
        content: String,
        /// The format's name.
        format: &'static str,
        /// Why.
        why: String,
    },
}

/// Every file of a format for a content.
pub fn export(det: &Detection, format: Format) -> Result<Vec<ExportFile>, ExportError> {
    if let Some(h) = det
        .hunts
        .iter()
        .find(|h| h.reads.contains(&RowKind::Network))
    {
        return Err(ExportError::Unsupported {
            content: det.id.clone(),
            hunt: h.id.clone(),
            format: format.name(),
        });
    }
    let files = match format {
        Format::Kql => per_hunt(
            det,
            dns_hunts(det),
            "dnsevents",
            &format!("Sentinel {DNSEVENTS}"),
            |h| dnsevents_query(det, h, false),
        ),
        Format::KqlAsim => per_hunt(
            det,
            dns_hunts(det),
            "asim",
            &format!("ASIM DNS ({ASIM})"),
            |h| asim_query(det, h),
        ),
        Format::KqlDefender => per_hunt(
            det,
            det.hunts.iter(),
            "defender",
            "Microsoft Defender XDR advanced hunting",
            |h| defender_query(det, h),
        ),
        Format::KqlSysmonEvent => per_hunt(
            det,
            det.hunts.iter(),
            "sysmon-event",
            "Sentinel Event table (Sysmon)",
            |h| sysmon::query(det, h),
        ),
        Format::Sentinel => sentinel::files(det),
        Format::Sigma => sigma::files(det),
    };
    if files.is_empty() {
        return Err(ExportError::Nothing {
            content: det.id.clone(),
            format: format.name(),
            why: match format {
                Format::Kql | Format::KqlAsim => {
                    "its DNS form needs a hunt that reads DNS rows on the query name only".into()
                }
                _ => "it has no hunt".into(),
            },
        });
    }
    Ok(files)
}
