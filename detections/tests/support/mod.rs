//! What several test files of this crate share.

use detections::ioc::IocKind;

/// A hunt condition (a `when` line, with a `match` line before it for
/// `ip:port`s, and an `inert` line for a field DNS rows do not carry) matching `kind`'s list the way its kind is matched: a domain
/// list as the seed's first hunt does (`has_any` on the query name), any
/// other with `in` on a field that carries the kind.
pub fn when_over(kind: IocKind) -> String {
    let (field, op) = match kind {
        IocKind::Domain => ("query_name", "has_any"),
        IocKind::Ipv4 | IocKind::Ipv6 | IocKind::IpPort | IocKind::Cidr => ("remote_ip", "in"),
        IocKind::Url => ("url", "in"),
        IocKind::Sha256 => ("sha256", "in"),
        IocKind::Sha1 => ("sha1", "in"),
        IocKind::Md5 => ("md5", "in"),
    };
    let port = if kind == IocKind::IpPort {
        "match = \"address_port\"\n"
    } else {
        ""
    };
    // The seed's first hunt reads DNS rows, which carry no other kind's
    // field: these tests read the list, not the rows, and say so.
    let inert = if kind == IocKind::Domain {
        ""
    } else {
        "inert = \"a list read on the DNS hunt, to test the list\"\n"
    };
    format!(
        "{inert}{port}when = {{ field = \"{field}\", op = \"{op}\", values_from = \"{}\" }}",
        kind.values_from()
    )
}

/// The seed's first hunt's condition line, which [`when_over`] replaces.
pub const SEED_WHEN: &str =
    "when = { field = \"query_name\", op = \"has_any\", values_from = \"iocs.domain\" }";
