//! Defender for Endpoint's columns: `DeviceProcessEvents`, `DeviceFileEvents`,
//! `DeviceEvents` (`DnsQueryResponse`) and `DeviceNetworkEvents`. Missing values are `""`. Every column is
//! one the table's documentation lists (`sources/schemas/`).

use crate::row::Row;

use super::conn::{derived, Conn, Proto};
use super::host::{Host, AD_DOMAIN};
use super::path::basename;
use super::process::Proc;
use crate::json::text_object;
use crate::record::{Record, Table};
use crate::rng::{fnv1a, stable_hex_of};
use crate::time;

/// The columns every Defender row starts with.
pub(super) fn head(h: &Host, t: i64, action: &str) -> Row {
    // Each row's column count: no map grows or holds more than its row needs.
    let mut m = Row::with_capacity(match action {
        "ProcessCreated" => 37,
        "FileCreated" | "FileRenamed" => 25,
        "ConnectionSuccess" | "ConnectionFailed" => 30,
        "" => 17,
        _ => 20,
    });
    m.insert("Timestamp", time::iso(t).into());
    m.insert("DeviceId", h.device_id.clone().into());
    m.insert("DeviceName", h.device_name().into());
    m.insert("ActionType", action.into());
    m
}

/// (domain, account): `nt authority` / `system` or `contoso` / the user.
fn account(h: &Host, system: bool) -> (String, String) {
    if system {
        ("nt authority".to_owned(), "system".to_owned())
    } else {
        (AD_DOMAIN.to_ascii_lowercase(), h.id.user.clone())
    }
}

/// `SHA1`, `SHA256`, `MD5` (stable for the file's `key`) and `FileSize`.
fn hashes(m: &mut Row, key: &str) {
    for (column, algo, n) in [
        ("SHA1", "sha1", 40),
        ("SHA256", "sha256", 64),
        ("MD5", "md5", 32),
    ] {
        m.insert(column, digest(algo, key, n).into());
    }
    m.insert("FileSize", file_size(key).into());
}

/// A file's digest: `algo` over the file whose hash key is `key` (lower-case hex;
/// Sysmon writes the same digits in upper case).
/// A key `pin:<sha256>:<sha1>:<md5>` gives those digests (a scenario's pinned
/// implant); any other key, digests derived from it.
pub(super) fn digest(algo: &str, key: &str, n: usize) -> String {
    if let Some(pinned) = key.strip_prefix(PIN) {
        let mut parts = pinned.split(':');
        let [Some(sha256), Some(sha1), Some(md5)] = [parts.next(), parts.next(), parts.next()]
        else {
            return stable_hex_of(&[algo, ":", key], n, false);
        };
        match algo {
            "sha256" => return sha256.to_owned(),
            "sha1" => return sha1.to_owned(),
            "md5" => return md5.to_owned(),
            _ => {}
        }
    }
    stable_hex_of(&[algo, ":", key], n, false)
}

/// The prefix of a hash key that pins a file's digests.
pub const PIN: &str = "pin:";

/// A file's size in bytes (stable for its key).
fn file_size(key: &str) -> u64 {
    4_096 + fnv1a(key.as_bytes()) % 4_000_000
}

/// The `InitiatingProcess*` columns describing `p`.
pub(super) fn initiating(h: &Host, m: &mut Row, p: &Proc) {
    let (dom, acc) = account(h, p.system);
    m.insert("InitiatingProcessAccountDomain", dom.into());
    m.insert("InitiatingProcessAccountName", acc.into());
    for (column, algo, n) in [
        ("InitiatingProcessSHA1", "sha1", 40),
        ("InitiatingProcessSHA256", "sha256", 64),
        ("InitiatingProcessMD5", "md5", 32),
    ] {
        m.insert(column, digest(algo, &p.hash_key, n).into());
    }
    m.insert("InitiatingProcessFileName", basename(&p.image).into());
    m.insert("InitiatingProcessFolderPath", p.image.clone().into());
    m.insert("InitiatingProcessId", p.pid.into());
    m.insert(
        "InitiatingProcessCommandLine",
        p.command_line.clone().into(),
    );
    m.insert(
        "InitiatingProcessCreationTime",
        time::iso(p.created_ms).into(),
    );
    m.insert(
        "InitiatingProcessVersionInfoCompanyName",
        p.meta.company.clone().into(),
    );
    let (ppid, pname) = p.parent.as_ref().map_or((0, String::new()), |pp| {
        (pp.pid, basename(&pp.image).to_owned())
    });
    m.insert("InitiatingProcessParentId", ppid.into());
    m.insert("InitiatingProcessParentFileName", pname.into());
}

/// `ReportId` and `Type` (the Log Analytics table name).
pub(super) fn tail(h: &mut Host, m: &mut Row, table: Table) {
    m.insert("ReportId", h.rng.range(1_000, 9_999_999).into());
    m.insert("Type", table.name().into());
}

/// [`tail`], then the record.
fn finish(h: &mut Host, t: i64, mut m: Row, table: Table, step: &str) -> Record {
    tail(h, &mut m, table);
    h.record(t, table, m, step)
}

/// `DeviceProcessEvents`: `p` was created at `t`.
pub(super) fn process(h: &mut Host, t: i64, p: &Proc, step: &str) -> Record {
    let mut m = head(h, t, "ProcessCreated");
    m.insert("FileName", basename(&p.image).into());
    m.insert("FolderPath", p.image.clone().into());
    hashes(&mut m, &p.hash_key);
    m.insert(
        "ProcessVersionInfoCompanyName",
        p.meta.company.clone().into(),
    );
    m.insert(
        "ProcessVersionInfoProductName",
        p.meta.product.clone().into(),
    );
    m.insert(
        "ProcessVersionInfoOriginalFileName",
        p.meta.original_file_name.clone().into(),
    );
    m.insert(
        "ProcessVersionInfoFileDescription",
        p.meta.description.clone().into(),
    );
    m.insert("ProcessId", p.pid.into());
    m.insert("ProcessCommandLine", p.command_line.clone().into());
    m.insert("ProcessIntegrityLevel", p.integrity.into());
    m.insert("ProcessCreationTime", time::iso(p.created_ms).into());
    let (dom, acc) = account(h, p.system);
    m.insert("AccountDomain", dom.into());
    m.insert("AccountName", acc.into());
    m.insert(
        "AccountSid",
        if p.system {
            "S-1-5-18".to_owned()
        } else {
            h.user_sid()
        }
        .into(),
    );
    m.insert(
        "LogonId",
        if p.system {
            999
        } else {
            u64::from_str_radix(&h.logon_hex, 16).unwrap_or(0)
        }
        .into(),
    );
    if let Some(q) = p.parent.as_deref() {
        initiating(h, &mut m, q);
    }
    finish(h, t, m, Table::DeviceProcessEvents, step)
}

/// `DeviceFileEvents`: `p` created (`FileCreated`) or renamed (`FileRenamed`, from
/// `previous`) the file `path`, whose hash key is `key`, at `t`.
#[allow(clippy::too_many_arguments)]
pub(super) fn file(
    h: &mut Host,
    t: i64,
    p: &Proc,
    action: &str,
    path: &str,
    key: &str,
    previous: Option<&str>,
    step: &str,
) -> Record {
    let mut m = head(h, t, action);
    m.insert("FileName", basename(path).into());
    m.insert("FolderPath", path.into());
    if let Some(prev) = previous {
        m.insert("PreviousFileName", basename(prev).into());
        m.insert("PreviousFolderPath", prev.into());
    }
    hashes(&mut m, key);
    initiating(h, &mut m, p);
    finish(h, t, m, Table::DeviceFileEvents, step)
}

/// `DeviceEvents` `DnsQueryResponse`: `p` looked up `name` at `t`.
pub(super) fn lookup(
    h: &mut Host,
    t: i64,
    p: &Proc,
    name: &str,
    qtype: &str,
    step: &str,
) -> Record {
    let mut m = head(h, t, "DnsQueryResponse");
    let af = text_object(&[("DnsQueryString", name), ("DnsQueryType", qtype)]);
    m.insert("AdditionalFields", af.into());
    initiating(h, &mut m, p);
    finish(h, t, m, Table::DeviceEvents, step)
}

/// `DeviceNetworkEvents`: `p` connected (or failed to) at `t`. `RemoteUrl` is
/// what the connection says ([`Conn::remote_url`]): empty on the implant's raw
/// TCP, which names no host.
pub(super) fn connection(
    h: &Host,
    t: i64,
    p: &Proc,
    c: &Conn<'_>,
    local_port: u16,
    step: &str,
) -> Record {
    let action = if c.up {
        "ConnectionSuccess"
    } else {
        "ConnectionFailed"
    };
    let mut m = head(h, t, action);
    m.insert("RemoteIP", c.remote_ip.into());
    m.insert("RemotePort", c.remote_port.into());
    m.insert("RemoteUrl", c.remote_url.into());
    m.insert("LocalIP", h.ip.clone().into());
    m.insert("LocalPort", local_port.into());
    m.insert(
        "Protocol",
        match c.proto {
            Proto::Tcp => "Tcp",
            Proto::Udp => "Udp",
        }
        .into(),
    );
    m.insert("LocalIPType", "Private".into());
    m.insert("RemoteIPType", "Public".into());
    initiating(h, &mut m, p);
    let id = derived(&[&h.id.name, &t.to_string(), step], 1_000, 9_999_999);
    m.insert("ReportId", id.into());
    m.insert("Type", Table::DeviceNetworkEvents.name().into());
    h.record(t, Table::DeviceNetworkEvents, m, step)
}
