//! The hunts over network rows on ASIM's unifying network session and web
//! session parsers (`_Im_NetworkSession`, `_Im_WebSession`), with the
//! content's network fields as columns, computed as the `CommonSecurityLog`
//! form computes them: `remote_ip` the `DstIpAddr`, `remote_port` the
//! `DstPortNumber`, `source_ip` the `SrcIpAddr`; on a network session `url`
//! and `remote_host` from `DstFQDN` (else `DstHostname`), read as a URL when it
//! holds a path (Microsoft's Defender parser writes `RemoteUrl` there without
//! its scheme), on a web session from `Url`, the host from `HttpHost` (its
//! port dropped) where the row has one. A row names no process: a condition
//! or exclusion on one is `false` there, as the engine's is.
//!
//! Every hunt over network rows has a network session form; a hunt whose
//! conditions read a URL or a host name has a web session form too.

use super::columns::{
    ASIM_DST_IP, ASIM_DST_NAME, ASIM_DST_PORT, ASIM_HTTP_HOST, ASIM_NETWORK, ASIM_SRC_IP, ASIM_URL,
    ASIM_WEB,
};
use super::csl::{net_query, NetTable};
use super::network::host_of;
use super::schedule::RuleTimes;
use crate::content::{Detection, Hunt};
use crate::event::Field;
use crate::ioc::IocKind;
use crate::spec::RowKind;

/// The columns a network session row's result keeps: the row's identity,
/// then its addresses and host.
const NETWORK_RESULT: &str = "TimeGenerated, Dvc, EventVendor, EventProduct, DvcAction, SrcIpAddr, SrcPortNumber, DstIpAddr, DstPortNumber, DstHostname, DstFQDN";

/// The columns a web session row's result keeps.
const WEB_RESULT: &str =
    "TimeGenerated, Dvc, EventVendor, EventProduct, DvcAction, SrcIpAddr, DstIpAddr, DstPortNumber, Url, HttpHost";

/// The hunts with a network session form: those reading network rows.
pub fn network_hunts(det: &Detection) -> impl Iterator<Item = &Hunt> {
    det.hunts
        .iter()
        .filter(|h| h.reads.contains(&RowKind::Network))
}

/// The hunts with a web session form: those reading network rows whose
/// conditions read a URL or a host name.
pub fn web_hunts(det: &Detection) -> impl Iterator<Item = &Hunt> {
    network_hunts(det).filter(|h| {
        h.when.predicates().iter().any(|t| {
            matches!(t.field, Field::Url | Field::RemoteHost) || t.list == Some(IocKind::Url)
        })
    })
}

/// The `_Im_NetworkSession` query of one hunt (which reads network rows).
pub fn network_query(det: &Detection, hunt: &Hunt, rule: Option<&RuleTimes>) -> String {
    net_query(
        det,
        hunt,
        &NetTable {
            table: ASIM_NETWORK,
            remote_ip: ASIM_DST_IP,
            remote_port: ASIM_DST_PORT,
            source_ip: ASIM_SRC_IP,
            url: ASIM_DST_NAME,
            host: None,
            result: NETWORK_RESULT,
            before: None,
        },
        rule,
    )
}

/// The `_Im_WebSession` query of one hunt (which reads network rows).
pub fn web_query(det: &Detection, hunt: &Hunt, rule: Option<&RuleTimes>) -> String {
    let host = format!("http_host = {}", host_of(ASIM_HTTP_HOST));
    net_query(
        det,
        hunt,
        &NetTable {
            table: ASIM_WEB,
            remote_ip: ASIM_DST_IP,
            remote_port: ASIM_DST_PORT,
            source_ip: ASIM_SRC_IP,
            url: ASIM_URL,
            host: Some("http_host"),
            result: WEB_RESULT,
            before: Some(&host),
        },
        rule,
    )
}
