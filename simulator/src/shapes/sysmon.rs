//! Sysmon's columns: events 1 (process creation), 3 (network connection), 11
//! (file creation) and 22 (DNS query), flattened as public datasets store them. Missing values are `-`, as
//! Sysmon writes them.

use serde_json::Value;

use crate::row::Row;

use super::conn::{ptr_name, Conn};
use super::defender::digest;
use super::dns::Answer;
use super::host::{Host, AD_DOMAIN};
use super::process::Proc;
use crate::record::{Record, Table};
use crate::rng::stable_hex_of;
use crate::time;

/// Sysmon's event channel.
pub const SYSMON_CHANNEL: &str = "Microsoft-Windows-Sysmon/Operational";

/// The columns every Sysmon row starts with.
fn head(h: &Host, t: i64, event_id: u32) -> Row {
    // Each event's column count: no map grows or holds more than its row needs.
    let mut m = Row::with_capacity(match event_id {
        1 => 28,
        11 => 13,
        3 => 25,
        _ => 14,
    });
    m.insert("@timestamp", time::iso(t).into());
    m.insert("Hostname", h.fqdn().into());
    m.insert("Channel", SYSMON_CHANNEL.into());
    m.insert("SourceName", "Microsoft-Windows-Sysmon".into());
    m.insert("EventID", event_id.into());
    m.insert("RuleName", "-".into());
    m.insert("UtcTime", time::sysmon(t).into());
    m
}

/// `NT AUTHORITY\SYSTEM` or `CONTOSO\user`.
fn account(h: &Host, system: bool) -> String {
    if system {
        r"NT AUTHORITY\SYSTEM".to_owned()
    } else {
        let mut s = String::with_capacity(AD_DOMAIN.len() + 1 + h.id.user.len());
        s.push_str(AD_DOMAIN);
        s.push('\\');
        s.push_str(&h.id.user);
        s
    }
}

fn hashes(key: &str) -> String {
    format!(
        "SHA1={},MD5={},SHA256={},IMPHASH={}",
        digest("sha1", key, 40).to_ascii_uppercase(),
        digest("md5", key, 32).to_ascii_uppercase(),
        digest("sha256", key, 64).to_ascii_uppercase(),
        stable_hex_of(&["imphash:", key], 32, true),
    )
}

fn dash(s: &str) -> Value {
    if s.is_empty() {
        "-".into()
    } else {
        s.into()
    }
}

/// Event 1: `p` was created at `t`.
pub(super) fn process(h: &Host, t: i64, p: &Proc, step: &str) -> Record {
    let parent = p.parent.as_deref();
    let mut m = head(h, t, 1);
    m.insert("ProcessGuid", p.guid.clone().into());
    m.insert("ProcessId", p.pid.into());
    m.insert("Image", p.image.clone().into());
    m.insert("FileVersion", dash(&p.meta.file_version));
    m.insert("Description", dash(&p.meta.description));
    m.insert("Product", dash(&p.meta.product));
    m.insert("Company", dash(&p.meta.company));
    m.insert("OriginalFileName", dash(&p.meta.original_file_name));
    m.insert("CommandLine", p.command_line.clone().into());
    m.insert("CurrentDirectory", p.current_directory.clone().into());
    m.insert("User", account(h, p.system).into());
    m.insert(
        "LogonGuid",
        if p.system {
            format!("{{{}-0000-0000-0000-000000000000}}", h.guid_prefix)
        } else {
            h.logon_guid.clone()
        }
        .into(),
    );
    m.insert(
        "LogonId",
        if p.system {
            "0x3e7".to_owned()
        } else {
            format!("0x{}", h.logon_hex)
        }
        .into(),
    );
    m.insert("TerminalSessionId", u32::from(!p.system).into());
    m.insert("IntegrityLevel", p.integrity.into());
    m.insert("Hashes", hashes(&p.hash_key).into());
    m.insert(
        "ParentProcessGuid",
        parent.map_or("-".to_owned(), |q| q.guid.clone()).into(),
    );
    m.insert("ParentProcessId", parent.map_or(0, |q| q.pid).into());
    m.insert(
        "ParentImage",
        parent.map_or("-".to_owned(), |q| q.image.clone()).into(),
    );
    m.insert(
        "ParentCommandLine",
        parent
            .map_or("-".to_owned(), |q| q.command_line.clone())
            .into(),
    );
    m.insert(
        "ParentUser",
        account(h, parent.is_none_or(|q| q.system)).into(),
    );
    h.record(t, Table::SysmonEvents, m, step)
}

/// Event 11: `p` created the file `path` at `t`.
pub(super) fn file(h: &Host, t: i64, p: &Proc, path: &str, step: &str) -> Record {
    let mut m = head(h, t, 11);
    m.insert("ProcessGuid", p.guid.clone().into());
    m.insert("ProcessId", p.pid.into());
    m.insert("Image", p.image.clone().into());
    m.insert("TargetFilename", path.into());
    m.insert("CreationUtcTime", time::sysmon(t).into());
    m.insert("User", account(h, p.system).into());
    h.record(t, Table::SysmonEvents, m, step)
}

/// Event 22: `p` looked up `name` at `t` and got `ans`.
pub(super) fn lookup(h: &Host, t: i64, p: &Proc, name: &str, ans: &Answer, step: &str) -> Record {
    let mut m = head(h, t, 22);
    m.insert("ProcessGuid", p.guid.clone().into());
    m.insert("ProcessId", p.pid.into());
    m.insert("QueryName", name.into());
    m.insert(
        "QueryStatus",
        if ans.nxdomain { "9003" } else { "0" }.into(),
    );
    m.insert("QueryResults", sysmon_results(ans).into());
    m.insert("Image", p.image.clone().into());
    m.insert("User", account(h, p.system).into());
    h.record(t, Table::SysmonEvents, m, step)
}

/// Event 3: `p` connected out at `t` (the configuration's include rules
/// matched). `DestinationHostname` is Sysmon's reverse lookup of the address (a
/// PTR name, or `-`), never the name the process asked for.
pub(super) fn connection(
    h: &Host,
    t: i64,
    p: &Proc,
    c: &Conn<'_>,
    local_port: u16,
    step: &str,
) -> Record {
    let mut m = head(h, t, 3);
    m.insert("ProcessGuid", p.guid.clone().into());
    m.insert("ProcessId", p.pid.into());
    m.insert("Image", p.image.clone().into());
    m.insert("User", account(h, p.system).into());
    m.insert("Protocol", c.proto.lower().into());
    m.insert("Initiated", "true".into());
    m.insert("SourceIsIpv6", "false".into());
    m.insert("SourceIp", h.ip.clone().into());
    m.insert("SourceHostname", h.fqdn().into());
    m.insert("SourcePort", local_port.into());
    m.insert("SourcePortName", "-".into());
    m.insert("DestinationIsIpv6", "false".into());
    m.insert("DestinationIp", c.remote_ip.into());
    m.insert(
        "DestinationHostname",
        ptr_name(c.remote_ip)
            .unwrap_or_else(|| "-".to_owned())
            .into(),
    );
    m.insert("DestinationPort", c.remote_port.into());
    m.insert(
        "DestinationPortName",
        match c.remote_port {
            53 => "domain",
            80 => "http",
            443 => "https",
            _ => "-",
        }
        .into(),
    );
    h.record(t, Table::SysmonEvents, m, step)
}

/// Sysmon's `QueryResults`: `type:  5 cname;::ffff:1.2.3.4;` or `-`.
pub fn sysmon_results(ans: &Answer) -> String {
    if ans.nxdomain || ans.ips.is_empty() {
        return "-".to_owned();
    }
    let mut s = String::new();
    if let Some(c) = &ans.cname {
        s.push_str("type:  5 ");
        s.push_str(c);
        s.push(';');
    }
    for ip in &ans.ips {
        if ip.contains(':') {
            s.push_str(ip);
        } else {
            s.push_str("::ffff:");
            s.push_str(ip);
        }
        s.push(';');
    }
    s
}
