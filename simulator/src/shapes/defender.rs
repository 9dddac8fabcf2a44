//! Defender for Endpoint's columns: `DeviceProcessEvents`, `DeviceFileEvents` and
//! `DeviceEvents` (`DnsQueryResponse`). Missing values are `""`.

use serde_json::{Map, Value};

use super::host::{Host, AD_DOMAIN};
use super::path::basename;
use super::process::Proc;
use crate::record::{Record, Table};
use crate::rng::{fnv1a, stable_hex};
use crate::time;

/// The columns every Defender row starts with.
fn head(h: &Host, t: i64, action: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("Timestamp".into(), time::iso(t).into());
    m.insert("DeviceId".into(), h.device_id.clone().into());
    m.insert("DeviceName".into(), h.device_name().into());
    m.insert("ActionType".into(), action.into());
    m
}

/// (domain, account): `nt authority` / `system` or `contoso` / the user.
fn account(h: &Host, system: bool) -> (String, String) {
    if system {
        ("nt authority".to_owned(), "system".to_owned())
    } else {
        (AD_DOMAIN.to_ascii_lowercase(), h.user.clone())
    }
}

/// `SHA1`, `SHA256`, `MD5` (stable for `key`) and `FileSize`.
fn hashes(m: &mut Map<String, Value>, key: &str, size: u64) {
    m.insert(
        "SHA1".into(),
        stable_hex(&format!("sha1:{key}"), 40, false).into(),
    );
    m.insert(
        "SHA256".into(),
        stable_hex(&format!("sha256:{key}"), 64, false).into(),
    );
    m.insert(
        "MD5".into(),
        stable_hex(&format!("md5:{key}"), 32, false).into(),
    );
    m.insert("FileSize".into(), size.into());
}

/// The `InitiatingProcess*` columns describing `p`.
fn initiating(h: &Host, m: &mut Map<String, Value>, p: &Proc) {
    let (dom, acc) = account(h, p.system);
    m.insert("InitiatingProcessAccountDomain".into(), dom.into());
    m.insert("InitiatingProcessAccountName".into(), acc.into());
    m.insert(
        "InitiatingProcessSHA256".into(),
        stable_hex(&format!("sha256:{}", p.hash_key), 64, false).into(),
    );
    m.insert(
        "InitiatingProcessFileName".into(),
        basename(&p.image).into(),
    );
    m.insert("InitiatingProcessFolderPath".into(), p.image.clone().into());
    m.insert("InitiatingProcessId".into(), p.pid.into());
    m.insert(
        "InitiatingProcessCommandLine".into(),
        p.command_line.clone().into(),
    );
    m.insert(
        "InitiatingProcessCreationTime".into(),
        time::iso(p.created_ms).into(),
    );
    m.insert(
        "InitiatingProcessVersionInfoCompanyName".into(),
        p.meta.company.clone().into(),
    );
    let (ppid, pname) = p.parent.as_ref().map_or((0, String::new()), |pp| {
        (pp.pid, basename(&pp.image).to_owned())
    });
    m.insert("InitiatingProcessParentId".into(), ppid.into());
    m.insert("InitiatingProcessParentFileName".into(), pname.into());
}

/// `TaskName` (when the Task Scheduler started `p`, the process the row is about
/// or the one that acted), `ReportId`, `Type`; then the record.
fn finish(
    h: &mut Host,
    t: i64,
    mut m: Map<String, Value>,
    p: &Proc,
    table: Table,
    step: &str,
) -> Record {
    if let Some(task) = p.task_name.as_deref() {
        m.insert("TaskName".into(), task.into());
    }
    m.insert("ReportId".into(), h.rng.range(1_000, 9_999_999).into());
    m.insert("Type".into(), table.name().into());
    h.record(t, table, m, step)
}

/// `DeviceProcessEvents`: `p` was created at `t`.
pub(super) fn process(h: &mut Host, t: i64, p: &Proc, step: &str) -> Record {
    let mut m = head(h, t, "ProcessCreated");
    m.insert("FileName".into(), basename(&p.image).into());
    m.insert("FolderPath".into(), p.image.clone().into());
    hashes(
        &mut m,
        &p.hash_key,
        20_000 + fnv1a(p.hash_key.as_bytes()) % 4_000_000,
    );
    m.insert(
        "ProcessVersionInfoCompanyName".into(),
        p.meta.company.clone().into(),
    );
    m.insert(
        "ProcessVersionInfoProductName".into(),
        p.meta.product.clone().into(),
    );
    m.insert(
        "ProcessVersionInfoOriginalFileName".into(),
        p.meta.original_file_name.clone().into(),
    );
    m.insert(
        "ProcessVersionInfoFileDescription".into(),
        p.meta.description.clone().into(),
    );
    m.insert("ProcessId".into(), p.pid.into());
    m.insert("ProcessCommandLine".into(), p.command_line.clone().into());
    m.insert("ProcessIntegrityLevel".into(), p.integrity.into());
    m.insert("ProcessCreationTime".into(), time::iso(p.created_ms).into());
    let (dom, acc) = account(h, p.system);
    m.insert("AccountDomain".into(), dom.into());
    m.insert("AccountName".into(), acc.into());
    m.insert(
        "AccountSid".into(),
        if p.system {
            "S-1-5-18".to_owned()
        } else {
            format!(
                "S-1-5-21-1004336348-1177238915-682003330-{}",
                1100 + fnv1a(h.user.as_bytes()) % 900
            )
        }
        .into(),
    );
    m.insert(
        "LogonId".into(),
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
    finish(h, t, m, p, Table::DeviceProcessEvents, step)
}

/// `DeviceFileEvents`: `p` created (`FileCreated`) or renamed (`FileRenamed`, from
/// `previous`) the file `path` at `t`.
pub(super) fn file(
    h: &mut Host,
    t: i64,
    p: &Proc,
    action: &str,
    path: &str,
    previous: Option<&str>,
    step: &str,
) -> Record {
    let mut m = head(h, t, action);
    m.insert("FileName".into(), basename(path).into());
    m.insert("FolderPath".into(), path.into());
    if let Some(prev) = previous {
        m.insert("PreviousFileName".into(), basename(prev).into());
        m.insert("PreviousFolderPath".into(), prev.into());
    }
    let key = format!("file:{}", path.to_ascii_lowercase());
    hashes(&mut m, &key, 512 + fnv1a(key.as_bytes()) % 2_000_000);
    initiating(h, &mut m, p);
    finish(h, t, m, p, Table::DeviceFileEvents, step)
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
    let mut af = Map::new();
    af.insert("DnsQueryString".into(), name.into());
    af.insert("DnsQueryType".into(), qtype.into());
    m.insert(
        "AdditionalFields".into(),
        Value::Object(af).to_string().into(),
    );
    initiating(h, &mut m, p);
    finish(h, t, m, p, Table::DeviceEvents, step)
}
