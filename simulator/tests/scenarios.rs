//! Each built-in scenario's telemetry contains what the scenario claims: one
//! table of claims per scenario, checked on the rows after the field mapping and
//! the Sysmon process join (so Sysmon and Defender hosts are read alike).

mod common;
#[path = "scenarios/extra.rs"]
mod extra;
#[path = "scenarios/network.rs"]
mod network;

use common::Judged;
use detections::{Field, Kind, Source};
use simulator::Table;

fn f(j: &Judged, field: Field) -> &str {
    j.ev.field(field).unwrap_or("")
}

fn lc(j: &Judged, field: Field) -> String {
    f(j, field).to_ascii_lowercase()
}

fn is_process(j: &Judged) -> bool {
    j.ev.kind() == Kind::Process
}

fn is_file(j: &Judged) -> bool {
    j.ev.kind() == Kind::File
}

fn is_dns(j: &Judged) -> bool {
    j.ev.kind() == Kind::Dns
}

/// Normalised query name: lower case, no trailing dot.
fn query(j: &Judged) -> String {
    lc(j, Field::QueryName).trim_end_matches('.').to_owned()
}

/// A lookup whose name has an IOC as a term sequence (what `has` matches).
fn is_ioc_like(j: &Judged) -> bool {
    let q = query(j);
    is_dns(j)
        && ["estaliax.io", "duraktantuni.site"]
            .iter()
            .any(|i| q.contains(i))
}

fn is_ioc_lookup(j: &Judged) -> bool {
    let q = query(j);
    is_dns(j)
        && ["estaliax.io", "duraktantuni.site"]
            .iter()
            .any(|i| q == *i || q.ends_with(&format!(".{i}")))
}

fn suppressed_by(j: &Judged, x: &str) -> bool {
    let det = common::detection();
    j.d.suppressed_by.is_some_and(|i| det.exclusions[i].id == x)
}

fn fired(j: &Judged) -> bool {
    j.d.fired != 0
}

/// `\AppData\Roaming\{8-4-4-4-12}\` somewhere in the path.
fn in_guid_folder(path: &str) -> bool {
    let Some(i) = path.find(r"\AppData\Roaming\{") else {
        return false;
    };
    let rest = &path[i + r"\AppData\Roaming\{".len()..];
    rest.len() > 37
        && rest.as_bytes()[36] == b'}'
        && rest[..36].split('-').map(str::len).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
}

type Check = fn(&[Judged]) -> bool;

fn any(rows: &[Judged], p: impl Fn(&Judged) -> bool) -> bool {
    rows.iter().any(p)
}

fn all_fired_suppressed_by(rows: &[Judged], x: &str) -> bool {
    any(rows, fired)
        && rows
            .iter()
            .filter(|j| fired(j))
            .all(|j| suppressed_by(j, x))
}

fn no_ioc_lookup(rows: &[Judged]) -> bool {
    !any(rows, is_ioc_lookup)
}

/// What the sensors report about a host itself (addresses, certificates): never
/// the malware's activity, on any host.
fn is_inventory(j: &Judged) -> bool {
    matches!(
        j.rec.table,
        Table::Heartbeat | Table::DeviceNetworkInfo | Table::DeviceFileCertificateInfo
    )
}

/// Every activity row is the malware's; no inventory row is.
fn every_label_malicious(rows: &[Judged]) -> bool {
    rows.iter()
        .all(|j| j.rec.label.malicious != is_inventory(j))
}

/// Started by the Task Scheduler service (Windows 10 / 11) or its engine
/// (Windows 7).
fn under_scheduler(j: &Judged) -> bool {
    (lc(j, Field::ParentImageName) == "svchost.exe"
        && f(j, Field::ParentCommandLine).contains("-k netsvcs"))
        || lc(j, Field::ParentImageName) == "taskeng.exe"
}

fn no_server_rows(rows: &[Judged]) -> bool {
    !any(rows, |j| j.rec.table == Table::DnsEvents)
}

fn both_sensors(rows: &[Judged]) -> bool {
    any(rows, |j| j.rec.table == Table::SysmonEvents)
        && any(rows, |j| {
            matches!(
                j.rec.table,
                Table::DeviceProcessEvents | Table::DeviceEvents | Table::DeviceFileEvents
            )
        })
}

/// Gaps between one host's C2 lookups of one name honour the resolver cache
/// (`ttl` seconds), and no two of a host's C2 lookups come closer than the
/// client's restart + connect delays allow (5 s + 4 s, less 20 % jitter).
fn c2_timing(rows: &[Judged], ttl_s: i64) -> bool {
    use std::collections::BTreeMap;
    let mut last_name: BTreeMap<(String, String), i64> = BTreeMap::new();
    let mut last_any: BTreeMap<String, i64> = BTreeMap::new();
    let mut ok = true;
    for j in rows
        .iter()
        .filter(|j| j.rec.label.step == "c2-lookup" && j.rec.table != Table::DnsEvents)
    {
        let host = j.rec.label.host.clone();
        let t = j.rec.time_ms;
        if let Some(prev) = last_name.insert((host.clone(), f(j, Field::QueryName).to_owned()), t) {
            // A reboot empties the cache, so allow shorter gaps only across one.
            ok &= t - prev >= ttl_s * 1000
                || any(rows, |r| {
                    r.rec.label.host == host
                        && r.rec.label.step == "relaunch"
                        && r.rec.time_ms > prev
                        && r.rec.time_ms < t
                });
        }
        if let Some(prev) = last_any.insert(host, t) {
            ok &= t - prev >= 7_200;
        }
    }
    ok
}

/// The claims of a scenario: those of the benign, background, malicious and
/// adversarial scenarios here, the rest in `extra`.
fn claims(id: &str) -> Vec<(&'static str, Check)> {
    benign_claims(id)
        .or_else(|| background_claims(id))
        .or_else(|| malicious_claims(id))
        .or_else(|| adversarial_claims(id))
        .or_else(|| network::claims(id))
        .unwrap_or_else(|| extra::claims(id))
}

/// Benign activity that fires and is excluded.
fn benign_claims(id: &str) -> Option<Vec<(&'static str, Check)>> {
    let claims: Vec<(&'static str, Check)> = match id {
        "benign-backup-job" => vec![
            ("nanocore.exe runs from C:\\Program Files\\BackupTool\\ under the Schedule service, named by its task's registration", |r| {
                let runs: Vec<&Judged> = r.iter().filter(|j| is_process(j) && f(j, Field::Image) == r"C:\Program Files\BackupTool\nanocore.exe").collect();
                !runs.is_empty()
                    && runs.iter().all(|j| under_scheduler(j) && f(j, Field::TaskName) == r"\Nightly Backup")
            }),
            ("an admin registers the task and asks the service to run it (schtasks.exe parents nothing)", |r| {
                any(r, |j| is_process(j) && lc(j, Field::FileName) == "schtasks.exe" && f(j, Field::CommandLine).contains("/run /tn"))
                    && any(r, |j| j.ev.source == Source::SecurityEvent)
                    && any(r, |j| j.ev.source == Source::DeviceEventsTask)
            }),
            ("it archives files, none named like NanoCore", |r| {
                any(r, |j| is_file(j) && lc(j, Field::Image).ends_with(r"backuptool\nanocore.exe") && f(j, Field::FilePath).ends_with(".zip"))
                    && !any(r, |j| is_file(j) && lc(j, Field::FileName).contains("nanocore"))
            }),
            ("every fired row is suppressed by backup-job", |r| all_fired_suppressed_by(r, "backup-job")),
            ("no IOC lookup", no_ioc_lookup),
            ("Sysmon and Defender hosts", both_sensors),
        ],
        "benign-network-diagnostics" => vec![
            ("nanocore.exe from cmd.exe and powershell.exe with netstat / nmap / tcpdump", |r| {
                let runs: Vec<&Judged> = r.iter().filter(|j| is_process(j) && lc(j, Field::FileName) == "nanocore.exe").collect();
                !runs.is_empty()
                    && runs.iter().all(|j| {
                        let cl = lc(j, Field::CommandLine);
                        ["cmd.exe", "powershell.exe"].contains(&lc(j, Field::ParentImageName).as_str())
                            && ["netstat", "nmap", "tcpdump"].iter().any(|w| cl.contains(w))
                    })
                    && runs.iter().any(|j| lc(j, Field::ParentImageName) == "cmd.exe")
                    && runs.iter().any(|j| lc(j, Field::ParentImageName) == "powershell.exe")
            }),
            ("the tool resolves internal names (joined to its process)", |r| {
                any(r, |j| is_dns(j) && j.ev.source == Source::SysmonDnsQuery && query(j).ends_with("corp.contoso.com") && lc(j, Field::CommandLine).starts_with("nanocore.exe"))
            }),
            ("every fired row is suppressed by network-diagnostics", |r| all_fired_suppressed_by(r, "network-diagnostics")),
            ("no IOC lookup", no_ioc_lookup),
        ],
        "benign-netdiag-pwsh-second-path" => vec![
            ("D:\\Apps\\NetDiag\\nanocore.exe from pwsh.exe with netstat / nmap / tcpdump", |r| {
                let runs: Vec<&Judged> = r.iter().filter(|j| is_process(j) && lc(j, Field::FileName) == "nanocore.exe").collect();
                !runs.is_empty()
                    && runs.iter().all(|j| {
                        let cl = lc(j, Field::CommandLine);
                        lc(j, Field::ParentImageName) == "pwsh.exe" && f(j, Field::Image) == r"D:\Apps\NetDiag\nanocore.exe"
                            && ["netstat", "nmap", "tcpdump"].iter().any(|w| cl.contains(w))
                    })
            }),
            ("no IOC lookup", no_ioc_lookup),
        ],
        "benign-software-update" => vec![
            ("nanocore.dll staged in C:\\Windows\\Temp\\update_package\\", |r| {
                any(r, |j| is_file(j) && f(j, Field::FilePath) == r"C:\Windows\Temp\update_package\nanocore.dll")
            }),
            ("msiexec.exe writes nanocore.dll", |r| any(r, |j| is_file(j) && lc(j, Field::FileName) == "nanocore.dll" && lc(j, Field::ImageName) == "msiexec.exe")),
            ("a child of msiexec.exe writes nanocore.dll", |r| {
                any(r, |j| is_file(j) && lc(j, Field::FileName) == "nanocore.dll" && lc(j, Field::ParentImageName) == "msiexec.exe")
            }),
            ("only file rows fire, each suppressed by software-update", |r| {
                all_fired_suppressed_by(r, "software-update") && r.iter().filter(|j| fired(j)).all(is_file)
            }),
            ("no IOC lookup", no_ioc_lookup),
            ("Sysmon and Defender hosts", both_sensors),
        ],
        "benign-log-cleanup" => vec![
            ("`nanocore.exe /clean` run by hand from cmd.exe", |r| {
                any(r, |j| is_process(j) && f(j, Field::CommandLine).contains(" /clean ") && lc(j, Field::ParentImageName) == "cmd.exe")
            }),
            ("TempCleanup and \\Maintenance\\LogCleanup runs by the Task Scheduler, with no cleanup word", |r| {
                let sched = |task: &str| {
                    any(r, |j| {
                        let cl = lc(j, Field::CommandLine);
                        is_process(j)
                            && f(j, Field::TaskName) == task
                            && under_scheduler(j)
                            && !["clean", "delete", "clear"].iter().any(|w| cl.contains(w))
                    })
                };
                sched(r"\TempCleanup") && sched(r"\Maintenance\LogCleanup")
            }),
            ("every fired row is suppressed by log-cleanup", |r| all_fired_suppressed_by(r, "log-cleanup")),
            ("no IOC lookup", no_ioc_lookup),
        ],
        "benign-name-collision" => vec![
            ("NanoCore-Studio.exe from Nanocore Imaging GmbH", |r| {
                any(r, |j| is_process(j) && f(j, Field::Image) == r"C:\Program Files\Nanocore Imaging\NanoCore-Studio.exe" && f(j, Field::Company) == "Nanocore Imaging GmbH")
            }),
            ("its NanoCore-Studio.ini rows fire and get the company through the join", |r| {
                any(r, |j| is_file(j) && lc(j, Field::FileName) == "nanocore-studio.ini" && fired(j) && f(j, Field::Company) == "Nanocore Imaging GmbH")
            }),
            ("every fired row is suppressed by name-collision", |r| all_fired_suppressed_by(r, "name-collision")),
            ("no IOC lookup", no_ioc_lookup),
        ],
        _ => return None,
    };
    Some(claims)
}

/// Background traffic: ordinary names, look-alikes and term-sequence collisions.
fn background_claims(id: &str) -> Option<Vec<(&'static str, Check)>> {
    let claims: Vec<(&'static str, Check)> = match id {
        "background-enterprise" => vec![
            ("nothing fires", |r| !any(r, fired)),
            ("popular and internal names, SRV and NXDOMAIN", |r| {
                any(r, |j| query(j) == "login.microsoftonline.com")
                    && any(r, |j| query(j).ends_with(".corp.contoso.com"))
                    && any(r, |j| {
                        j.rec.row.get("QueryType").and_then(|v| v.as_str()) == Some("SRV")
                    })
                    && any(r, |j| {
                        j.rec.row.get("ResultCode").and_then(|v| v.as_i64()) == Some(3)
                    })
            }),
            ("endpoint and server rows for the same lookups", |r| {
                any(r, |j| j.rec.table == Table::DnsEvents)
                    && any(r, |j| j.ev.source == Source::SysmonDnsQuery)
                    && any(r, |j| j.ev.source == Source::DeviceEventsDns)
            }),
            ("a few lookups per host per minute", |r| {
                let lookups = r.iter().filter(|j| j.rec.table == Table::DnsEvents).count() as f64;
                let per_host_minute = lookups / 24.0 / 480.0;
                (1.0..=2.0).contains(&per_host_minute)
            }),
        ],
        "background-lookalikes" => vec![
            ("every look-alike is looked up", |r| {
                [
                    "xestaliax.io",
                    "estaliax.iox",
                    "estaliax-io.net",
                    "estaliax_io.com",
                    "estaliaxio.com",
                    "duraktantuni.sites",
                    "myduraktantuni.site",
                ]
                .iter()
                .all(|n| any(r, |j| query(j) == *n))
            }),
            ("nothing fires", |r| !any(r, fired)),
        ],
        "background-has-collisions" => vec![
            ("every term-sequence name is looked up", |r| {
                [
                    "estaliax.io.example.net",
                    "estaliax.io-cdn.net",
                    "duraktantuni.site.mirror.example.org",
                ]
                .iter()
                .all(|n| any(r, |j| query(j) == *n))
                    && !any(r, |j| {
                        query(j).ends_with(".corp.contoso.com") && is_ioc_like(j)
                    })
            }),
            (
                "they fire and alert, labelled benign, and nothing else fires",
                |r| {
                    any(r, |j| j.d.alert)
                        && r.iter().filter(|j| fired(j)).all(|j| {
                            j.d.alert && !j.rec.label.malicious && j.rec.label.step == "extra-name"
                        })
                },
            ),
        ],
        _ => return None,
    };
    Some(claims)
}

/// NanoCore infections the detection must find.
fn malicious_claims(id: &str) -> Option<Vec<(&'static str, Check)>> {
    let claims: Vec<(&'static str, Check)> = match id {
        "nanocore-vbs-regasm" => vec![
            ("wscript.exe runs a .vbs from %TEMP%, saved by Outlook", |r| {
                any(r, |j| is_process(j) && lc(j, Field::FileName) == "wscript.exe" && f(j, Field::CommandLine).contains(r"\AppData\Local\Temp\") && f(j, Field::CommandLine).ends_with(".vbs\""))
                    && any(r, |j| is_file(j) && lc(j, Field::ImageName) == "outlook.exe" && f(j, Field::FilePath).ends_with(".vbs"))
            }),
            ("dhcpmon.exe under %AppData%\\Roaming\\{GUID}\\DHCP Monitor\\", |r| {
                any(r, |j| is_process(j) && in_guid_folder(f(j, Field::Image)) && f(j, Field::Image).ends_with(r"\DHCP Monitor\dhcpmon.exe"))
            }),
            ("the implant runs `schtasks /create /f /tn \"DHCP Monitor\" /xml %TEMP%\\tmpXXXX.tmp`", |r| {
                any(r, |j| {
                    let cl = f(j, Field::CommandLine);
                    is_process(j)
                        && lc(j, Field::FileName) == "schtasks.exe"
                        && cl.contains(r#"/create /f /tn "DHCP Monitor" /xml ""#)
                        && cl.contains(r"\AppData\Local\Temp\tmp")
                        && lc(j, Field::ParentImageName) == "dhcpmon.exe"
                })
            }),
            ("RegAsm.exe hollowed from the implant writes run.dat under %AppData%\\Roaming\\{GUID}\\", |r| {
                any(r, |j| is_process(j) && f(j, Field::Image) == r"C:\Windows\Microsoft.NET\Framework\v2.0.50727\RegAsm.exe" && lc(j, Field::ParentImageName) == "dhcpmon.exe")
                    && any(r, |j| is_file(j) && lc(j, Field::ImageName) == "regasm.exe" && in_guid_folder(f(j, Field::FilePath)) && f(j, Field::FilePath).ends_with(r"}\run.dat"))
            }),
            ("RegAsm.exe resolves both IOC domains, with subdomain, upper case and trailing dot", |r| {
                let by_regasm = |p: &dyn Fn(&str) -> bool| any(r, |j| is_dns(j) && j.ev.source == Source::SysmonDnsQuery && lc(j, Field::ImageName) == "regasm.exe" && p(f(j, Field::QueryName)));
                by_regasm(&|q| q == "estaliax.io")
                    && by_regasm(&|q| q == "duraktantuni.site")
                    && by_regasm(&|q| q == "ESTALIAX.IO.")
                    && by_regasm(&|q| q == "cdn.duraktantuni.site")
            }),
            ("the DNS server logs the C2 lookups", |r| any(r, |j| j.rec.table == Table::DnsEvents && is_ioc_lookup(j))),
            ("lookups paced by the resolver cache and the client's delays", |r| c2_timing(r, 300)),
            ("after a reboot the task restarts the implant, under the Schedule service", |r| {
                any(r, |j| j.rec.label.step == "relaunch" && under_scheduler(j) && lc(j, Field::FileName) == "dhcpmon.exe")
            }),
            ("every row is the malware's", every_label_malicious),
        ],
        "nanocore-invoice-regsvcs" => vec![
            ("Outlook starts an invoice .exe from Content.Outlook", |r| {
                any(r, |j| is_process(j) && f(j, Field::Image).contains(r"\INetCache\Content.Outlook\") && lc(j, Field::FileName).starts_with("invoice_") && lc(j, Field::ParentImageName) == "outlook.exe")
            }),
            ("RegSvcs.exe resolves the C2 on Defender rows, process on the row", |r| {
                any(r, |j| j.ev.source == Source::DeviceEventsDns && is_ioc_lookup(j) && lc(j, Field::ImageName) == "regsvcs.exe" && lc(j, Field::ParentImageName) == "dhcpmon.exe")
            }),
            ("a custom resolver: the DNS server sees nothing", no_server_rows),
            ("lookups paced by the resolver cache and the client's delays", |r| c2_timing(r, 120)),
            ("every row is the malware's", every_label_malicious),
        ],
        "nanocore-powershell-mixed" => vec![
            ("a Word macro starts PowerShell, which downloads the implant", |r| {
                any(r, |j| is_process(j) && lc(j, Field::FileName) == "powershell.exe" && lc(j, Field::ParentImageName) == "winword.exe" && f(j, Field::CommandLine).contains("-OutFile"))
            }),
            ("Sysmon and Defender hosts", both_sensors),
            ("relaunched by the Task Scheduler, the task named by its registration on both sensors", |r| {
                let relaunch = |src: Source| any(r, |j| j.rec.label.step == "relaunch" && j.ev.source == src && under_scheduler(j) && f(j, Field::TaskName) == r"\DHCP Monitor");
                relaunch(Source::DeviceProcessEvents) && relaunch(Source::SysmonProcessCreate)
            }),
            ("the implant's task creation is the malware's (ScheduledTaskCreated and 4698)", |r| {
                any(r, |j| j.ev.source == Source::DeviceEventsTask && j.rec.label.malicious)
                    && any(r, |j| j.ev.source == Source::SecurityEvent && j.rec.label.malicious)
            }),
            ("IOC lookups with a subdomain and a mixed-case trailing-dot name", |r| {
                any(r, |j| f(j, Field::QueryName) == "a1.estaliax.io") && any(r, |j| f(j, Field::QueryName) == "Duraktantuni.Site.")
            }),
            ("every row is the malware's", every_label_malicious),
        ],
        _ => return None,
    };
    Some(claims)
}

/// Infections shaped to pass for the activity an exclusion trusts.
fn adversarial_claims(id: &str) -> Option<Vec<(&'static str, Check)>> {
    let claims: Vec<(&'static str, Check)> = match id {
        "adversarial-backup-path" => vec![
            ("the implant runs as C:\\Program Files\\BackupTool\\nanocore.exe and resolves the C2 itself", |r| {
                any(r, |j| is_dns(j) && is_ioc_lookup(j) && f(j, Field::Image) == r"C:\Program Files\BackupTool\nanocore.exe")
            }),
            ("dropped by rename: no file row names nanocore.exe", |r| {
                !any(r, |j| is_file(j) && lc(j, Field::FileName).contains("nanocore"))
                    && any(r, |j| is_file(j) && f(j, Field::FilePath).starts_with(r"C:\Program Files\BackupTool\~DF"))
            }),
            ("a custom resolver: the DNS server sees nothing", no_server_rows),
            ("every fired row is suppressed by backup-job", |r| all_fired_suppressed_by(r, "backup-job")),
            ("every row is the malware's", every_label_malicious),
        ],
        "adversarial-backup-schtasks" => vec![
            ("the dropper runs `schtasks.exe /run /tn \"DHCP Monitor\"`; the Schedule service starts the implant", |r| {
                any(r, |j| is_process(j) && lc(j, Field::FileName) == "schtasks.exe" && f(j, Field::CommandLine).contains(r#"/run /tn "DHCP Monitor""#))
                    && any(r, |j| j.rec.label.step == "implant" && is_process(j) && under_scheduler(j))
            }),
            ("backup-job, read literally, hides nothing", |r| !any(r, |j| suppressed_by(j, "backup-job"))),
            ("the DNS server's rows alert", |r| any(r, |j| j.rec.table == Table::DnsEvents && j.d.alert)),
            ("Sysmon and Defender hosts", both_sensors),
            ("every row is the malware's", every_label_malicious),
        ],
        "adversarial-netdiag-decoy" => vec![
            ("powershell.exe starts the implant with a decoy netstat argument", |r| {
                any(r, |j| j.rec.label.step == "implant" && lc(j, Field::ParentImageName) == "powershell.exe" && f(j, Field::CommandLine).ends_with(" netstat -ano"))
            }),
            ("its C2 lookups are suppressed by network-diagnostics", |r| {
                any(r, is_ioc_lookup) && r.iter().filter(|j| is_ioc_lookup(j)).all(|j| suppressed_by(j, "network-diagnostics"))
            }),
            ("a custom resolver: the DNS server sees nothing", no_server_rows),
            ("every fired row is suppressed by network-diagnostics", |r| all_fired_suppressed_by(r, "network-diagnostics")),
            ("every row is the malware's", every_label_malicious),
        ],
        "adversarial-msi-update-package" => vec![
            ("msiexec.exe writes the implant C:\\Windows\\Temp\\update_package\\nanocore.dll, suppressed", |r| {
                any(r, |j| is_file(j) && f(j, Field::FilePath) == r"C:\Windows\Temp\update_package\nanocore.dll" && lc(j, Field::ImageName) == "msiexec.exe" && suppressed_by(j, "software-update"))
            }),
            ("rundll32.exe runs it, and RegAsm.exe's C2 lookups alert", |r| {
                any(r, |j| is_process(j) && lc(j, Field::FileName) == "rundll32.exe" && f(j, Field::CommandLine).contains(r"update_package\nanocore.dll"))
                    && any(r, |j| is_ioc_lookup(j) && lc(j, Field::ImageName) == "regasm.exe" && j.d.alert)
            }),
            ("every row is the malware's", every_label_malicious),
        ],
        "adversarial-clearcache" => vec![
            ("`nanocore.exe /clearcache` process rows are suppressed by log-cleanup", |r| {
                let runs: Vec<&Judged> = r.iter().filter(|j| is_process(j) && lc(j, Field::FileName) == "nanocore.exe").collect();
                !runs.is_empty() && runs.iter().all(|j| f(j, Field::CommandLine).ends_with(" /clearcache") && suppressed_by(j, "log-cleanup"))
            }),
            ("its Defender C2 rows are hidden, the DNS server's alert", |r| {
                any(r, |j| j.ev.source == Source::DeviceEventsDns && is_ioc_lookup(j) && suppressed_by(j, "log-cleanup"))
                    && any(r, |j| j.rec.table == Table::DnsEvents && j.d.alert)
            }),
            ("every row is the malware's", every_label_malicious),
        ],
        "adversarial-renamed-studio" => vec![
            ("the implant runs as NanoCore-Studio.exe with the vendor's company, from AppData", |r| {
                any(r, |j| is_process(j) && f(j, Field::Image).ends_with(r"\AppData\Roaming\Nanocore Imaging\NanoCore-Studio.exe") && f(j, Field::Company) == "Nanocore Imaging GmbH")
            }),
            ("it resolves the C2 itself through a custom resolver", |r| {
                any(r, |j| is_ioc_lookup(j) && lc(j, Field::ImageName) == "nanocore-studio.exe") && no_server_rows(r)
            }),
            ("every fired row is suppressed by name-collision", |r| all_fired_suppressed_by(r, "name-collision")),
            ("every row is the malware's", every_label_malicious),
        ],
        _ => return None,
    };
    Some(claims)
}

#[test]
fn every_scenario_contains_what_it_claims() {
    let det = common::detection();
    let mut failures = Vec::new();
    for s in common::library() {
        let rows = common::judge(&det, &s, &simulator::Options::default());
        let claims = claims(&s.id);
        if claims.is_empty() {
            failures.push(format!("{}: no claims written for this scenario", s.id));
        }
        for (what, check) in claims {
            if !check(&rows) {
                failures.push(format!("{}: {what}", s.id));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "claims that do not hold:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_row_is_well_formed_labelled_and_joined() {
    let det = common::detection();
    for s in common::library() {
        let rows = common::judge(&det, &s, &simulator::Options::default());
        assert!(!rows.is_empty(), "{}", s.id);
        for j in &rows {
            let expected: &[Source] = match j.rec.table {
                Table::DnsEvents => &[Source::DnsEvents],
                Table::SysmonEvents => &[
                    Source::SysmonProcessCreate,
                    Source::SysmonFileCreate,
                    Source::SysmonDnsQuery,
                    Source::SysmonNetworkConnect,
                ],
                Table::DeviceProcessEvents => &[Source::DeviceProcessEvents],
                Table::DeviceFileEvents => &[Source::DeviceFileEvents],
                Table::DeviceEvents => &[Source::DeviceEventsDns, Source::DeviceEventsTask],
                Table::SecurityEvent => &[Source::SecurityEvent],
                Table::DeviceFileCertificateInfo => &[Source::DeviceFileCertificateInfo],
                Table::DeviceNetworkInfo => &[Source::DeviceNetworkInfo],
                Table::Heartbeat => &[Source::Heartbeat],
                Table::DeviceNetworkEvents => &[Source::DeviceNetworkEvents],
                Table::CommonSecurityLog => &[Source::CommonSecurityLog],
            };
            assert!(
                expected.contains(&j.ev.source),
                "{}: {:?} row read as {:?}",
                s.id,
                j.rec.table,
                j.ev.source
            );
            assert_eq!(j.rec.label.scenario, s.id);
            assert_eq!(
                j.rec.label.malicious,
                s.generator.template.is_malicious() && !is_inventory(j),
                "{}",
                s.id
            );
            assert!(
                j.rec
                    .label
                    .host
                    .starts_with(&format!("{}-", s.generator.host_prefix)),
                "{}",
                j.rec.label.host
            );
            // Sysmon 11 / 22 rows were preceded by their process's event 1.
            if matches!(
                j.ev.source,
                Source::SysmonFileCreate | Source::SysmonDnsQuery
            ) {
                assert!(
                    !f(j, Field::CommandLine).is_empty() && !f(j, Field::ParentImage).is_empty(),
                    "{}: not joined: {:?}",
                    s.id,
                    j.rec.row
                );
            }
            // Ground truth never leaks into the row.
            let text = serde_json::to_string(&j.rec.row).expect("serialisable");
            assert!(
                !text.contains(&s.id) && !text.contains("malicious"),
                "{}: label in row {text}",
                s.id
            );
        }
        // Only the tools that resolve indicators on purpose look an IOC up
        // among benign scenarios.
        let resolves_iocs = matches!(
            s.generator.template,
            simulator::Template::SoarEnrichment(_) | simulator::Template::MailServer(_)
        );
        if matches!(s.kind, simulator::ScenarioKind::Benign) && !resolves_iocs {
            assert!(
                !rows.iter().any(is_ioc_lookup),
                "{}: a benign scenario queries an IOC",
                s.id
            );
        }
    }
}
