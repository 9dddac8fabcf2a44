//! What ThreatFox's CSV and JSON exports share: field names (the export's, then
//! the API's for the same field), `ioc_type` values, `None` for empty.

use super::value::{confidence, Collector, Declared};
use super::{FeedFields, Location};
use crate::ioc::IocKind;

/// Names of the value: the export's, then the API's.
pub(super) const VALUE: &[&str] = &["ioc_value", "ioc"];

/// The kind a ThreatFox `ioc_type` declares.
fn kind(t: &str) -> Declared {
    match t {
        "domain" => Declared::Is(IocKind::Domain),
        "url" => Declared::Is(IocKind::Url),
        "ip:port" => Declared::Is(IocKind::IpPort),
        "ip" => Declared::Ip,
        "sha256_hash" => Declared::Is(IocKind::Sha256),
        "sha1_hash" => Declared::Is(IocKind::Sha1),
        "md5_hash" => Declared::Is(IocKind::Md5),
        t if t.ends_with("_hash") => Declared::OtherHash,
        t => Declared::Other(t.to_owned()),
    }
}

/// A field's value, unless empty or ThreatFox's `None`.
fn present(v: String) -> Option<String> {
    let t = v.trim();
    (!t.is_empty() && t != "None").then_some(v)
}

/// Offer one ThreatFox entry to `c`. `get` gives the value of a column or key by
/// name (arrays joined with `,`); `id` is the entry's id when it is not a field
/// (the JSON export's key).
pub(super) fn offer(
    c: &mut Collector,
    at: Location,
    get: &dyn Fn(&str) -> Option<String>,
    id: Option<String>,
) {
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| get(n).and_then(present))
            .map(|v| v.trim().to_owned())
    };
    let written = VALUE
        .iter()
        .find_map(|n| get(n).and_then(present))
        .unwrap_or_default();
    let ioc_type = field(&["ioc_type"]);
    let declared = ioc_type.as_deref().map_or(Declared::Unspecified, kind);
    let conf = field(&["confidence_level"]);
    let confidence = conf.as_deref().and_then(confidence);
    if let (Some(c_text), None) = (&conf, confidence) {
        c.note(
            Some(at.clone()),
            format!("confidence_level `{c_text}` is not a whole number from 0 to 100; left empty"),
        );
    }
    let tags = field(&["tags"])
        .map(|t| {
            t.split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let fields = FeedFields {
        ioc_type,
        threat_type: field(&["threat_type"]),
        malware_family: field(&["malware_printable", "malware", "fk_malware"]),
        first_seen: field(&["first_seen_utc", "first_seen"]),
        last_seen: field(&["last_seen_utc", "last_seen"]),
        confidence,
        reference: field(&["reference"]),
        tags,
        id: id.or_else(|| field(&["ioc_id", "id"])),
    };
    c.offer(at, &written, &declared, fields);
}
