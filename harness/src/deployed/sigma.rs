//! The Sigma rules in the report: pySigma's Kusto backend (Python) converts
//! them, so the conversions of every built-in content's rules are committed beside the rules
//! they were converted from (`sigma/`; `tests/export_sigma.rs` checks the
//! pinned backend still gives them). A rule whose export is exactly the
//! committed one has its conversion run; any other is `not_run`.

use detections::export::{export, Format};
use simulator::Table;

use super::common::{form, key, malicious_keys, run, tally, FormError, Forms, OnScenario};
use super::CSL_KEY;

/// (content, rule file, the rule as exported, its conversion, the table it
/// reads, the columns that identify a row).
type Converted = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Table,
    &'static [&'static str],
);

/// The committed conversions of every built-in content's rules.
pub const CONVERTED: [Converted; 27] = [
    (
        "seed",
        "nanocore-c2-dns.dns_query.yml",
        include_str!("sigma/seed.nanocore-c2-dns.dns_query.yml"),
        include_str!("sigma/seed.nanocore-c2-dns.dnsevents.kql"),
        Table::DnsEvents,
        &["TimeGenerated", "Computer", "ClientIP", "Name", "QueryType"],
    ),
    (
        "seed",
        "nanocore-artifact.process_creation.yml",
        include_str!("sigma/seed.nanocore-artifact.process_creation.yml"),
        include_str!("sigma/seed.nanocore-artifact.process_creation.kql"),
        Table::DeviceProcessEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "seed",
        "nanocore-artifact.file_event.yml",
        include_str!("sigma/seed.nanocore-artifact.file_event.yml"),
        include_str!("sigma/seed.nanocore-artifact.file_event.kql"),
        Table::DeviceFileEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "hardened",
        "nanocore-c2-dns.dns_query.yml",
        include_str!("sigma/hardened.nanocore-c2-dns.dns_query.yml"),
        include_str!("sigma/hardened.nanocore-c2-dns.dnsevents.kql"),
        Table::DnsEvents,
        &["TimeGenerated", "Computer", "ClientIP", "Name", "QueryType"],
    ),
    (
        "hardened",
        "nanocore-artifact.process_creation.yml",
        include_str!("sigma/hardened.nanocore-artifact.process_creation.yml"),
        include_str!("sigma/hardened.nanocore-artifact.process_creation.kql"),
        Table::DeviceProcessEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "hardened",
        "nanocore-artifact.file_event.yml",
        include_str!("sigma/hardened.nanocore-artifact.file_event.yml"),
        include_str!("sigma/hardened.nanocore-artifact.file_event.kql"),
        Table::DeviceFileEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "deployed",
        "nanocore-c2-dns.dns_query.yml",
        include_str!("sigma/deployed.nanocore-c2-dns.dns_query.yml"),
        include_str!("sigma/deployed.nanocore-c2-dns.dnsevents.kql"),
        Table::DnsEvents,
        &["TimeGenerated", "Computer", "ClientIP", "Name", "QueryType"],
    ),
    (
        "deployed",
        "nanocore-artifact.process_creation.yml",
        include_str!("sigma/deployed.nanocore-artifact.process_creation.yml"),
        include_str!("sigma/deployed.nanocore-artifact.process_creation.kql"),
        Table::DeviceProcessEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "deployed",
        "nanocore-artifact.file_event.yml",
        include_str!("sigma/deployed.nanocore-artifact.file_event.yml"),
        include_str!("sigma/deployed.nanocore-artifact.file_event.kql"),
        Table::DeviceFileEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "published",
        "nanocore-c2-dns.dns_query.yml",
        include_str!("sigma/published.nanocore-c2-dns.dns_query.yml"),
        include_str!("sigma/published.nanocore-c2-dns.dnsevents.kql"),
        Table::DnsEvents,
        &["TimeGenerated", "Computer", "ClientIP", "Name", "QueryType"],
    ),
    (
        "published",
        "nanocore-artifact.process_creation.yml",
        include_str!("sigma/published.nanocore-artifact.process_creation.yml"),
        include_str!("sigma/published.nanocore-artifact.process_creation.kql"),
        Table::DeviceProcessEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "published",
        "nanocore-artifact.file_event.yml",
        include_str!("sigma/published.nanocore-artifact.file_event.yml"),
        include_str!("sigma/published.nanocore-artifact.file_event.kql"),
        Table::DeviceFileEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "published-hardened",
        "nanocore-c2-dns.dns_query.yml",
        include_str!("sigma/published-hardened.nanocore-c2-dns.dns_query.yml"),
        include_str!("sigma/published-hardened.nanocore-c2-dns.dnsevents.kql"),
        Table::DnsEvents,
        &["TimeGenerated", "Computer", "ClientIP", "Name", "QueryType"],
    ),
    (
        "published-hardened",
        "nanocore-artifact.process_creation.yml",
        include_str!("sigma/published-hardened.nanocore-artifact.process_creation.yml"),
        include_str!("sigma/published-hardened.nanocore-artifact.process_creation.kql"),
        Table::DeviceProcessEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "published-hardened",
        "nanocore-artifact.file_event.yml",
        include_str!("sigma/published-hardened.nanocore-artifact.file_event.yml"),
        include_str!("sigma/published-hardened.nanocore-artifact.file_event.kql"),
        Table::DeviceFileEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "seed",
        "nanocore-c2-name-network.network_connection.yml",
        include_str!("sigma/seed.nanocore-c2-name-network.network_connection.yml"),
        include_str!("sigma/seed.nanocore-c2-name-network.network_connection.kql"),
        Table::DeviceNetworkEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "seed",
        "nanocore-c2-name-network.proxy.yml",
        include_str!("sigma/seed.nanocore-c2-name-network.proxy.yml"),
        include_str!("sigma/seed.nanocore-c2-name-network.proxy.kql"),
        Table::CommonSecurityLog,
        &CSL_KEY,
    ),
    (
        "hardened",
        "nanocore-c2-name-network.network_connection.yml",
        include_str!("sigma/hardened.nanocore-c2-name-network.network_connection.yml"),
        include_str!("sigma/hardened.nanocore-c2-name-network.network_connection.kql"),
        Table::DeviceNetworkEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "hardened",
        "nanocore-c2-name-network.proxy.yml",
        include_str!("sigma/hardened.nanocore-c2-name-network.proxy.yml"),
        include_str!("sigma/hardened.nanocore-c2-name-network.proxy.kql"),
        Table::CommonSecurityLog,
        &CSL_KEY,
    ),
    (
        "deployed",
        "nanocore-c2-name-network.network_connection.yml",
        include_str!("sigma/deployed.nanocore-c2-name-network.network_connection.yml"),
        include_str!("sigma/deployed.nanocore-c2-name-network.network_connection.kql"),
        Table::DeviceNetworkEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "deployed",
        "nanocore-c2-name-network.proxy.yml",
        include_str!("sigma/deployed.nanocore-c2-name-network.proxy.yml"),
        include_str!("sigma/deployed.nanocore-c2-name-network.proxy.kql"),
        Table::CommonSecurityLog,
        &CSL_KEY,
    ),
    (
        "published",
        "nanocore-c2-name-network.network_connection.yml",
        include_str!("sigma/published.nanocore-c2-name-network.network_connection.yml"),
        include_str!("sigma/published.nanocore-c2-name-network.network_connection.kql"),
        Table::DeviceNetworkEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "published",
        "nanocore-c2-name-network.proxy.yml",
        include_str!("sigma/published.nanocore-c2-name-network.proxy.yml"),
        include_str!("sigma/published.nanocore-c2-name-network.proxy.kql"),
        Table::CommonSecurityLog,
        &CSL_KEY,
    ),
    (
        "published",
        "nanocore-payload-url.network_connection.yml",
        include_str!("sigma/published.nanocore-payload-url.network_connection.yml"),
        include_str!("sigma/published.nanocore-payload-url.network_connection.kql"),
        Table::DeviceNetworkEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "published",
        "nanocore-payload-url.proxy.yml",
        include_str!("sigma/published.nanocore-payload-url.proxy.yml"),
        include_str!("sigma/published.nanocore-payload-url.proxy.kql"),
        Table::CommonSecurityLog,
        &CSL_KEY,
    ),
    (
        "published-hardened",
        "nanocore-c2-name-network.network_connection.yml",
        include_str!("sigma/published-hardened.nanocore-c2-name-network.network_connection.yml"),
        include_str!("sigma/published-hardened.nanocore-c2-name-network.network_connection.kql"),
        Table::DeviceNetworkEvents,
        &["Timestamp", "DeviceName", "ReportId"],
    ),
    (
        "published-hardened",
        "nanocore-c2-name-network.proxy.yml",
        include_str!("sigma/published-hardened.nanocore-c2-name-network.proxy.yml"),
        include_str!("sigma/published-hardened.nanocore-c2-name-network.proxy.kql"),
        Table::CommonSecurityLog,
        &CSL_KEY,
    ),
];

/// The pySigma pipeline that reads `dns_query` from `DnsEvents`.
pub const DNSEVENTS_PIPELINE: &str = include_str!("sigma/dnsevents-pipeline.yml");

/// The pySigma pipeline that reads `proxy` from `CommonSecurityLog`.
pub const CSL_PROXY_PIPELINE: &str = include_str!("sigma/csl-proxy-pipeline.yml");

fn cause(rule: &str) -> String {
    let unexpressed: Vec<&str> = rule
        .lines()
        .filter_map(|l| l.trim().strip_prefix("# exclusion "))
        .filter_map(|l| l.split_once(": not expressible").map(|(id, _)| id))
        .collect();
    let mut c =
        "Sigma has no `has`: `|contains` is a substring, so look-alike names match (and a host field holding a URL or a port matches on its whole text)".to_owned();
    if !unexpressed.is_empty() {
        c.push_str(&format!(
            "; exclusions the log source cannot express do not suppress: {}",
            unexpressed.join(", ")
        ));
    }
    c
}

pub(super) fn compare(on: OnScenario<'_>, forms: &mut Forms) -> Result<(), FormError> {
    let OnScenario { det, h, hunt, s } = on;
    let rules = export(det, Format::Sigma).unwrap_or_default();
    let prefix = format!("{}.", hunt.id);
    for r in rules.iter().filter(|r| r.name.starts_with(&prefix)) {
        let category = r.name[prefix.len()..].trim_end_matches(".yml");
        let name = format!("{} {category}", Format::Sigma.name());
        let converted = CONVERTED.iter().find(|c| c.1 == r.name && c.2 == r.text);
        let entry = forms.entry((h, name.clone())).or_insert_with(|| {
            let mut f = form(&name, hunt, "");
            match converted {
                Some(c) => {
                    f.tables = c.4.name().to_owned();
                    f.cause = Some(cause(&r.text));
                }
                None => {
                    f.status = "not_run";
                    f.cause = Some("pySigma's Kusto conversion (Python) is committed for the built-in contents' rules only; convert this rule with sigma-cli (docs/export.md)".into());
                }
            }
            f
        });
        let Some(c) = converted else { continue };
        let bit = 1u64 << h;
        let want = s
            .records
            .iter()
            .zip(s.decisions)
            .filter(|(rec, d)| rec.table == c.4 && d.alerted & bit != 0)
            .map(|(rec, _)| (key(&rec.row, c.5), rec.label.malicious))
            .collect();
        let got = run(c.3, s.tables, c.5, Format::Sigma.name(), hunt)?;
        let bad = malicious_keys(s.records, |t| t == c.4, |row| key(row, c.5));
        tally(entry, want, got, &bad);
    }
    Ok(())
}
