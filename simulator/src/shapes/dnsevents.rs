//! Sentinel `DnsEvents`: the corporate DNS server's log of a lookup (no
//! process), written 1-2 ms after the endpoint's row of the same lookup.

use serde_json::Map;

use super::dns::Answer;
use super::host::Host;
use crate::record::{Record, Table};
use crate::time;

/// The DNS server's row for a lookup of `name` by host `h` at `t`.
pub(super) fn lookup(
    h: &mut Host,
    t: i64,
    name: &str,
    qtype: &str,
    ans: &Answer,
    step: &str,
) -> Record {
    let ts = t + h.rng.range(1, 3);
    let mut m = Map::with_capacity(19);
    m.insert("TimeGenerated".into(), time::iso(ts).into());
    m.insert("Computer".into(), h.id.dns_server.clone().into());
    m.insert("SourceSystem".into(), "OpsManager".into());
    m.insert(
        "EventId".into(),
        if ans.nxdomain { 258 } else { 257 }.into(),
    );
    m.insert("SubType".into(), "LookupQuery".into());
    m.insert("ClientIP".into(), h.dns_client_ip().into());
    m.insert("Name".into(), name.into());
    m.insert(
        "Result".into(),
        if ans.nxdomain { "Failure" } else { "Success" }.into(),
    );
    m.insert("IPAddresses".into(), ans.ips.join(",").into());
    m.insert("Message".into(), "".into());
    m.insert("TaskCategory".into(), "LookupQuery".into());
    m.insert("QueryType".into(), qtype.into());
    m.insert("ResultCode".into(), if ans.nxdomain { 3 } else { 0 }.into());
    m.insert("MaliciousIP".into(), "".into());
    m.insert("IndicatorThreatType".into(), "".into());
    m.insert("Description".into(), "".into());
    m.insert("Confidence".into(), "".into());
    m.insert("Type".into(), "DnsEvents".into());
    m.insert(
        "_ResourceId".into(),
        format!(
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/huntlab/providers/microsoft.compute/virtualmachines/{}",
            h.id.dns_server.split('.').next().unwrap_or("dns").to_ascii_lowercase()
        )
        .into(),
    );
    h.record(ts, Table::DnsEvents, m, step)
}
