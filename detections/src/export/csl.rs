//! The hunts over network rows on Sentinel's `CommonSecurityLog`: a
//! firewall's traffic rows and a web proxy's rows (CEF), with the content's
//! network fields as columns, computed as the engine's mapping computes them
//! (`net_row::security_log`): `remote_ip` the `DestinationIP`, `remote_port`
//! the `DestinationPort`, `source_ip` the `SourceIP` (the endpoint, before
//! NAT), `url` from `RequestURL` (read as `http://` without a scheme, as
//! proxies write it) and `remote_host` the `DestinationHostName`, else the
//! URL's host. A row names no process: a condition on one is `false` there,
//! as the engine's is, and an exclusion on one never suppresses.

use std::fmt::Write as _;

use super::columns::{CSL, CSL_HOST, CSL_REMOTE_IP, CSL_REMOTE_PORT, CSL_SOURCE_IP, CSL_URL};
use super::defender::{excluded_by, exclusion_column, Extra, AUDIT_FILTER};
use super::iocs::IocLists;
use super::literal::{comment, kql_string};
use super::network::url_columns;
use super::render::{cond, Names};
use super::schedule::{self, RuleTimes};
use crate::content::{field_name, Detection, Hunt};
use crate::event::Field;
use crate::spec::RowKind;

/// The hunts this form writes: those reading network rows whose condition
/// can hold on a row that names no process ([`can_hold`]).
pub fn csl_hunts(det: &Detection) -> impl Iterator<Item = &Hunt> {
    det.hunts
        .iter()
        .filter(|h| h.reads.contains(&RowKind::Network) && can_hold(h))
}

/// Whether a hunt's condition can hold on a `CommonSecurityLog` row: some
/// branch of it reads network fields only (a condition on a process, a file
/// or a query name is `false` there).
pub(super) fn can_hold(h: &Hunt) -> bool {
    h.restricted(|f| f.is_network_field()).is_some()
}

/// The columns a `CommonSecurityLog` row's result keeps: the row's
/// identity, then the content's network fields.
pub const CSL_RESULT: &str = "TimeGenerated, Computer, DeviceVendor, DeviceProduct, DeviceAction, SourceIP, SourcePort, DestinationIP, DestinationPort, RequestURL, DestinationHostName";

/// A table of network rows a form reads, and the KQL expressions that give
/// the content's network fields from its columns.
pub(super) struct NetTable<'a> {
    /// The table (or parser function) read.
    pub(super) table: &'a str,
    /// The remote address, port and the endpoint's own address.
    pub(super) remote_ip: &'a str,
    pub(super) remote_port: &'a str,
    pub(super) source_ip: &'a str,
    /// The `RemoteUrl`-like column (a URL, with or without its scheme, or a
    /// host) and the host column that takes precedence over the URL's host.
    pub(super) url: &'a str,
    pub(super) host: Option<&'a str>,
    /// The row's own columns the result keeps.
    pub(super) result: &'a str,
    /// Columns computed before the fields (`name = expression`), if any.
    pub(super) before: Option<&'a str>,
}

/// The `CommonSecurityLog` columns.
const CSL_TABLE: NetTable<'static> = NetTable {
    table: CSL,
    remote_ip: CSL_REMOTE_IP,
    remote_port: CSL_REMOTE_PORT,
    source_ip: CSL_SOURCE_IP,
    url: CSL_URL,
    host: Some(CSL_HOST),
    result: CSL_RESULT,
    before: None,
};

/// The `CommonSecurityLog` query of one hunt (which reads network rows);
/// with `rule`, the hits of its last window.
pub fn query(det: &Detection, hunt: &Hunt, rule: Option<&RuleTimes>) -> String {
    net_query(det, hunt, &CSL_TABLE, rule)
}

/// The query of one hunt (which reads network rows) over a table of network
/// rows that name no process.
pub(super) fn net_query(
    det: &Detection,
    hunt: &Hunt,
    t: &NetTable<'_>,
    rule: Option<&RuleTimes>,
) -> String {
    let lists = IocLists::of(det);
    let column = |f: Field| f.is_network_field().then(|| field_name(f).to_owned());
    let names = Names {
        column: &column,
        iocs: Some(&lists),
    };
    let exclusions: Vec<_> = det
        .exclusions_of(hunt)
        .filter(|x| x.applies_to.contains(&RowKind::Network))
        .collect();
    let extra = Extra::of(hunt, exclusions.iter().map(|x| &x.when));
    let mut out = schedule::lets(rule);
    out.push_str(&lists.lets_for(&hunt.when));
    let _ = writeln!(out, "{}", t.table);
    out.push_str(&schedule::window(rule, "TimeGenerated"));
    if let Some(before) = t.before {
        let _ = writeln!(out, "| extend {before}");
    }
    let _ = writeln!(
        out,
        "| extend remote_ip = {}, remote_port = tolong({}), source_ip = {}",
        t.remote_ip, t.remote_port, t.source_ip
    );
    out.push_str(&url_columns(t.url, t.host, extra.url_keys));
    let _ = writeln!(out, "| where {}", cond(&hunt.when, &names));
    for x in &exclusions {
        let _ = writeln!(
            out,
            "// exclusion {}: {}",
            comment(&x.id),
            comment(&x.scenario)
        );
        let _ = writeln!(out, "//   source: {}", comment(&x.seed_text));
        let _ = writeln!(
            out,
            "| extend {} = {}",
            exclusion_column(&x.id),
            cond(&x.when, &names)
        );
    }
    excluded_by(&mut out, exclusions.iter().map(|x| x.id.as_str()));
    let _ = writeln!(
        out,
        "| project {}, hunt = {}, remote_ip, remote_port, source_ip, url, remote_host, excluded_by",
        t.result,
        kql_string(&hunt.id)
    );
    out.push_str("| order by TimeGenerated desc\n");
    out.push_str(AUDIT_FILTER);
    out.push('\n');
    out
}
