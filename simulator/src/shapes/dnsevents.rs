//! Sentinel `DnsEvents`: the corporate DNS server's log of a lookup (no
//! process), written 1-2 ms after the endpoint's row of the same lookup.

use crate::row::Row;

use super::dns::Answer;
use super::host::Host;
use crate::record::{Record, Table};
use crate::time;

/// The start of a DNS server's `_ResourceId`: its name, in lower case, follows.
const RESOURCE_GROUP: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/huntlab/providers/microsoft.compute/virtualmachines/";

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
    let mut m = Row::with_capacity(19);
    m.insert("TimeGenerated", time::iso(ts).into());
    m.insert("Computer", h.id.dns_server.clone().into());
    m.insert("SourceSystem", "OpsManager".into());
    m.insert("EventId", if ans.nxdomain { 258 } else { 257 }.into());
    m.insert("SubType", "LookupQuery".into());
    m.insert("ClientIP", h.dns_client_ip().into());
    m.insert("Name", name.into());
    m.insert(
        "Result",
        if ans.nxdomain { "Failure" } else { "Success" }.into(),
    );
    m.insert("IPAddresses", ans.ips.join(",").into());
    m.insert("Message", "".into());
    m.insert("TaskCategory", "LookupQuery".into());
    m.insert("QueryType", qtype.into());
    m.insert("ResultCode", if ans.nxdomain { 3 } else { 0 }.into());
    m.insert("MaliciousIP", "".into());
    m.insert("IndicatorThreatType", "".into());
    m.insert("Description", "".into());
    m.insert("Confidence", "".into());
    m.insert("Type", "DnsEvents".into());
    let vm = h.id.dns_server.split('.').next().unwrap_or("dns");
    let mut id = String::with_capacity(RESOURCE_GROUP.len() + vm.len());
    id.push_str(RESOURCE_GROUP);
    id.push_str(vm);
    id[RESOURCE_GROUP.len()..].make_ascii_lowercase();
    m.insert("_ResourceId", id.into());
    h.record(ts, Table::DnsEvents, m, step)
}
