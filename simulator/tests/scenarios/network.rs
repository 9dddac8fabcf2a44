//! Claims of the network scenarios: C2 by address, the implant's own resolver
//! (RegAsm.exe, and RegSvcs.exe on Defender), Windows 7 hosts without event 22,
//! four hosts of which two have no sensor that sees the C2, a C2 on a new
//! port, a renamed implant with pinned digests, and the benign
//! traffic (a shared CDN address, an inbound scan, other paths on a file host,
//! a browser resolving over DNS over HTTPS).

use simulator::Table;

use super::{any, every_label_malicious, is_dns, Check, Judged};

const IMPLANT_SHA256: &str = "9f2c1a7e5b3d4c6e8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f";

fn col<'a>(j: &'a Judged, c: &str) -> &'a str {
    j.rec.row.get(c).and_then(|v| v.as_str()).unwrap_or("")
}

fn num(j: &Judged, c: &str) -> i64 {
    j.rec
        .row
        .get(c)
        .and_then(serde_json::Value::as_i64)
        .unwrap_or(-1)
}

fn dne(j: &Judged) -> bool {
    j.rec.table == Table::DeviceNetworkEvents
}

fn csl(j: &Judged) -> bool {
    j.rec.table == Table::CommonSecurityLog
}

fn sysmon3(j: &Judged) -> bool {
    j.rec.table == Table::SysmonEvents && num(j, "EventID") == 3
}

/// Defender connections of the implant, one to `ip:port`, none with a
/// `RemoteUrl`; with `both`, attempts that succeeded and attempts that failed.
fn implant_dne(r: &[Judged], ip: &str, port: i64, both: bool) -> bool {
    let rows: Vec<&Judged> = r
        .iter()
        .filter(|j| dne(j) && j.rec.label.step == "c2-connect")
        .collect();
    !rows.is_empty()
        && rows
            .iter()
            .all(|j| col(j, "RemoteUrl").is_empty() && col(j, "Protocol") == "Tcp")
        && rows
            .iter()
            .any(|j| col(j, "RemoteIP") == ip && num(j, "RemotePort") == port)
        && (!both
            || ["ConnectionSuccess", "ConnectionFailed"]
                .iter()
                .all(|a| rows.iter().any(|j| col(j, "ActionType") == *a)))
}

/// The firewall's rows of the implant: the host's address NATed to the egress.
fn firewall_nat(r: &[Judged], ips: &[&str], port: i64) -> bool {
    let rows: Vec<&Judged> = r
        .iter()
        .filter(|j| csl(j) && j.rec.label.step == "c2-connect")
        .collect();
    !rows.is_empty()
        && rows.iter().all(|j| {
            col(j, "SourceIP").starts_with("10.")
                && col(j, "SourceTranslatedAddress") == "203.0.113.10"
                && col(j, "Computer") == "fw-edge-01"
                && ips.contains(&col(j, "DestinationIP"))
                && num(j, "DestinationPort") == port
        })
}

fn no_dns_rows(r: &[Judged]) -> bool {
    !any(r, is_dns)
}

pub fn claims(id: &str) -> Option<Vec<(&'static str, Check)>> {
    if let Some(claims) = sensor_claims(id).or_else(|| doh_claims(id)) {
        return Some(claims);
    }
    let claims: Vec<(&'static str, Check)> = match id {
        "nanocore-c2-by-address" => vec![
            ("no DNS row at all", no_dns_rows),
            ("Defender: the implant's attempts to 198.51.100.23:54984, succeeded and failed, RemoteUrl empty", |r| implant_dne(r, "198.51.100.23", 54984, true)),
            ("Sysmon 3: dhcpmon.exe under AppData, sessions established, no C2 name", |r| {
                any(r, |j| sysmon3(j) && col(j, "Image").ends_with(r"\dhcpmon.exe") && col(j, "DestinationIp") == "198.51.100.23")
                    && r.iter().filter(|j| sysmon3(j)).all(|j| !col(j, "DestinationHostname").contains("estaliax"))
            }),
            ("PAN-OS rows with source NAT", |r| {
                firewall_nat(r, &["198.51.100.23"], 54984)
                    && r.iter().filter(|j| csl(j)).all(|j| col(j, "DeviceProduct") == "PAN-OS" && col(j, "Activity") == "TRAFFIC")
            }),
            ("every row is the malware's", every_label_malicious),
        ],
        "nanocore-own-resolver" => vec![
            ("no DNS log sees the names", no_dns_rows),
            ("RegAsm.exe's UDP to 8.8.8.8:53 in Defender", |r| {
                any(r, |j| dne(j) && col(j, "RemoteIP") == "8.8.8.8" && num(j, "RemotePort") == 53 && col(j, "Protocol") == "Udp" && col(j, "InitiatingProcessFileName") == "RegAsm.exe")
            }),
            ("then TCP to both C2 addresses", |r| implant_dne(r, "198.51.100.23", 54984, false) && implant_dne(r, "192.0.2.45", 54984, false)),
            ("Sysmon's rules log no RegAsm.exe connection", |r| !any(r, sysmon3)),
            ("FortiGate rows with source NAT", |r| {
                firewall_nat(r, &["198.51.100.23", "192.0.2.45"], 54984)
            }),
            ("every row is the malware's", every_label_malicious),
        ],
        "nanocore-c2-new-port" => vec![
            ("the dropper's download: lookup of estaliax.io and the full URL at the proxy", |r| {
                any(r, |j| is_dns(j) && j.rec.label.step == "stage-download")
                    && any(r, |j| csl(j) && col(j, "DeviceProduct") == "NSSWeblog" && col(j, "RequestURL") == "estaliax.io/dl/inv0521.exe")
            }),
            ("the implant connects to 198.51.100.23:7700", |r| implant_dne(r, "198.51.100.23", 7700, false)),
            ("no C2 lookup", |r| !any(r, |j| is_dns(j) && j.rec.label.step == "c2-lookup")),
            ("every row is the malware's", every_label_malicious),
        ],
        "nanocore-c2-shared-address" => vec![
            ("the C2 lookups answer the Cloudflare address", |r| {
                any(r, |j| is_dns(j) && j.rec.label.step == "c2-lookup" && col(j, "IPAddresses") == "104.21.55.10")
            }),
            ("Defender: RegAsm.exe's connections to 104.21.55.10:443, RemoteUrl empty", |r| {
                implant_dne(r, "104.21.55.10", 443, false)
                    && r.iter().filter(|j| dne(j) && j.rec.label.step == "c2-connect").all(|j| col(j, "InitiatingProcessFileName") == "RegAsm.exe")
            }),
            ("Sysmon's rules log no RegAsm.exe connection", |r| !any(r, sysmon3)),
            ("PAN-OS rows with source NAT", |r| firewall_nat(r, &["104.21.55.10"], 443)),
            ("every row is the malware's", every_label_malicious),
        ],
        "adversarial-renamed-implant-hash" => vec![
            ("the renamed implant's file and process rows carry the pinned SHA-256 on both sensors", |r| {
                let defender = any(r, |j| j.rec.table == Table::DeviceProcessEvents && col(j, "FileName") == "NanoCore-Studio.exe" && col(j, "SHA256") == IMPLANT_SHA256)
                    && any(r, |j| j.rec.table == Table::DeviceFileEvents && col(j, "FileName") == "NanoCore-Studio.exe" && col(j, "SHA256") == IMPLANT_SHA256);
                let sysmon = any(r, |j| num(j, "EventID") == 1 && col(j, "Hashes").contains(&format!("SHA256={}", IMPLANT_SHA256.to_ascii_uppercase())));
                defender && sysmon
            }),
            ("the inspecting proxy logs the download's full URL", |r| {
                any(r, |j| csl(j) && col(j, "RequestURL") == "files.sharehost.example/u/7f3a/invoice_0521.exe" && col(j, "RequestMethod") == "GET")
            }),
            ("every row is the malware's", every_label_malicious),
        ],
        "benign-cdn-shared-address" => vec![
            ("browser HTTPS to 104.21.55.10:443 with the site in RemoteUrl", |r| {
                any(r, |j| dne(j) && col(j, "RemoteIP") == "104.21.55.10" && num(j, "RemotePort") == 443 && col(j, "RemoteUrl").ends_with(".example") && col(j, "InitiatingProcessFileName") == "msedge.exe")
            }),
            ("the lookups answer the CDN address", |r| any(r, |j| is_dns(j) && col(j, "IPAddresses") == "104.21.55.10")),
            ("firewall rows to the address, NATed", |r| any(r, |j| csl(j) && col(j, "DestinationIP") == "104.21.55.10" && col(j, "SourceTranslatedAddress") == "203.0.113.10")),
            ("no row is the malware's", |r| r.iter().all(|j| !j.rec.label.malicious)),
        ],
        "benign-inbound-scan" => vec![
            ("denied inbound probes from 192.0.2.45", |r| {
                let rows: Vec<&Judged> = r.iter().filter(|j| csl(j)).collect();
                !rows.is_empty() && rows.iter().all(|j| col(j, "SourceIP") == "192.0.2.45" && col(j, "DeviceAction") == "deny" && col(j, "DestinationIP") == "203.0.113.10")
            }),
            ("no host connects to it", |r| !any(r, |j| dne(j) && col(j, "RemoteIP") == "192.0.2.45")),
            ("no row is the malware's", |r| r.iter().all(|j| !j.rec.label.malicious)),
        ],
        "benign-url-other-path" => vec![
            ("the proxy logs CONNECT host:443 for some hosts, other paths in full for others", |r| {
                any(r, |j| csl(j) && col(j, "RequestMethod") == "CONNECT" && col(j, "RequestURL") == "files.sharehost.example:443")
                    && any(r, |j| csl(j) && col(j, "RequestMethod") == "GET" && col(j, "RequestURL").starts_with("files.sharehost.example/u/"))
                    && !any(r, |j| col(j, "RequestURL").contains("invoice_0521.exe"))
            }),
            ("Defender names the host in RemoteUrl", |r| any(r, |j| dne(j) && col(j, "RemoteUrl") == "files.sharehost.example")),
            ("no row is the malware's", |r| r.iter().all(|j| !j.rec.label.malicious)),
        ],
        "benign-update-agents" => vec![
            ("the updaters' checks reach the shared AWS address, named in RemoteUrl", |r| {
                ["hlupdate.exe", "KettleUpdate.exe"].iter().all(|image| {
                    any(r, |j| dne(j) && col(j, "RemoteIP") == "3.0.12.40" && num(j, "RemotePort") == 443 && col(j, "InitiatingProcessFileName") == *image && col(j, "RemoteUrl").ends_with(".example"))
                })
            }),
            ("the machine-wide updaters run as SYSTEM, the per-user one as the user", |r| {
                let account = |image: &str| r.iter().filter(|j| dne(j) && col(j, "InitiatingProcessFileName") == image).map(|j| col(j, "InitiatingProcessAccountName").to_owned()).collect::<Vec<_>>();
                let (machine, user) = (account("hlupdate.exe"), account("KettleUpdate.exe"));
                !machine.is_empty() && machine.iter().all(|a| a == "system") && !user.is_empty() && user.iter().all(|a| a != "system")
            }),
            ("Sysmon 3 logs the per-user updater under AppData only", |r| {
                let rows: Vec<&Judged> = r.iter().filter(|j| sysmon3(j)).collect();
                !rows.is_empty() && rows.iter().all(|j| col(j, "Image").contains(r"\AppData\Local\Kettle Analytics\"))
            }),
            ("the firewall logs the sessions", |r| any(r, |j| csl(j) && col(j, "DestinationIP") == "3.0.12.40")),
            ("no row is the malware's", |r| r.iter().all(|j| !j.rec.label.malicious)),
        ],
        _ => return None,
    };
    Some(claims)
}

/// Claims of the browser resolving over DNS over HTTPS: no DNS log, only
/// network telemetry.
fn doh_claims(id: &str) -> Option<Vec<(&'static str, Check)>> {
    let claims: Vec<(&'static str, Check)> = match id {
        "background-browser-doh" => vec![
            (
                "no DNS log has the browser's lookups: every DNS row is the update agent's",
                |r| {
                    any(r, is_dns)
                        && r.iter()
                            .filter(|j| is_dns(j))
                            .all(|j| j.rec.label.step == "update-check")
                },
            ),
            (
                "Edge asks dns.google over HTTPS: Defender, the firewall and the proxy log it",
                |r| {
                    any(r, |j| {
                        dne(j)
                            && col(j, "RemoteUrl") == "dns.google"
                            && col(j, "RemoteIP") == "8.8.8.8"
                            && num(j, "RemotePort") == 443
                            && col(j, "InitiatingProcessFileName") == "msedge.exe"
                    }) && any(r, |j| {
                        csl(j)
                            && col(j, "DeviceProduct") == "PAN-OS"
                            && col(j, "DestinationIP") == "8.8.8.8"
                    }) && any(r, |j| csl(j) && col(j, "RequestURL") == "dns.google:443")
                },
            ),
            (
                "network telemetry sees the visits, with the site in RemoteUrl",
                |r| {
                    any(r, |j| {
                        dne(j)
                            && j.rec.label.step == "browse"
                            && col(j, "RemoteUrl").ends_with(".example")
                    })
                },
            ),
            ("no hunt fires", |r| r.iter().all(|j| j.d.fired == 0)),
            ("no row is the malware's", |r| {
                r.iter().all(|j| !j.rec.label.malicious)
            }),
        ],
        _ => return None,
    };
    Some(claims)
}

/// Claims of the scenarios about what a sensor cannot see: the implant's own
/// queries on a site without network telemetry, and Windows 7 Sysmon hosts.
fn sensor_claims(id: &str) -> Option<Vec<(&'static str, Check)>> {
    let claims: Vec<(&'static str, Check)> = match id {
        "nanocore-invoice-regsvcs-own-queries" => vec![
            ("no DNS log sees the names", no_dns_rows),
            (
                "the site collects no network telemetry: no C2 row at all",
                |r| !any(r, |j| j.rec.label.step.starts_with("c2-")),
            ),
            (
                "Defender logs the dropper and the hollowed RegSvcs.exe",
                |r| {
                    any(r, |j| {
                        j.rec.table == Table::DeviceProcessEvents
                            && col(j, "FileName") == "RegSvcs.exe"
                    })
                },
            ),
            ("every row is the malware's", every_label_malicious),
        ],
        "nanocore-win7-sysmon" => vec![
            ("Windows 7: no Sysmon event 22", |r| {
                !any(r, |j| {
                    j.rec.table == Table::SysmonEvents && num(j, "EventID") == 22
                })
            }),
            (
                "Sysmon logs RegAsm.exe's process and dhcpmon.exe's file",
                |r| {
                    any(r, |j| {
                        j.rec.table == Table::SysmonEvents
                            && num(j, "EventID") == 1
                            && col(j, "Image").ends_with(r"\RegAsm.exe")
                    }) && any(r, |j| {
                        j.rec.table == Table::SysmonEvents
                            && num(j, "EventID") == 11
                            && col(j, "TargetFilename").ends_with(r"\dhcpmon.exe")
                    })
                },
            ),
            ("the site's DNS server logs the C2 lookups", |r| {
                any(r, |j| {
                    j.rec.table == Table::DnsEvents && j.rec.label.step == "c2-lookup" && is_dns(j)
                })
            }),
            ("Sysmon's rules log no RegAsm.exe connection", |r| {
                !any(r, sysmon3)
            }),
            ("FortiGate rows with source NAT", |r| {
                firewall_nat(r, &["198.51.100.23", "192.0.2.45"], 54984)
            }),
            ("every row is the malware's", every_label_malicious),
        ],
        "nanocore-four-hosts-two-blind" => vec![
            ("all four hosts are infected", |r| {
                hosts_where(r, |j| j.rec.label.malicious)
                    == ["WS-QA-01", "WS-QA-02", "WS-QA-03", "WS-QA-04"]
            }),
            (
                "only the Windows 10 hosts log the C2 lookups (Sysmon 22)",
                |r| {
                    hosts_where(r, |j| is_dns(j) && j.rec.label.step == "c2-lookup")
                        == ["WS-QA-01", "WS-QA-03"]
                        && r.iter()
                            .filter(|j| is_dns(j))
                            .all(|j| j.rec.table == Table::SysmonEvents)
                },
            ),
            (
                "no network telemetry: no firewall, proxy, Defender or Sysmon 3 row",
                |r| !any(r, |j| csl(j) || dne(j) || sysmon3(j)),
            ),
            (
                "the Windows 7 hosts' rows are processes, files and tasks only",
                |r| {
                    r.iter()
                        .filter(|j| ["WS-QA-02", "WS-QA-04"].contains(&j.rec.label.host.as_str()))
                        .all(|j| {
                            matches!(
                                j.rec.table,
                                Table::SysmonEvents | Table::SecurityEvent | Table::Heartbeat
                            ) && !is_dns(j)
                        })
                },
            ),
            ("every row is the malware's", every_label_malicious),
        ],
        _ => return None,
    };
    Some(claims)
}

/// The hosts (sorted, once each) of the rows that `keep`.
fn hosts_where(r: &[Judged], keep: impl Fn(&Judged) -> bool) -> Vec<String> {
    let set: std::collections::BTreeSet<&str> = r
        .iter()
        .filter(|j| keep(j))
        .map(|j| j.rec.label.host.as_str())
        .collect();
    set.into_iter().map(str::to_owned).collect()
}

/// Sysmon writes no event 22 on a Windows 7 host, in any scenario of the
/// library (its DNS query telemetry came with Windows 8.1).
#[test]
fn no_event_22_on_windows_7_hosts() {
    let det = super::common::detection();
    let mut seen_win7 = 0;
    for s in super::common::library() {
        let g = &s.generator;
        let win7: Vec<String> = (0..g.hosts)
            .filter(|&i| g.windows_of(i) == simulator::Windows::Win7)
            .map(|i| g.host_name(i))
            .collect();
        if win7.is_empty() {
            continue;
        }
        let rows = super::common::judge(&det, &s, &simulator::Options::default());
        let sysmon_win7 = rows
            .iter()
            .filter(|j| j.rec.table == Table::SysmonEvents && win7.contains(&j.rec.label.host))
            .count();
        seen_win7 += sysmon_win7;
        let event_22: Vec<&str> = rows
            .iter()
            .filter(|j| {
                j.rec.table == Table::SysmonEvents
                    && num(j, "EventID") == 22
                    && win7.contains(&j.rec.label.host)
            })
            .map(|j| j.rec.label.host.as_str())
            .collect();
        assert!(event_22.is_empty(), "{}: event 22 on {event_22:?}", s.id);
    }
    assert!(seen_win7 > 0, "no scenario has a Windows 7 Sysmon host");
}
