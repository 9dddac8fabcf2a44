//! Claims of the scenarios that resolve the IOCs on purpose, of the DNS
//! behaviours of an infection (suffix search, random subdomains, a forwarder, a
//! sinkhole) and of the tasks named to pass for cleanup or restarted by the
//! scheduler.

use std::collections::{BTreeMap, BTreeSet};

use detections::{Field, Learned, Source};
use simulator::Table;

use super::{
    all_fired_suppressed_by, any, every_label_malicious, f, fired, is_dns, is_ioc_lookup, lc,
    no_server_rows, query, under_scheduler, Check, Judged,
};

fn server(j: &Judged) -> bool {
    j.rec.table == Table::DnsEvents
}

/// Every alert is on a benign row, and no exclusion suppresses any.
fn benign_alerts_nothing_suppressed(r: &[Judged]) -> bool {
    any(r, |j| j.d.alert)
        && r.iter()
            .filter(|j| fired(j))
            .all(|j| j.d.alert && !j.rec.label.malicious)
}

/// Each host's addresses, from its `Heartbeat` / `DeviceNetworkInfo` rows.
fn addresses(r: &[Judged]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for j in r {
        if let Some(Learned::Addresses { ips }) = &j.ev.learned {
            for ip in ips {
                out.insert(ip.clone(), j.rec.label.host.clone());
            }
        }
    }
    out
}

fn client_ip(j: &Judged) -> &str {
    j.ev.client_ip.as_deref().unwrap_or("")
}

pub fn claims(id: &str) -> Vec<(&'static str, Check)> {
    match id {
        "benign-backup-job-registered-earlier" => registered_earlier(),
        "benign-soar-enrichment" => vec![
            ("a signed service under services.exe resolves both IOCs (A and AAAA) and their reputation names", |r| {
                let by_worker = |p: &dyn Fn(&Judged) -> bool| any(r, |j| is_dns(j) && lc(j, Field::ImageName) == "soar-worker.exe" && lc(j, Field::ParentImageName) == "services.exe" && f(j, Field::Signer) == "Contoso Ltd." && p(j));
                by_worker(&|j| query(j) == "estaliax.io") && by_worker(&|j| query(j) == "duraktantuni.site")
                    && by_worker(&|j| query(j) == "estaliax.io.dbl.example.org")
                    && any(r, |j| j.rec.row.get("QueryType").and_then(|v| v.as_str()) == Some("AAAA") && is_ioc_lookup(j))
            }),
            ("the DNS hunt alerts on benign rows; no exclusion suppresses them", benign_alerts_nothing_suppressed),
        ],
        "benign-mail-dnsbl" => vec![
            ("EdgeTransport.exe (under MSExchangeTransport.exe) looks the sender domain up (MX, A) and in the block list", |r| {
                let edge = |p: &dyn Fn(&Judged) -> bool| any(r, |j| is_dns(j) && lc(j, Field::ImageName) == "edgetransport.exe" && lc(j, Field::ParentImageName) == "msexchangetransport.exe" && p(j));
                edge(&|j| query(j) == "estaliax.io")
                    && edge(&|j| query(j) == "duraktantuni.site.dbl.example.org")
                    && any(r, |j| server(j) && query(j) == "estaliax.io" && j.rec.row.get("QueryType").and_then(|v| v.as_str()) == Some("MX"))
                    && any(r, |j| server(j) && query(j) == "estaliax.io.dbl.example.org" && j.rec.row.get("IPAddresses").and_then(|v| v.as_str()) == Some("127.0.1.6"))
            }),
            ("the DNS hunt alerts on benign rows; no exclusion suppresses them", benign_alerts_nothing_suppressed),
        ],
        "nanocore-c2-down" => vec![
            ("every C2 lookup answers NXDOMAIN", |r| {
                any(r, |j| j.rec.label.step == "c2-lookup") && r.iter().filter(|j| j.rec.label.step == "c2-lookup" && server(j)).all(|j| j.rec.row.get("ResultCode").and_then(|v| v.as_i64()) == Some(3))
            }),
            ("the suffix-search retries are server rows, malicious, from a host that asked the C2 name, at its address", |r| {
                let addr = addresses(r);
                let asked: BTreeSet<(String, String)> = r.iter().filter(|j| j.rec.label.step == "c2-lookup" && server(j)).map(|j| (j.rec.label.host.clone(), query(j))).collect();
                let retries: Vec<&Judged> = r.iter().filter(|j| j.rec.label.step == "suffix-search").collect();
                !retries.is_empty()
                    && retries.iter().all(|j| {
                        let q = query(j);
                        let asked_for = q.strip_suffix(".corp.contoso.com").unwrap_or("").to_owned();
                        server(j) && j.rec.label.malicious && j.d.alert
                            && asked.contains(&(j.rec.label.host.clone(), asked_for))
                            && addr.get(client_ip(j)) == Some(&j.rec.label.host)
                    })
            }),
            ("a fully qualified name (trailing dot) is not retried with the suffix", |r| {
                let fqdn = "ESTALIAX.IO.";
                any(r, |j| f(j, Field::QueryName) == fqdn)
                    && !any(r, |j| f(j, Field::QueryName).starts_with(fqdn) && f(j, Field::QueryName) != fqdn)
            }),
            ("every row is the malware's", every_label_malicious),
        ],
        "nanocore-random-subdomains" => vec![
            ("many distinct random subdomains of both C2 domains, each a lookup", |r| {
                let names: BTreeSet<String> = r.iter().filter(|j| is_ioc_lookup(j)).map(query).collect();
                names.len() > 50
                    && names.iter().any(|n| n.ends_with(".estaliax.io"))
                    && names.iter().any(|n| n.ends_with(".duraktantuni.site"))
            }),
            ("every row is the malware's", every_label_malicious),
        ],
        "nanocore-dns-forwarder" => vec![
            ("no endpoint sensor: only the DNS server's rows and the forwarder's heartbeats", |r| {
                r.iter().all(|j| matches!(j.rec.table, Table::DnsEvents | Table::Heartbeat))
            }),
            ("every lookup's ClientIP is the forwarder's address; the labels name the infected workstations", |r| {
                let addr = addresses(r);
                let lookups: Vec<&Judged> = r.iter().filter(|j| server(j)).collect();
                !lookups.is_empty()
                    && lookups.iter().all(|j| addr.get(client_ip(j)).map(String::as_str) == Some("WS-BRANCH-DNS") && j.rec.label.host.starts_with("WS-BRANCH-0"))
            }),
            ("every lookup is the malware's and alerts; the forwarder's heartbeats are not", |r| {
                r.iter().all(|j| if server(j) { j.rec.label.malicious && j.d.alert } else { !j.rec.label.malicious })
            }),
        ],
        "nanocore-sinkholed" => vec![
            ("every C2 lookup resolves, to the sinkhole", |r| {
                let c2: Vec<&Judged> = r.iter().filter(|j| j.rec.label.step == "c2-lookup").collect();
                !c2.is_empty()
                    && c2.iter().all(|j| {
                        let row = &j.rec.row;
                        let server_answer = row.get("IPAddresses").and_then(|v| v.as_str());
                        let sysmon_answer = row.get("QueryResults").and_then(|v| v.as_str());
                        server_answer == Some("192.0.2.25") || sysmon_answer == Some("::ffff:192.0.2.25;")
                    })
            }),
            ("every row is the malware's", every_label_malicious),
        ],
        "adversarial-cleanup-task" => vec![
            ("the Task Scheduler starts the implant as \\TempCleanup, named by the registration, on both sensors and releases", |r| {
                let runs = |src: Source| any(r, |j| j.ev.source == src && under_scheduler(j) && f(j, Field::TaskName) == r"\TempCleanup" && lc(j, Field::FileName) == "dhcpmon.exe");
                runs(Source::SysmonProcessCreate) && runs(Source::DeviceProcessEvents)
                    && any(r, |j| lc(j, Field::ParentImageName) == "taskeng.exe")
            }),
            ("a custom resolver: the DNS server sees nothing", no_server_rows),
            ("every fired row is suppressed by log-cleanup", |r| all_fired_suppressed_by(r, "log-cleanup")),
            ("every row is the malware's", every_label_malicious),
        ],
        "adversarial-task-restart" => vec![
            ("after each reboot the Task Scheduler starts the implant: the Schedule service (10), taskeng.exe (7), on both sensors", |r| {
                let relaunch = |src: Source, parent: &str| any(r, |j| j.rec.label.step == "relaunch" && j.ev.source == src && lc(j, Field::ParentImageName) == parent && f(j, Field::TaskName) == r"\DHCP Monitor");
                relaunch(Source::SysmonProcessCreate, "svchost.exe")
                    && relaunch(Source::DeviceProcessEvents, "svchost.exe")
                    && relaunch(Source::SysmonProcessCreate, "taskeng.exe")
                    && relaunch(Source::DeviceProcessEvents, "taskeng.exe")
            }),
            ("the implant resolves its C2 itself, through its own resolver; nothing is hidden (as the content reads)", |r| {
                no_server_rows(r) && any(r, |j| is_ioc_lookup(j) && lc(j, Field::ImageName) == "dhcpmon.exe" && under_scheduler(j))
                    && !any(r, |j| fired(j) && !j.d.alert)
            }),
            ("every row is the malware's", every_label_malicious),
        ],
        _ => Vec::new(),
    }
}

/// The backup job whose task was registered two days before its window.
fn registered_earlier() -> Vec<(&'static str, Check)> {
    vec![
        ("the task is registered two days before the window, and only then", |r| {
            let start = 1_779_321_600_000; // 2026-05-21T00:00:00Z
            let regs: Vec<&Judged> = r.iter().filter(|j| matches!(j.ev.learned, Some(Learned::Task { .. }))).collect();
            !regs.is_empty()
                && regs.iter().all(|j| j.rec.time_ms < start - 47 * 3_600_000 && j.rec.time_ms > start - 49 * 3_600_000)
        }),
        ("inside the window the tool runs under the Schedule service, named by that registration", |r| {
            let runs: Vec<&Judged> = r.iter().filter(|j| super::is_process(j) && f(j, Field::Image) == r"C:\Program Files\BackupTool\nanocore.exe").collect();
            !runs.is_empty() && runs.iter().all(|j| under_scheduler(j) && f(j, Field::TaskName) == r"\Nightly Backup")
        }),
        ("no schtasks.exe /run: the task runs on its schedule", |r| {
            !any(r, |j| super::is_process(j) && f(j, Field::CommandLine).contains("/run /tn"))
        }),
        ("every fired row is suppressed by backup-job", |r| all_fired_suppressed_by(r, "backup-job")),
    ]
}
