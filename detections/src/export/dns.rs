//! The DNS hunts over Sentinel's `DnsEvents` (the seed's query) and over the
//! ASIM DNS schema (`_Im_Dns`).
//!
//! A `DnsEvents` row is logged by the DNS server: it names the query and the
//! client's address, never a process. An exclusion that reads the process is
//! therefore `not_evaluable` on it and the alert stands, as in the engine; an
//! exclusion on the query name alone applies, as `where not(...)`.

use std::fmt::Write as _;

use super::columns::{ASIM, ASIM_QUERY, DNSEVENTS, DNSEVENTS_CLIENT, DNSEVENTS_NAME};
use super::iocs::IocLists;
use super::render::{cond, Names};
use super::schedule::{self, RuleTimes};
use crate::content::{Detection, Hunt};
use crate::event::Field;
use crate::spec::RowKind;

/// The hunts with a DNS-server form: they read DNS rows on the query name only.
pub fn dns_hunts(det: &Detection) -> impl Iterator<Item = &Hunt> {
    det.hunts.iter().filter(|h| {
        h.reads.contains(&RowKind::Dns)
            && h.when
                .predicates()
                .iter()
                .all(|t| t.field == Field::QueryName)
    })
}

/// The hunt's KQL over a DNS table whose query column is `name` (`Name` on
/// `DnsEvents`), with the exclusions that apply to rows without a process, up
/// to (not including) the projection.
fn body(
    det: &Detection,
    hunt: &Hunt,
    (table, name): (&str, &str),
    rule: Option<&RuleTimes>,
) -> String {
    let lists = IocLists::of(det);
    let column = |f: Field| (f == Field::QueryName).then(|| name.to_owned());
    let names = Names {
        column: &column,
        iocs: Some(&lists),
    };
    let mut out = schedule::lets(rule);
    out.push_str(&lists.lets_for(&hunt.when));
    let _ = writeln!(out, "{table}");
    out.push_str(&schedule::window(rule, "TimeGenerated"));
    let _ = writeln!(out, "| where {}", cond(&hunt.when, &names));
    for &x in &hunt.exclusions {
        let x = &det.exclusions[x];
        let reads_process = x
            .when
            .predicates()
            .iter()
            .any(|t| t.field.is_process_field());
        if !x.applies_to.contains(&RowKind::Dns) || reads_process {
            continue;
        }
        let c = cond(&x.when, &names);
        if c != "false" {
            let _ = writeln!(out, "// exclusion {}", super::literal::comment(&x.id));
            let _ = writeln!(out, "| where not({c})");
        }
    }
    out
}

/// The `DnsEvents` query of a DNS hunt: the seed's query, and with
/// `client` the querying client's address (`ClientIP`) projected too; with
/// `rule`, the hits of its last window ([`schedule`]).
pub fn dnsevents_query(
    det: &Detection,
    hunt: &Hunt,
    client: bool,
    rule: Option<&RuleTimes>,
) -> String {
    let mut out = body(det, hunt, (DNSEVENTS, DNSEVENTS_NAME), rule);
    let columns = if client {
        format!(
            "TimeGenerated, Computer, {DNSEVENTS_CLIENT}, {DNSEVENTS_NAME}, IPAddresses, QueryType"
        )
    } else {
        format!("TimeGenerated, Computer, {DNSEVENTS_NAME}, IPAddresses, QueryType")
    };
    let _ = writeln!(out, "| project {columns}");
    out.push_str("| order by TimeGenerated desc\n");
    out
}

/// The ASIM query of a DNS hunt (`_Im_Dns`, the unifying parser of every DNS
/// source normalised to ASIM); with `rule`, the hits of its last window.
pub fn asim_query(det: &Detection, hunt: &Hunt, rule: Option<&RuleTimes>) -> String {
    let mut out = body(det, hunt, (ASIM, ASIM_QUERY), rule);
    let _ = writeln!(
        out,
        "| project TimeGenerated, Dvc, SrcIpAddr, {ASIM_QUERY}, DnsQueryTypeName, DnsResponseName"
    );
    out.push_str("| order by TimeGenerated desc\n");
    out
}
