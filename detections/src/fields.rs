//! Field mapping: one telemetry row (a JSON object, as Sentinel, Defender or a
//! flattened Sysmon export writes it, read through [`Columns`]) to the
//! normalised [`Event`].
//!
//! The mapping is kept apart from the detection logic. Columns the mapping does not
//! read are left alone (real exports carry dozens); a column it reads with the
//! wrong JSON type is an error naming the column. JSON `null` counts as absent.

use serde_json::Value;

pub use crate::cells::RowError;
use crate::cells::{id_text, integer, str_any, str_of, text, text_any};
use crate::event::{Event, Process, Source};
use crate::learn;
use crate::net_row;
use crate::row::{Cell, Columns, RowView, LEGACY_SUFFIXES};
use sources::NormField as F;
use sources::{
    column_in, columns_in, inside_in, path_in, table_of, TableName, ASIM_DNS, COMMON,
    DEFENDER_FILE_ACTION_PREFIX, DEFENDER_INITIATING, DEFENDER_INSPECTED_SUFFIX,
    DEFENDER_NETWORK_ACTIONS, DEFENDER_PROCESS_ACTION, DEVICE_EVENTS_DNS, DEVICE_EVENTS_TASK,
    DEVICE_FILE_EVENTS, DEVICE_PROCESS_EVENTS, DNS_EVENTS, EVENT_ID_COLUMN, NETWORK_COLUMNS,
    PROVIDER_COLUMNS, SYSMON_1, SYSMON_11, SYSMON_22, SYSMON_PROCESS, SYSMON_PROVIDER, TYPE_COLUMN,
};

// The columns each source's fields come from (`sources`), resolved when
// compiled: a row's mapping reads constants, as it did before they were
// described.
const DNS_NAME: &str = DNS_EVENTS.column_of(F::QueryName);
const DNS_CLIENT: &str = DNS_EVENTS.column_of(F::ClientIp);
const ASIM_QUERY: &str = ASIM_DNS.column_of(F::QueryName);
const ASIM_IMAGE: &str = ASIM_DNS.column_of(F::Image);
const ASIM_GUID: &str = ASIM_DNS.column_of(F::ProcessGuid);
const ASIM_USER: &str = ASIM_DNS.column_of(F::User);
const S22_QUERY: &str = SYSMON_22.column_of(F::QueryName);
const S1_COMMAND_LINE: &str = SYSMON_1.column_of(F::CommandLine);
const S1_PARENT_IMAGE: &str = SYSMON_1.column_of(F::ParentImage);
const S1_PARENT_COMMAND_LINE: &str = SYSMON_1.column_of(F::ParentCommandLine);
const S1_COMPANY: &str = SYSMON_1.column_of(F::Company);
const S11_TARGET: &str = SYSMON_11.column_of(F::TargetPath);
const SYSMON_GUID: &str = column_in(&SYSMON_PROCESS, F::ProcessGuid);
const SYSMON_IMAGE: &str = column_in(&SYSMON_PROCESS, F::Image);
const SYSMON_USER: &str = column_in(&SYSMON_PROCESS, F::User);
const DPE_IMAGE: (&str, &str) = path_in(DEVICE_PROCESS_EVENTS.fields, F::Image);
const DPE_COMMAND_LINE: &str = DEVICE_PROCESS_EVENTS.column_of(F::CommandLine);
const DPE_PARENT_COMMAND_LINE: &str = DEVICE_PROCESS_EVENTS.column_of(F::ParentCommandLine);
const DPE_COMPANY: &str = DEVICE_PROCESS_EVENTS.column_of(F::Company);
const DPE_SHA1: &str = DEVICE_PROCESS_EVENTS.column_of(F::Sha1);
const DPE_USER: &str = DEVICE_PROCESS_EVENTS.column_of(F::User);
const DPE_GUID: &str = DEVICE_PROCESS_EVENTS.column_of(F::ProcessGuid);
const DPE_UNTYPED: &str = DEVICE_PROCESS_EVENTS.untyped_column();
const DFE_TARGET: (&str, &str) = path_in(DEVICE_FILE_EVENTS.fields, F::TargetPath);
const INIT_GUID: &str = column_in(&DEFENDER_INITIATING, F::ProcessGuid);
const INIT_IMAGE: (&str, &str) = path_in(&DEFENDER_INITIATING, F::Image);
const INIT_COMMAND_LINE: &str = column_in(&DEFENDER_INITIATING, F::CommandLine);
const INIT_PARENT_IMAGE: &str = column_in(&DEFENDER_INITIATING, F::ParentImage);
const INIT_COMPANY: &str = column_in(&DEFENDER_INITIATING, F::Company);
const INIT_SHA1: &str = column_in(&DEFENDER_INITIATING, F::Sha1);
const INIT_USER: &str = column_in(&DEFENDER_INITIATING, F::User);
const DNS_QUERY_INSIDE: (&str, &[&str]) = inside_in(DEVICE_EVENTS_DNS.fields, F::QueryName);
const TIME: &[&str] = columns_in(COMMON, F::Time);
const HOST: &[&str] = columns_in(COMMON, F::Host);
const ACTION_DNS: &str = DEVICE_EVENTS_DNS.action_type();
const ACTION_TASK: &str = DEVICE_EVENTS_TASK.action_type();
const ACTION_TYPE: &str = sources::ACTION_TYPE_COLUMN;
const EVENT_PROCESS: i64 = SYSMON_1.event_id();
const EVENT_FILE: i64 = SYSMON_11.event_id();
const EVENT_DNS: i64 = SYSMON_22.event_id();
const EVENT_NETWORK: i64 = sources::SYSMON_3.event_id();

fn join_path(folder: Option<String>, name: Option<&str>) -> Option<String> {
    match (folder, name) {
        (Some(f), Some(n)) if !crate::kql::endswith(&f, n) => {
            Some(format!("{}\\{}", f.trim_end_matches('\\'), n))
        }
        (Some(f), _) => Some(f),
        (None, Some(n)) => Some(n.to_owned()),
        (None, None) => None,
    }
}

fn common<C: Columns + ?Sized>(row: &C, ev: &mut Event) -> Result<(), RowError> {
    ev.time = text_any(row, TIME)?;
    ev.host = text_any(row, HOST)?;
    Ok(())
}

fn map_row<C: Columns + ?Sized>(row: &C) -> Result<Event, RowError> {
    map_source(row, detect_source(row)?)
}

fn map_source<C: Columns + ?Sized>(row: &C, source: Source) -> Result<Event, RowError> {
    let mut ev = Event::new(source);
    common(row, &mut ev)?;
    match source {
        Source::DnsEvents => {
            ev.query_name = Some(text(row, DNS_NAME)?.ok_or(RowError::Missing {
                field: DNS_NAME,
                shape: "DnsEvents",
            })?);
            ev.client_ip = text(row, DNS_CLIENT)?;
        }
        Source::AsimDns => {
            ev.query_name = text(row, ASIM_QUERY)?;
            let image = text(row, ASIM_IMAGE)?;
            if image.is_some() {
                ev.process = Some(Box::new(Process {
                    guid: text(row, ASIM_GUID)?,
                    image,
                    user: text(row, ASIM_USER)?,
                    ..Process::default()
                }));
            }
        }
        Source::SysmonDnsQuery => {
            ev.query_name = Some(text(row, S22_QUERY)?.ok_or(RowError::Missing {
                field: S22_QUERY,
                shape: "Sysmon 22",
            })?);
            ev.process = Some(Box::new(sysmon_process(row)?));
        }
        Source::SysmonProcessCreate => {
            let mut p = sysmon_process(row)?;
            p.command_line = text(row, S1_COMMAND_LINE)?;
            p.parent_image = text(row, S1_PARENT_IMAGE)?;
            p.parent_command_line = text(row, S1_PARENT_COMMAND_LINE)?;
            p.company = text(row, S1_COMPANY)?;
            ev.process = Some(Box::new(p));
            ev.hashes = net_row::sysmon_hashes(row)?;
        }
        Source::SysmonFileCreate => {
            ev.target_path = text(row, S11_TARGET)?;
            ev.process = Some(Box::new(sysmon_process(row)?));
        }
        Source::DeviceProcessEvents => {
            let name = str_of(row, DPE_IMAGE.1)?;
            ev.process = Some(Box::new(Process {
                image: join_path(text(row, DPE_IMAGE.0)?, name),
                command_line: text(row, DPE_COMMAND_LINE)?,
                parent_image: initiating_image(row)?,
                parent_command_line: text(row, DPE_PARENT_COMMAND_LINE)?,
                company: text(row, DPE_COMPANY)?,
                sha1: text(row, DPE_SHA1)?,
                user: text(row, DPE_USER)?,
                guid: id_text(row, DPE_GUID)?,
                ..Process::default()
            }));
            ev.hashes = net_row::defender_hashes(row, net_row::PROCESS_DIGESTS)?;
        }
        Source::DeviceFileEvents => {
            let name = str_of(row, DFE_TARGET.1)?;
            ev.target_path = join_path(text(row, DFE_TARGET.0)?, name);
            ev.process = Some(Box::new(defender_initiating(row)?));
            ev.hashes = net_row::defender_hashes(row, net_row::FILE_DIGESTS)?;
        }
        Source::DeviceEventsDns => {
            ev.query_name = defender_query(row)?;
            ev.process = Some(Box::new(defender_initiating(row)?));
        }
        Source::DeviceEventsTask => ev.learned = learn::scheduled_task(row)?,
        Source::WindowsOther => ev.learned = learn::security_4698(row)?,
        Source::OtherTable
        | Source::DeviceFileCertificateInfo
        | Source::DeviceNetworkInfo
        | Source::Heartbeat
        | Source::SecurityEvent => {
            ev.learned = match source {
                Source::DeviceFileCertificateInfo => learn::certificate(row)?,
                Source::DeviceNetworkInfo => learn::network_info(row)?,
                Source::Heartbeat => learn::heartbeat(row)?,
                Source::SecurityEvent => learn::security_4698(row)?,
                _ => None,
            };
            ev.unread_column = first_present(row, &HUNTED_COLUMNS);
        }
        Source::DeviceNetworkEvents => {
            net_row::device_network(row, &mut ev)?;
            ev.process = Some(Box::new(defender_initiating(row)?));
        }
        Source::SysmonNetworkConnect => {
            net_row::sysmon_network(row, &mut ev)?;
            ev.process = Some(Box::new(sysmon_process(row)?));
        }
        Source::CommonSecurityLog => net_row::security_log(row, &mut ev)?,
        Source::UrlClickEvents => net_row::url_click(row, &mut ev)?,
        // Any action may carry a process image; a remote end (a URL the
        // browser opened) on an action no hunt reads is flagged.
        Source::DeviceEventsOther => ev.unread_column = first_present(row, &NETWORK_COLUMNS),
        Source::SysmonOther(_) => {}
    }
    Ok(ev)
}

/// The first of `columns` the row has a value in.
fn first_present<C: Columns + ?Sized>(row: &C, columns: &[&'static str]) -> Option<&'static str> {
    columns
        .iter()
        .copied()
        .find(|c| !matches!(row.cell(c), Cell::Absent | Cell::Null))
}

fn sysmon_process<C: Columns + ?Sized>(row: &C) -> Result<Process, RowError> {
    Ok(Process {
        guid: text(row, SYSMON_GUID)?,
        image: text(row, SYSMON_IMAGE)?,
        user: text(row, SYSMON_USER)?,
        ..Process::default()
    })
}

/// The Defender initiating process's image: the process that acted on the
/// other tables' rows, the parent on `DeviceProcessEvents` rows.
fn initiating_image<C: Columns + ?Sized>(row: &C) -> Result<Option<String>, RowError> {
    Ok(join_path(
        text(row, INIT_IMAGE.0)?,
        str_of(row, INIT_IMAGE.1)?,
    ))
}

fn defender_initiating<C: Columns + ?Sized>(row: &C) -> Result<Process, RowError> {
    Ok(Process {
        guid: id_text(row, INIT_GUID)?,
        image: initiating_image(row)?,
        command_line: text(row, INIT_COMMAND_LINE)?,
        parent_image: text(row, INIT_PARENT_IMAGE)?,
        parent_command_line: None,
        company: text(row, INIT_COMPANY)?,
        sha1: text(row, INIT_SHA1)?,
        user: text(row, INIT_USER)?,
        ..Process::default()
    })
}

/// The query of a Defender `DnsQueryResponse` row: inside `AdditionalFields` (an
/// object, or a string holding one), under a key that varies by tenant.
fn defender_query<C: Columns + ?Sized>(row: &C) -> Result<Option<String>, RowError> {
    const KEYS: &[&str] = DNS_QUERY_INSIDE.1;
    let wrong = |found| RowError::WrongType {
        field: DNS_QUERY_INSIDE.0.into(),
        expected: "a JSON object (or a string holding one)",
        found,
    };
    let parsed;
    let fields = match row.cell(DNS_QUERY_INSIDE.0) {
        Cell::Absent | Cell::Null => return text_any(row, KEYS),
        Cell::Object(o) => o,
        Cell::Str(s) => {
            parsed =
                serde_json::from_str::<Value>(s).map_err(|_| wrong("a string that is not JSON"))?;
            match &parsed {
                Value::Object(o) => o,
                other => return Err(wrong(Cell::from(other).type_name())),
            }
        }
        other => return Err(wrong(other.type_name())),
    };
    text_any(fields, KEYS).map_err(|e| match e {
        RowError::WrongType {
            field,
            expected,
            found,
        } => RowError::WrongType {
            field: format!("{}.{field}", DNS_QUERY_INSIDE.0),
            expected,
            found,
        },
        e => e,
    })
}

/// The columns hunts read on some table: a row of a table no hunt reads that
/// carries one of them is flagged ([`Event::unread_column`]).
pub use sources::HUNTED_COLUMNS;

/// A custom table's row, whose columns the legacy HTTP Data Collector API wrote
/// with a type suffix (`Name_s`, `EventID_d`): a column is read by its own name,
/// else by its suffixed name.
struct Suffixed<'r, C: ?Sized>(&'r C);

impl<C: Columns + ?Sized> Columns for Suffixed<'_, C> {
    fn cell(&self, key: &str) -> Cell<'_> {
        let exact = self.0.cell(key);
        if exact.is_present() {
            return exact;
        }
        for suffix in LEGACY_SUFFIXES {
            let c = self.0.cell(&format!("{key}{suffix}"));
            if c.is_present() {
                return c;
            }
        }
        Cell::Absent
    }
}

/// Read one row.
pub fn parse_row<C: Columns + ?Sized>(row: &C) -> Result<Event, RowError> {
    if suffixed(row)? {
        return map_row(&Suffixed(row));
    }
    map_row(row)
}

/// Whether the row is of a custom table whose columns carry type suffixes
/// (`Name_s`).
fn suffixed<C: Columns + ?Sized>(row: &C) -> Result<bool, RowError> {
    Ok(str_of(row, TYPE_COLUMN)?.is_some_and(|t| table_of(t).1))
}

/// The event of a row whose source can teach the process join
/// ([`Source::teaches`]), as [`parse_row`] reads it; `None` for a row of any
/// other source or one that does not read, without mapping its columns.
pub fn teaching_row<C: Columns + ?Sized>(row: &C) -> Option<Event> {
    fn of<C: Columns + ?Sized>(row: &C) -> Option<Event> {
        let source = detect_source(row).ok()?;
        source.teaches().then(|| map_source(row, source).ok())?
    }
    if suffixed(row).ok()? {
        return of(&Suffixed(row));
    }
    of(row)
}

/// [`teaching_row`] of one JSON Lines line.
pub fn teaching_line(line: &str) -> Option<Event> {
    teaching_row(&RowView::parse(line).ok()?)
}

fn detect_source<C: Columns + ?Sized>(row: &C) -> Result<Source, RowError> {
    if let Some(type_) = str_of(row, TYPE_COLUMN)? {
        match table_of(type_).0 {
            TableName::DnsEvents => return Ok(Source::DnsEvents),
            TableName::DeviceProcessEvents => return Ok(Source::DeviceProcessEvents),
            TableName::DeviceFileEvents => return Ok(Source::DeviceFileEvents),
            TableName::DeviceEvents => {
                let action = str_of(row, ACTION_TYPE)?.unwrap_or_default();
                return Ok(device_events_source(action).unwrap_or(Source::DeviceEventsOther));
            }
            TableName::DeviceFileCertificateInfo => return Ok(Source::DeviceFileCertificateInfo),
            TableName::DeviceNetworkInfo => return Ok(Source::DeviceNetworkInfo),
            TableName::Heartbeat => return Ok(Source::Heartbeat),
            TableName::SecurityEvent => return Ok(Source::SecurityEvent),
            TableName::Asim => return Ok(Source::AsimDns),
            TableName::Sysmon => {}
            // Any other table (Syslog, ...), and the tables described for later
            // work: read, scored, no hunt reads them. Their columns are never
            // guessed at.
            TableName::DeviceNetworkEvents => return Ok(Source::DeviceNetworkEvents),
            TableName::CommonSecurityLog => return Ok(Source::CommonSecurityLog),
            TableName::UrlClickEvents => return Ok(Source::UrlClickEvents),
            TableName::Unknown => return Ok(Source::OtherTable),
        }
    }
    if row.cell(EVENT_ID_COLUMN).is_present() {
        // Windows exports mix channels; event ids 1, 11 and 22 mean process, file
        // and DNS only from the Sysmon provider.
        let provider = str_any(row, PROVIDER_COLUMNS)?;
        if provider.is_some_and(|p| !crate::kql::contains_cs(p, SYSMON_PROVIDER)) {
            return Ok(Source::WindowsOther);
        }
        return Ok(match integer(row, EVENT_ID_COLUMN)? {
            Some(EVENT_PROCESS) => Source::SysmonProcessCreate,
            Some(EVENT_FILE) => Source::SysmonFileCreate,
            Some(EVENT_DNS) => Source::SysmonDnsQuery,
            Some(EVENT_NETWORK) => Source::SysmonNetworkConnect,
            // Sysmon's other event ids (2-29, 255) are named, never read.
            Some(id @ (2..=29 | 255)) => Source::SysmonOther(id as u16),
            _ => Source::WindowsOther,
        });
    }
    if row.cell(SYSMON_22.untyped_column()).is_present() {
        return Ok(Source::SysmonDnsQuery);
    }
    if row.cell(ACTION_TYPE).is_present() {
        return defender_events_source(row);
    }
    if row.cell(ASIM_DNS.untyped_column()).is_present() {
        return Ok(Source::AsimDns);
    }
    if row.cell(DNS_EVENTS.untyped_column()).is_present() {
        return Ok(Source::DnsEvents);
    }
    Err(RowError::UnknownShape)
}

/// The `DeviceEvents` source an action type picks out (`DnsQueryResponse`,
/// `ScheduledTaskCreated`); `None` for any other action.
fn device_events_source(action: &str) -> Option<Source> {
    match action {
        ACTION_DNS => Some(Source::DeviceEventsDns),
        ACTION_TASK => Some(Source::DeviceEventsTask),
        _ => None,
    }
}

/// A Defender row without `Type`, by its action type (and, for a process
/// creation, its columns).
fn defender_events_source<C: Columns + ?Sized>(row: &C) -> Result<Source, RowError> {
    let action = str_of(row, ACTION_TYPE)?.unwrap_or_default();
    Ok(match device_events_source(action) {
        Some(source) => source,
        None if action == DEFENDER_PROCESS_ACTION || row.cell(DPE_UNTYPED).is_present() => {
            Source::DeviceProcessEvents
        }
        None if action.starts_with(DEFENDER_FILE_ACTION_PREFIX) => Source::DeviceFileEvents,
        None if DEFENDER_NETWORK_ACTIONS.contains(&action)
            || action.ends_with(DEFENDER_INSPECTED_SUFFIX) =>
        {
            Source::DeviceNetworkEvents
        }
        None => Source::DeviceEventsOther,
    })
}

/// serde_json's message without its "at line L column C" tail (a JSON Lines row
/// is one line; the caller names the line).
fn json_error_reason(e: &serde_json::Error) -> String {
    let m = e.to_string();
    match m.rfind(" at line ") {
        Some(i) => m[..i].to_owned(),
        None => m,
    }
}

/// Read one line of JSON Lines through a [`RowView`] (only the columns the
/// mapping reads are parsed). A line that is not a JSON object is read again as
/// a `Value` to name what it is.
pub fn parse_line(line: &str) -> Result<Event, RowError> {
    match RowView::parse(line) {
        Ok(view) => parse_row(&view),
        Err(e) => Err(line_error(line, &e)),
    }
}

/// Why a line that does not read as a row is not one: `view` is the row view's
/// error, which names the reason when the line is a JSON object (a read column
/// given twice).
fn line_error(line: &str, view: &serde_json::Error) -> RowError {
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(_)) => RowError::InvalidJson(format!(
            "{} at column {}",
            json_error_reason(view),
            view.column()
        )),
        Ok(other) => RowError::NotAnObject(format!("found {}", Cell::from(&other).type_name())),
        Err(e) => RowError::InvalidJson(format!(
            "{} at column {}",
            json_error_reason(&e),
            e.column()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dnsevents_row() {
        let ev = parse_line(r#"{"TimeGenerated":"2026-05-21T10:00:00Z","Computer":"dns01","Name":"a.estaliax.io","QueryType":"A"}"#).unwrap();
        assert_eq!(ev.source, Source::DnsEvents);
        assert_eq!(ev.query_name.as_deref(), Some("a.estaliax.io"));
        assert!(ev.process.is_none());
    }

    #[test]
    fn wrong_type_names_the_field() {
        let e = parse_line(r#"{"Name": 5}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "field `Name`: expected a string, found a number"
        );
    }

    #[test]
    fn sysmon_event_ids_as_strings_or_numbers() {
        let a = parse_line(r#"{"EventID":"22","QueryName":"x.io","Image":"C:\\a.exe"}"#).unwrap();
        let b = parse_line(r#"{"EventID":22,"QueryName":"x.io","Image":"C:\\a.exe"}"#).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.source, Source::SysmonDnsQuery);
        let other = parse_line(r#"{"EventID":4688}"#).unwrap();
        assert_eq!(other.source, Source::WindowsOther);
        let not_sysmon = parse_line(r#"{"EventID":1,"Channel":"System","Image":"x"}"#).unwrap();
        assert_eq!(not_sysmon.source, Source::WindowsOther);
        let sysmon = parse_line(
            r#"{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"x"}"#,
        )
        .unwrap();
        assert_eq!(sysmon.source, Source::SysmonProcessCreate);
    }

    #[test]
    fn defender_dns_additional_fields_as_string() {
        let ev = parse_line(r#"{"ActionType":"DnsQueryResponse","AdditionalFields":"{\"DnsQueryString\":\"estaliax.io\"}","InitiatingProcessFileName":"RegAsm.exe","InitiatingProcessFolderPath":"C:\\Windows\\Microsoft.NET\\Framework\\v2.0.50727\\RegAsm.exe"}"#).unwrap();
        assert_eq!(ev.source, Source::DeviceEventsDns);
        assert_eq!(ev.query_name.as_deref(), Some("estaliax.io"));
        assert_eq!(
            ev.process.unwrap().image.as_deref(),
            Some(r"C:\Windows\Microsoft.NET\Framework\v2.0.50727\RegAsm.exe")
        );
    }

    #[test]
    fn no_process_row_carries_a_task_name_or_a_signer() {
        let ev = parse_line(r#"{"Type":"DeviceProcessEvents","ActionType":"ProcessCreated","FileName":"a.exe","FolderPath":"C:\\a.exe","SHA1":"ab","TaskName":"T","Signer":"S","InitiatingProcessFileName":"schtasks.exe","InitiatingProcessCommandLine":"schtasks.exe /run /tn T"}"#).unwrap();
        let p = ev.process.unwrap();
        assert_eq!((p.task_name, p.signer), (None, None));
        assert_eq!(p.sha1.as_deref(), Some("ab"));
    }

    #[test]
    fn a_process_rows_parent_is_read_as_the_initiating_process_image() {
        assert_eq!(
            path_in(DEVICE_PROCESS_EVENTS.fields, F::ParentImage),
            INIT_IMAGE
        );
    }

    #[test]
    fn defender_unique_ids_may_be_numbers() {
        let ev = parse_line(r#"{"Type":"DeviceProcessEvents","ActionType":"ProcessCreated","FileName":"a.exe","FolderPath":"C:\\a.exe","ProcessUniqueId":12345}"#).unwrap();
        assert_eq!(ev.process.unwrap().guid.as_deref(), Some("12345"));
    }

    #[test]
    fn unknown_shape_and_non_objects() {
        assert_eq!(parse_line(r#"{"foo":1}"#), Err(RowError::UnknownShape));
        assert!(matches!(parse_line("[1]"), Err(RowError::NotAnObject(_))));
        assert_eq!(
            parse_line(r#"{"Name": "x"#),
            Err(RowError::InvalidJson(
                "EOF while parsing a string at column 11".into()
            ))
        );
    }

    #[test]
    fn custom_tables_and_case_variants_read_as_their_base_table() {
        for t in ["DnsEvents_CL", "dnsevents", "DNSEVENTS_cl"] {
            let ev = parse_line(&format!(r#"{{"Type":"{t}","Name":"estaliax.io"}}"#)).unwrap();
            assert_eq!(ev.source, Source::DnsEvents, "{t}");
            assert_eq!(ev.query_name.as_deref(), Some("estaliax.io"), "{t}");
        }
        let ev = parse_line(r#"{"Type":"DeviceEvents_CL","ActionType":"DnsQueryResponse","AdditionalFields":{"DnsQueryString":"estaliax.io"}}"#).unwrap();
        assert_eq!(ev.source, Source::DeviceEventsDns);
        let ev = parse_line(
            r#"{"Type":"SysmonEvents","EventID":22,"QueryName":"estaliax.io","Image":"a.exe"}"#,
        )
        .unwrap();
        assert_eq!(ev.source, Source::SysmonDnsQuery);
        let ev = parse_line(r#"{"Type":"SysmonEvents_CL","EventID_d":22,"QueryName_s":"estaliax.io","Image_s":"a.exe"}"#).unwrap();
        assert_eq!(ev.source, Source::SysmonDnsQuery);
        assert_eq!(ev.query_name.as_deref(), Some("estaliax.io"));
        let ev = parse_line(r#"{"Type":"DnsEvents_CL","Name_s":"estaliax.io"}"#).unwrap();
        assert_eq!(
            ev.query_name.as_deref(),
            Some("estaliax.io"),
            "legacy suffixes"
        );
        // `_d` columns are doubles: a whole number written as one is the integer.
        let ev = parse_line(r#"{"Type":"Sysmon_CL","EventID_d":22.0,"QueryName_s":"estaliax.io"}"#)
            .unwrap();
        assert_eq!(ev.source, Source::SysmonDnsQuery);
        assert!(parse_line(r#"{"EventID":22.5,"QueryName":"estaliax.io"}"#).is_err());
    }

    #[test]
    fn an_unknown_table_with_a_hunted_column_is_flagged() {
        let ev = parse_line(r#"{"Type":"MyDns_CL","QueryName":"estaliax.io"}"#).unwrap();
        assert_eq!(ev.source, Source::OtherTable);
        assert_eq!(ev.unread_column, Some("QueryName"));
        let ev = parse_line(r#"{"Type":"Syslog","SyslogMessage":"x"}"#).unwrap();
        assert_eq!(ev.unread_column, None);
    }

    #[test]
    fn sysmon_events_are_named() {
        let ev = parse_line(r#"{"EventID":7,"Channel":"Microsoft-Windows-Sysmon/Operational"}"#)
            .unwrap();
        assert_eq!(ev.source.name(), "Sysmon 7 (ImageLoad)");
        let ev = parse_line(r#"{"EventID":13,"Channel":"Microsoft-Windows-Sysmon/Operational"}"#)
            .unwrap();
        assert_eq!(ev.source.name(), "Sysmon 13 (RegistryEvent, value set)");
        let ev = parse_line(r#"{"EventID":4688,"Channel":"Security"}"#).unwrap();
        assert_eq!(ev.source.name(), "Windows event (not Sysmon)");
    }

    #[test]
    fn unknown_tables_are_read_as_other_rows_never_guessed() {
        let ev = parse_line(r#"{"Type":"Syslog","Name":"estaliax.io"}"#).unwrap();
        assert_eq!(ev.source, Source::OtherTable);
        assert!(ev.query_name.is_none());
        let ev = parse_line(
            r#"{"Type":"DeviceEvents","ActionType":"ProcessCreated","ProcessCommandLine":"x"}"#,
        )
        .unwrap();
        assert_eq!(ev.source, Source::DeviceEventsOther);
    }
}
