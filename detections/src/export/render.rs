//! The KQL dialect of a content condition: a predicate over named columns.

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::iocs::IocLists;
use super::literal::kql_string;
use crate::content::{Cond, Dialect, Term};
use crate::event::Field;
use crate::ioc::IocKind;
use crate::matcher::indicator::{row_address, split_ip_port, url_match_keys, PortMatch};
use crate::spec::OpName;

/// The columns a network row's `let` computes for the indicator kinds (see
/// [`super::network`]): the remote port, the full URL, and the URL's and the
/// host's match keys.
pub(super) const REMOTE_PORT: &str = "remote_port";
pub(super) const URL_KEY: &str = "url_key";
pub(super) const HOST_KEY: &str = "host_key";

/// How a condition's names are written.
pub(super) struct Names<'a> {
    /// The column holding a field, `None` where the table has no such column
    /// (the predicate is then `false`: absent evidence never holds).
    pub column: &'a dyn Fn(Field) -> Option<String>,
    /// The domain IOC lists: a `has_any` over exactly their values reads
    /// them by name ([`IocLists::names_list`]).
    pub iocs: Option<&'a IocLists<'a>>,
}

/// One predicate or a condition as KQL: `false` where a field is absent.
pub(super) fn cond(c: &Cond, names: &Names<'_>) -> String {
    c.write(names).unwrap_or_else(|| "false".into())
}

/// KQL over these names; `None` is `false` (a predicate on a column the table
/// lacks, and every `all` that holds one).
impl<'c> Dialect<'c> for Names<'_> {
    type Out = Option<String>;

    fn term(&self, t: Term<'c>) -> Option<String> {
        let col = (self.column)(t.field)?;
        if let Some(kind) = t.list.filter(|k| *k != IocKind::Domain) {
            return indicator(&col, t, kind);
        }
        if let Some(lists) = self.iocs.filter(|l| l.names_list(&t)) {
            let parts: Vec<String> = lists
                .names
                .iter()
                .map(|l| format!("{col} has_any ({l})"))
                .collect();
            return Some(any(parts));
        }
        let op = t.op.kql();
        Some(match t.op {
            OpName::HasAny | OpName::In | OpName::InCi => {
                let list: Vec<String> = t.values.iter().map(|v| kql_string(v)).collect();
                format!("{col} {op} ({})", list.join(", "))
            }
            _ => any(t
                .values
                .iter()
                .map(|v| format!("{col} {op} {}", kql_string(v)))
                .collect()),
        })
    }

    fn any(&self, parts: Vec<Option<String>>) -> Option<String> {
        let parts: Vec<String> = parts.into_iter().flatten().collect();
        (!parts.is_empty()).then(|| any(parts))
    }

    fn all(&self, parts: Vec<Option<String>>) -> Option<String> {
        let parts: Vec<String> = parts.into_iter().collect::<Option<_>>()?;
        Some(match parts.len() {
            1 => parts.into_iter().next().unwrap_or_default(),
            _ => format!("({})", parts.join(" and ")),
        })
    }
}

/// Parts joined by `or`, in parentheses when there are several.
fn any(parts: Vec<String>) -> String {
    if parts.len() == 1 {
        parts.into_iter().next().unwrap_or_default()
    } else {
        format!("({})", parts.join(" or "))
    }
}

/// An address's texts as a row may write it: IPv4 also as IPv4-mapped IPv6
/// (`::ffff:198.51.100.7`, as Defender writes `RemoteIP`).
pub(super) fn address_texts(a: IpAddr, out: &mut Vec<String>) {
    let texts = match a {
        IpAddr::V4(v4) => vec![v4.to_string(), format!("::ffff:{v4}")],
        IpAddr::V6(v6) => vec![v6.to_string()],
    };
    for t in texts {
        if !out.contains(&t) {
            out.push(t);
        }
    }
}

/// `col in~ (...)` over these texts.
fn in_list(col: &str, texts: &[String]) -> String {
    let list: Vec<String> = texts.iter().map(|v| kql_string(v)).collect();
    format!("{col} in~ ({})", list.join(", "))
}

/// A predicate over an address, URL or digest indicator list, with the
/// engine's rule for its kind ([`crate::matcher::indicator`]): an address
/// in any of its texts; an `ip:port` with the row's remote port where the
/// hunt matches ports (on the remote address only: no other column has a
/// port); a range by `ipv4_is_in_any_range` (IPv4-mapped rows by
/// `ipv6_is_in_any_range` over the same ranges mapped) or
/// `ipv6_is_in_any_range`; a URL by its match key on a row with a full URL,
/// else by its host; a digest in any case. `None` where it can hold on no
/// row of this form.
fn indicator(col: &str, t: Term<'_>, kind: IocKind) -> Option<String> {
    match kind {
        IocKind::Domain => None,
        IocKind::Ipv4 | IocKind::Ipv6 => {
            let mut texts = Vec::new();
            for a in t.values.iter().filter_map(|v| row_address(v)) {
                address_texts(a, &mut texts);
            }
            (!texts.is_empty()).then(|| in_list(col, &texts))
        }
        IocKind::IpPort => {
            let pairs: Vec<(IpAddr, u16)> =
                t.values.iter().filter_map(|v| split_ip_port(v)).collect();
            if t.ports == PortMatch::Address {
                let mut texts = Vec::new();
                for (a, _) in &pairs {
                    address_texts(*a, &mut texts);
                }
                return (!texts.is_empty()).then(|| in_list(col, &texts));
            }
            if t.field != Field::RemoteIp {
                return None;
            }
            let mut by_port: BTreeMap<u16, Vec<String>> = BTreeMap::new();
            for (a, p) in pairs {
                address_texts(a, by_port.entry(p).or_default());
            }
            let parts: Vec<String> = by_port
                .iter()
                .map(|(p, texts)| format!("({REMOTE_PORT} == {p} and {})", in_list(col, texts)))
                .collect();
            (!parts.is_empty()).then(|| any(parts))
        }
        IocKind::Cidr => {
            let (mut v4, mut mapped, mut v6) = (Vec::new(), Vec::new(), Vec::new());
            for v in t.values {
                let Some((a, len)) = v.split_once('/') else {
                    continue;
                };
                let (Some(a), Ok(len)) = (row_address(a), len.parse::<u32>()) else {
                    continue;
                };
                match a {
                    IpAddr::V4(a) if len <= 32 => {
                        v4.push(kql_string(&format!("{a}/{len}")));
                        mapped.push(kql_string(&format!("::ffff:{a}/{}", len + 96)));
                    }
                    IpAddr::V6(a) if len <= 128 => v6.push(kql_string(&format!("{a}/{len}"))),
                    _ => {}
                }
            }
            let mut parts = Vec::new();
            if !v4.is_empty() {
                parts.push(format!(
                    "ipv4_is_in_any_range({col}, dynamic([{}]))",
                    v4.join(", ")
                ));
                parts.push(format!(
                    "ipv6_is_in_any_range({col}, dynamic([{}]))",
                    mapped.join(", ")
                ));
            }
            if !v6.is_empty() {
                parts.push(format!(
                    "ipv6_is_in_any_range({col}, dynamic([{}]))",
                    v6.join(", ")
                ));
            }
            (!parts.is_empty()).then(|| any(parts))
        }
        IocKind::Url => {
            let (mut keys, mut hosts) = (Vec::new(), Vec::new());
            for (k, h) in t.values.iter().filter_map(|v| url_match_keys(v)) {
                let (k, h) = (kql_string(&k), kql_string(&h));
                if !keys.contains(&k) {
                    keys.push(k);
                }
                if !hosts.contains(&h) {
                    hosts.push(h);
                }
            }
            (!keys.is_empty()).then(|| {
                format!(
                    "iff(isnotempty({col}), {URL_KEY} in ({}), {HOST_KEY} in ({}))",
                    keys.join(", "),
                    hosts.join(", ")
                )
            })
        }
        IocKind::Sha256 | IocKind::Sha1 | IocKind::Md5 => {
            let texts: Vec<String> = t.values.to_vec();
            (!texts.is_empty()).then(|| in_list(col, &texts))
        }
    }
}
