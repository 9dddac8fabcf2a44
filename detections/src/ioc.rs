//! Indicators of compromise: their kinds ([`IocKind`], each parsed and
//! normalised by [`IocKind::parse`]), and the normalisation of domain values.
//!
//! * [`kind`]: the kinds, their names and `values_from` lists.
//! * `infer`: the kind a value is written as, when nothing says.
//! * `net`: IPv4 and IPv6 addresses, an address and port, CIDR ranges.
//! * `url`: URLs; `hash`: SHA-256, SHA-1 and MD5.
//! * `domain`: domain values, and the changes normalising makes.
//! * `refang`: the defanged forms of the kinds other than domains.

mod domain;
mod hash;
mod infer;
pub mod kind;
mod net;
mod parse;
mod refang;
mod url;

use serde::{Deserialize, Serialize};

pub use domain::{normalize_domain, DomainError, Normalisation};
pub use kind::{IocKind, KindSet};
pub use parse::{IocError, Parsed};
pub use refang::refang;

/// One indicator, with every field its source gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ioc {
    /// Indicator type (`domain`), written as its name.
    #[serde(rename = "type")]
    pub kind: IocKind,
    /// The value, normalised (see [`IocKind::parse`]).
    pub value: String,
    /// Threat type (`botnet_cc`).
    pub threat_type: String,
    /// First seen (date as the source wrote it).
    pub first_seen: String,
    /// Confidence, 0 to 100; none when the source gives none (a plain list,
    /// URLhaus).
    pub confidence: Option<u8>,
    /// Malware family.
    pub malware_family: String,
    /// Where the indicator came from.
    pub source: String,
    /// `online` or `offline` where the source says (URLhaus); empty otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status: String,
}
