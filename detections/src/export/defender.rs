//! Every hunt with its exclusions over the Defender advanced-hunting tables,
//! using only their documented columns.
//!
//! Each table the hunt reads is a `let` that names the content's fields as
//! columns (`image`, `parent_image_name`, `command_line`, ...), computed as the
//! engine's field mapping computes them; each exclusion is one boolean column
//! named after it (`exclude_backup_job`), true only on the kinds of row it
//! applies to; `excluded_by` lists the exclusions that held. A task's name comes
//! from `DeviceEvents` `ScheduledTaskCreated`, joined on the device and the
//! action's command line (normalised as the engine normalises it); a signer from
//! `DeviceFileCertificateInfo`, joined on `SHA1`. The last line,
//! [`AUDIT_FILTER`], drops the excluded rows: without it the query returns every
//! hit with its exclusion decisions.

use std::fmt::Write as _;

use super::columns::{
    CERTIFICATES, CERT_SHA1, CERT_SIGNED, CERT_SIGNER, DEVICE_EVENTS, DEVICE_FILE, DEVICE_PROCESS,
    DFE_TARGET, DNS_ACTION, DNS_QUERY_INSIDE, DPE_COMMAND_LINE, DPE_COMPANY, DPE_IMAGE,
    DPE_PARENT_COMMAND_LINE, DPE_PARENT_IMAGE, DPE_SHA1, INIT_COMMAND_LINE, INIT_COMPANY,
    INIT_IMAGE, INIT_PARENT_IMAGE, INIT_SHA1, TASK_ACTION, TASK_CONTENT_INSIDE, TASK_NAME_INSIDE,
};
use super::iocs::IocLists;
use super::literal::{comment, kql_string};
use super::render::{cond, Names};
use crate::content::{field_name, Detection, Hunt};
use crate::event::Field;
use crate::spec::RowKind;

/// The tables the Defender queries read.
pub const DEFENDER_SOURCES: [&str; 4] = [DEVICE_EVENTS, DEVICE_PROCESS, DEVICE_FILE, CERTIFICATES];

/// The last line of every Defender query: keep the hits no exclusion removed.
pub const AUDIT_FILTER: &str = "| where isempty(excluded_by)";

/// The columns each table's `let` ends with (the content's fields and the row's
/// identity), so the tables union cleanly.
const COLUMNS: &str = "Timestamp, DeviceName, ActionType, ReportId, row_kind, query_name, file_path, file_name, image, image_name, command_line, parent_image, parent_image_name, parent_command_line, company, sha1";

/// `folder\name` as the engine joins a Defender folder and file name: the
/// folder alone when it already ends with the name.
fn path(folder: &str, name: &str) -> String {
    format!(
        "iff(isempty({folder}), {name}, iff({folder} endswith {name}, {folder}, strcat(trim_end(@\"\\\\+\", {folder}), @\"\\\", {name})))"
    )
}

/// The last component of a path.
fn base(x: &str) -> String {
    format!("extract(@\"([^\\\\/]*)$\", 1, {x})")
}

/// A command line as the engine's task join compares it: quotes dropped, runs
/// of white space one space, lower case.
fn normalised(x: &str) -> String {
    format!(
        "tolower(trim_end(\" +\", extract(\"^ *(.*)$\", 1, replace_regex({x}, @\"[\\s\"\"]+\", \" \"))))"
    )
}

fn table_let(kind: RowKind) -> String {
    let initiating = |kind: &str, query: &str, file_path: &str| {
        format!(
            "| extend row_kind = \"{kind}\",\n    query_name = {query},\n    file_path = {file_path},\n    image = {},\n    command_line = {INIT_COMMAND_LINE},\n    parent_image = {INIT_PARENT_IMAGE},\n    parent_command_line = \"\",\n    company = {INIT_COMPANY},\n    sha1 = {INIT_SHA1}\n",
            path(INIT_IMAGE.0, INIT_IMAGE.1)
        )
    };
    let (name, source, extend) = match kind {
        RowKind::Dns => (
            "dns_rows",
            format!("{DEVICE_EVENTS}\n| where ActionType == \"{DNS_ACTION}\"\n"),
            initiating(
                "dns",
                &format!(
                    "tostring(parse_json({}).{})",
                    DNS_QUERY_INSIDE.0, DNS_QUERY_INSIDE.1[0]
                ),
                "\"\"",
            ),
        ),
        RowKind::File => (
            "file_rows",
            format!("{DEVICE_FILE}\n"),
            initiating("file", "\"\"", &path(DFE_TARGET.0, DFE_TARGET.1)),
        ),
        // Not exported yet: `export` refuses a hunt that reads network rows.
        RowKind::Network => return String::new(),
        RowKind::Process => (
            "process_rows",
            format!("{DEVICE_PROCESS}\n"),
            format!(
                "| extend row_kind = \"process\",\n    query_name = \"\",\n    image = {},\n    command_line = {DPE_COMMAND_LINE},\n    parent_image = {},\n    parent_command_line = {DPE_PARENT_COMMAND_LINE},\n    company = {DPE_COMPANY},\n    sha1 = {DPE_SHA1}\n| extend file_path = image\n",
                path(DPE_IMAGE.0, DPE_IMAGE.1),
                path(DPE_PARENT_IMAGE.0, DPE_PARENT_IMAGE.1),
            ),
        ),
    };
    format!(
        "let {name} = {source}{extend}| extend file_name = {}, image_name = {}, parent_image_name = {}\n| project {COLUMNS};\n",
        base("file_path"),
        base("image"),
        base("parent_image"),
    )
}

/// The tasks registered (`ScheduledTaskCreated`), by host and normalised action.
fn tasks_let() -> String {
    let (fields, content) = (TASK_CONTENT_INSIDE.0, TASK_CONTENT_INSIDE.1[0]);
    let name = TASK_NAME_INSIDE.1[0];
    format!(
        "let scheduled_tasks = {DEVICE_EVENTS}
| where ActionType == \"{TASK_ACTION}\"
| extend task_fields = parse_json({fields})
| extend task_exec = parse_json(tostring(task_fields.{content})).Actions.Exec
| extend task_host = tolower(DeviceName),
    task_name = tostring(task_fields.{name}),
    task_program = tostring(task_exec.Command)
| extend task_action = strcat(task_program, \" \", tostring(task_exec.Arguments))
| extend task_command = {}
| where isnotempty(task_name) and isnotempty(task_program)
| distinct task_host, task_command, task_name;
",
        normalised("task_action")
    )
}

/// The signers of signed files, by SHA1.
fn signers_let() -> String {
    format!(
        "let signers = {CERTIFICATES}
| where not({CERT_SIGNED} == false)
| project sha1 = tolower({CERT_SHA1}), signer = {CERT_SIGNER}
| where isnotempty(sha1) and isnotempty(signer)
| distinct sha1, signer;
"
    )
}

fn kind_name(k: RowKind) -> &'static str {
    k.name()
}

/// The column name of an exclusion's decision: `exclude_backup_job`.
pub fn exclusion_column(id: &str) -> String {
    let slug: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("exclude_{slug}")
}

/// The Defender query of one hunt.
pub fn query(det: &Detection, hunt: &Hunt) -> String {
    let lists = IocLists::of(det);
    let column = |f: Field| Some(field_name(f).to_owned());
    let names = Names {
        column: &column,
        iocs: Some(&lists),
    };
    let exclusions: Vec<_> = hunt
        .exclusions
        .iter()
        .map(|&i| &det.exclusions[i])
        .collect();
    let reads = |f: Field| {
        exclusions
            .iter()
            .any(|x| x.when.predicates().iter().any(|t| t.field == f))
    };
    let mut out = lists.lets_for(&hunt.when);
    let kinds: Vec<RowKind> = [RowKind::Dns, RowKind::Process, RowKind::File]
        .into_iter()
        .filter(|k| hunt.reads.contains(k))
        .collect();
    for &k in &kinds {
        out.push_str(&table_let(k));
    }
    let (tasks, signers) = (reads(Field::TaskName), reads(Field::Signer));
    if tasks {
        out.push_str(&tasks_let());
    }
    if signers {
        out.push_str(&signers_let());
    }
    let sources: Vec<String> = kinds
        .iter()
        .map(|&k| format!("{}_rows", kind_name(k)))
        .collect();
    match sources.as_slice() {
        [one] => {
            let _ = writeln!(out, "{one}");
        }
        many => {
            let _ = writeln!(out, "union {}", many.join(", "));
        }
    }
    let _ = writeln!(out, "| where {}", cond(&hunt.when, &names));
    if tasks {
        let _ = writeln!(
            out,
            "| extend task_host = tolower(DeviceName), task_command = {}",
            normalised("command_line")
        );
        out.push_str("| join kind=leftouter (scheduled_tasks) on task_host, task_command\n");
    }
    if signers {
        out.push_str("| join kind=leftouter (signers) on sha1\n");
    }
    for x in &exclusions {
        let _ = writeln!(
            out,
            "// exclusion {}: {}",
            comment(&x.id),
            comment(&x.scenario)
        );
        let _ = writeln!(out, "//   source: {}", comment(&x.seed_text));
        let kinds: Vec<String> = x
            .applies_to
            .iter()
            .map(|&k| kql_string(kind_name(k)))
            .collect();
        let _ = writeln!(
            out,
            "| extend {} = row_kind in ({}) and {}",
            exclusion_column(&x.id),
            kinds.join(", "),
            cond(&x.when, &names)
        );
    }
    excluded_by(&mut out, exclusions.iter().map(|x| x.id.as_str()));
    let _ = writeln!(
        out,
        "| project Timestamp, DeviceName, ActionType, ReportId, hunt = {}, row_kind, query_name, file_path, file_name, image, command_line, parent_image, excluded_by",
        kql_string(&hunt.id)
    );
    out.push_str("| order by Timestamp desc\n");
    out.push_str(AUDIT_FILTER);
    out.push('\n');
    out
}

/// The `excluded_by` column: the ids of the exclusions whose columns
/// ([`exclusion_column`]) hold, space-separated; empty when none does.
pub(super) fn excluded_by<'a>(out: &mut String, ids: impl Iterator<Item = &'a str>) {
    let parts: Vec<String> = ids
        .map(|id| {
            format!(
                "iff({}, {}, \"\")",
                exclusion_column(id),
                kql_string(&format!("{id} "))
            )
        })
        .collect();
    if parts.is_empty() {
        out.push_str("| extend excluded_by = \"\"\n");
    } else {
        let _ = writeln!(
            out,
            "| extend excluded_by = trim_end(\" +\", strcat({}))",
            parts.join(", ")
        );
    }
}
