//! Every hunt over Sentinel's `Event` table, where the Log Analytics agent
//! stores Sysmon events with their fields inside the `EventData` XML. The rows
//! are parsed as Sentinel's Sysmon parser parses them (`parse_xml`,
//! `mv-expand`, `bag_unpack`, `pivot`); a DNS or file event gets its
//! process's command line and parent from the process's event 1, joined on the
//! computer and `ProcessGuid`, as the engine joins them.
//!
//! The local evaluator does not parse XML (nor `mv-expand`, `evaluate`): this
//! form is snapshot-tested, and outside local parity (`docs/export.md`).

use std::fmt::Write as _;

use super::columns::{
    EVENT_DATA, EVENT_PROVIDER, EVENT_PROVIDER_COLUMN, EVENT_TABLE, SYSMON_COMMAND_LINE,
    SYSMON_COMPANY, SYSMON_DNS_ID, SYSMON_FILE_ID, SYSMON_GUID, SYSMON_IMAGE,
    SYSMON_PARENT_COMMAND_LINE, SYSMON_PARENT_IMAGE, SYSMON_PROCESS_ID, SYSMON_QUERY,
    SYSMON_TARGET,
};
use super::iocs::IocLists;
use super::literal::{comment, kql_string};
use super::render::{cond, Names};
use super::schedule::{self, RuleTimes};
use crate::content::{field_name, Detection, Hunt};
use crate::event::Field;
use crate::spec::RowKind;

/// Sysmon's rows of the `Event` table parsed, and the processes created.
fn parsed() -> String {
    format!(
        "let sysmon = {EVENT_TABLE}
| where {EVENT_PROVIDER_COLUMN} == \"{EVENT_PROVIDER}\"
| extend sysmon_event = hash_sha256(strcat(Computer, \"|\", {EVENT_DATA}))
| extend sysmon_data = parse_xml({EVENT_DATA}).DataItem.EventData.Data
| mv-expand bagexpansion=array sysmon_data
| evaluate bag_unpack(sysmon_data)
| extend sysmon_key = tostring(column_ifexists('@Name', '')), sysmon_value = tostring(column_ifexists('#text', ''))
| evaluate pivot(sysmon_key, take_any(sysmon_value), TimeGenerated, Computer, EventID, sysmon_event);
let process_created = sysmon
| where EventID == {SYSMON_PROCESS_ID}
| project Computer, ProcessGuid = {},
    process_command_line = {},
    process_parent_image = {},
    process_parent_command_line = {},
    process_company = {};
",
        column(SYSMON_GUID),
        column(SYSMON_COMMAND_LINE),
        column(SYSMON_PARENT_IMAGE),
        column(SYSMON_PARENT_COMMAND_LINE),
        column(SYSMON_COMPANY),
    )
}

/// A pivoted Sysmon column, empty where the event has none.
fn column(name: &str) -> String {
    format!("tostring(column_ifexists('{name}', ''))")
}

fn branch(kind: RowKind) -> String {
    let (id, kind_name, query, file) = match kind {
        // Not exported yet: `export` refuses a hunt that reads network rows.
        RowKind::Network => return String::new(),
        RowKind::Dns => (
            SYSMON_DNS_ID,
            "dns",
            column(SYSMON_QUERY),
            "\"\"".to_owned(),
        ),
        RowKind::File => (
            SYSMON_FILE_ID,
            "file",
            "\"\"".to_owned(),
            column(SYSMON_TARGET),
        ),
        RowKind::Process => (
            SYSMON_PROCESS_ID,
            "process",
            "\"\"".to_owned(),
            "image".to_owned(),
        ),
    };
    let mut out = format!(
        "sysmon\n| where EventID == {id}\n| extend row_kind = \"{kind_name}\", ProcessGuid = {}, image = {}\n",
        column(SYSMON_GUID),
        column(SYSMON_IMAGE),
    );
    if kind == RowKind::Process {
        let _ = writeln!(
            out,
            "| extend command_line = {},\n    parent_image = {},\n    parent_command_line = {},\n    company = {}",
            column(SYSMON_COMMAND_LINE),
            column(SYSMON_PARENT_IMAGE),
            column(SYSMON_PARENT_COMMAND_LINE),
            column(SYSMON_COMPANY),
        );
    } else {
        out.push_str("| join kind=leftouter (process_created) on Computer, ProcessGuid\n| extend command_line = process_command_line, parent_image = process_parent_image,\n    parent_command_line = process_parent_command_line, company = process_company\n");
    }
    let _ = write!(
        out,
        "| extend query_name = {query}, file_path = {file}\n| extend file_name = extract(@\"([^\\\\/]*)$\", 1, file_path), image_name = extract(@\"([^\\\\/]*)$\", 1, image),\n    parent_image_name = extract(@\"([^\\\\/]*)$\", 1, parent_image)\n| project TimeGenerated, Computer, EventID, row_kind, query_name, file_path, file_name, image, image_name, command_line, parent_image, parent_image_name, parent_command_line, company"
    );
    out
}

/// The `Event`-table query of one hunt; with `rule`, the hits of its last
/// window, joined with the process creations of its whole lookback.
pub fn query(det: &Detection, hunt: &Hunt, rule: Option<&RuleTimes>) -> String {
    let lists = IocLists::of(det);
    let column = |f: Field| match f {
        Field::TaskName | Field::Signer => None,
        f => Some(field_name(f).to_owned()),
    };
    let names = Names {
        column: &column,
        iocs: Some(&lists),
    };
    let mut out = schedule::lets(rule);
    out.push_str(&lists.lets_for(&hunt.when));
    out.push_str(&parsed());
    let kinds: Vec<RowKind> = [RowKind::Dns, RowKind::Process, RowKind::File]
        .into_iter()
        .filter(|k| hunt.reads.contains(k))
        .collect();
    let branches: Vec<String> = kinds.iter().map(|&k| format!("({})", branch(k))).collect();
    let _ = writeln!(out, "union {}", branches.join(",\n    "));
    out.push_str(&schedule::window(rule, "TimeGenerated"));
    let _ = writeln!(out, "| where {}", cond(&hunt.when, &names));
    let mut ids = Vec::new();
    for &i in &hunt.exclusions {
        let x = &det.exclusions[i];
        let kinds: Vec<String> = x.applies_to.iter().map(|k| kql_string(k.name())).collect();
        let col = super::defender::exclusion_column(&x.id);
        let _ = writeln!(
            out,
            "// exclusion {}: {}",
            comment(&x.id),
            comment(&x.scenario)
        );
        if x.when
            .predicates()
            .iter()
            .any(|t| column(t.field).is_none())
        {
            out.push_str("//   a task's name or a file's signer is not joined on this table: those predicates read false\n");
        }
        let _ = writeln!(
            out,
            "| extend {col} = row_kind in ({}) and {}",
            kinds.join(", "),
            cond(&x.when, &names)
        );
        ids.push(x.id.as_str());
    }
    super::defender::excluded_by(&mut out, ids.into_iter());
    let _ = writeln!(
        out,
        "| project TimeGenerated, Computer, EventID, hunt = {}, row_kind, query_name, file_path, image, command_line, parent_image, excluded_by",
        kql_string(&hunt.id)
    );
    out.push_str("| order by TimeGenerated desc\n");
    out.push_str(super::defender::AUDIT_FILTER);
    out.push('\n');
    out
}
