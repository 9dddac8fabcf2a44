//! `docs/fields.md`, generated from the sources' descriptions.

use std::fmt::Write as _;

use crate::catalogue::{
    COMMON, DEFENDER_FILE_ACTION_PREFIX, DEFENDER_PROCESS_ACTION, DEVICE_EVENTS_DNS,
    DEVICE_EVENTS_TASK, SOURCES, SYSMON_EVENT_TABLE, SYSMON_PROVIDER,
};
use crate::catalogue::{DEFENDER_INSPECTED_SUFFIX, DEFENDER_NETWORK_ACTIONS};
use crate::content::CONTENT_FIELDS;
use crate::spec::{FieldRead, NormField, Read, Recognise, SourceSpec, Use};

/// How to regenerate `docs/fields.md`.
pub const REGENERATE: &str = "HUNTLAB_BLESS=1 cargo test -p sources --test fields_doc";

/// A read, as the documentation writes it.
pub fn describe(read: &Read) -> String {
    let quoted = |c: &[&str]| {
        c.iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", else ")
    };
    match read {
        Read::Columns(c) => quoted(c),
        Read::Id(c) => format!("`{c}` (a string or a number)"),
        Read::List(c) => format!("`{c}` (a list)"),
        Read::Path { folder, name } => format!("`{folder}` + `{name}`"),
        Read::Inside {
            column,
            keys,
            top_level,
        } => {
            let inner = keys
                .iter()
                .map(|k| format!("`{column}.{k}`"))
                .collect::<Vec<_>>()
                .join(", else ");
            if *top_level {
                format!("{inner} (without `{column}`: {})", quoted(keys))
            } else {
                inner
            }
        }
    }
}

fn recognised(s: &SourceSpec) -> String {
    let mut out = match s.recognise {
        Recognise::Table => "`Type`".to_owned(),
        Recognise::ActionType(a) => format!("`Type`, and `ActionType == \"{a}\"`"),
        Recognise::EventId { provider, id } => {
            format!("`EventID == {id}` from a provider containing `{provider}`")
        }
    };
    if let Some(c) = s.without_type {
        let _ = write!(out, "; without `Type`: the column `{c}`");
    }
    out
}

fn used(u: Use) -> &'static str {
    match u {
        Use::Hunted => "hunted",
        Use::Learned => "learned from",
        Use::Declared => "declared (read as another table's rows)",
    }
}

fn find(list: &[FieldRead], f: NormField) -> Option<&Read> {
    list.iter().find(|r| r.field == f).map(|r| &r.read)
}

fn sources_section(out: &mut String) {
    out.push_str("## Sources\n\n");
    out.push_str("Table names compare without case, and a custom table's `_CL` form reads as the table (its legacy `_s`, `_d`, `_b`, `_g`, `_t` column suffixes too).\n\n");
    out.push_str(
        "| source | tables | recognised by | use | documented columns |\n|---|---|---|---|---|\n",
    );
    for s in SOURCES {
        let tables: Vec<String> = s.tables.iter().map(|t| format!("`{t}`")).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            s.name,
            tables.join(", "),
            recognised(s),
            used(s.used),
            s.schema
                .map_or("none".to_owned(), |f| format!("`sources/schemas/{f}`")),
        );
    }
    let (dns, task) = (
        DEVICE_EVENTS_DNS.action_type(),
        DEVICE_EVENTS_TASK.action_type(),
    );
    let network: Vec<String> = DEFENDER_NETWORK_ACTIONS
        .iter()
        .map(|a| format!("`{a}`"))
        .collect();
    let network = network.join(", ");
    let _ = writeln!(
        out,
        "\nA row without `Type` is read by its columns: `EventID` makes it a Windows event (Sysmon's when its provider column, if any, contains `{SYSMON_PROVIDER}`; its other event ids are named, never read); else `QueryName` makes it Sysmon 22; else `ActionType` a Defender row (`{dns}` and `{task}` by value; `{DEFENDER_PROCESS_ACTION}`, or a `ProcessCommandLine` column, a process row; an action starting `{DEFENDER_FILE_ACTION_PREFIX}` a file row; a `DeviceNetworkEvents` action ({network}, or one ending `{DEFENDER_INSPECTED_SUFFIX}`) a network row; any other `DeviceEvents (other)`); else `DnsQuery` makes it ASIM; else `Name` DnsEvents."
    );
    let e = SYSMON_EVENT_TABLE;
    let aliases: Vec<String> = e
        .aliases
        .iter()
        .map(|(from, to)| format!("`{from}` also as `{to}`"))
        .collect();
    let _ = writeln!(
        out,
        "\nSentinel's `{}` table: a row whose `{}` is `{}`, with an `{}` and XML in `{}`, is expanded into the flattened Sysmon shape before it is read: its own columns less `Type` and `{}`, {}, then every `<Data Name=...>` item as a column (a row's own column wins).",
        e.table,
        e.provider_column,
        e.provider,
        e.event_id,
        e.data,
        e.data,
        aliases.join(", "),
    );
    out.push_str("\n### What each sensor can and cannot see\n\n");
    for s in SOURCES {
        let _ = writeln!(out, "- **{}**", s.name);
        for x in s.sees {
            let _ = writeln!(out, "  - sees: {x}");
        }
        for x in s.misses {
            let _ = writeln!(out, "  - misses: {x}");
        }
    }
    out.push('\n');
}

fn fields_section(out: &mut String) {
    out.push_str("## Normalised fields, by source\n\n");
    out.push_str("Where a source has several columns for a field, the first the row has is read. \"not read\": the source's rows carry it, nothing reads it yet.\n\n");
    for f in NormField::ALL {
        let _ = writeln!(out, "### `{}`\n", f.name());
        let used: Vec<String> = CONTENT_FIELDS
            .iter()
            .filter(|c| c.from.contains(&f))
            .map(|c| format!("`{}`", c.name))
            .collect();
        if used.is_empty() {
            out.push_str("No content field reads it: hunts and exclusions cannot name it.\n\n");
        } else {
            let _ = writeln!(
                out,
                "Hunts and exclusions read it as {}.\n",
                used.join(", ")
            );
        }
        if let Some(r) = find(COMMON, f) {
            let _ = writeln!(out, "Every source: {}.\n", describe(r));
            continue;
        }
        out.push_str("| source | column |\n|---|---|\n");
        for s in SOURCES {
            if let Some(r) = find(s.fields, f) {
                let _ = writeln!(out, "| {} | {} |", s.name, describe(r));
            } else if let Some(r) = find(s.unread, f) {
                let _ = writeln!(out, "| {} | {} (not read) |", s.name, describe(r));
            }
        }
        out.push('\n');
    }
}

fn content_section(out: &mut String) {
    out.push_str("## Fields hunts and exclusions name\n\n");
    out.push_str("A content condition's `field` is one of these. Hunts and exclusions may both name any of them (the compiler accepts every field in both); what differs is a row that cannot give the field. A hunt's predicate on a field the row lacks is false. An exclusion's predicate on a process field, on a row with no process (`DnsEvents`, ASIM without a process), is `not_evaluable` and the alert stands; on a row with a process that lacks the field it is false. The DNS-server exports (`kql`, `kql-asim`) take only hunts that read `query_name` alone, and drop exclusions that read a process field; the Sentinel `Event`-table export does not join `signer` or `task_name` (their predicates read false).\n\n");
    out.push_str("| field | made from | how | hunts | exclusions |\n|---|---|---|---|---|\n");
    for c in CONTENT_FIELDS {
        let from: Vec<String> = c.from.iter().map(|f| format!("`{}`", f.name())).collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | yes | {} |",
            c.name,
            from.join(", "),
            c.how,
            if c.process {
                "yes; `not_evaluable` on a row without a process"
            } else {
                "yes"
            }
        );
    }
}

/// The text of `docs/fields.md`.
pub fn fields_md() -> String {
    let mut out = String::from("# Fields\n\n");
    let _ = writeln!(
        out,
        "Generated from the sources' descriptions (`sources/src/catalogue/`): do not edit. Regenerate with `{REGENERATE}`.\n"
    );
    sources_section(&mut out);
    fields_section(&mut out);
    content_section(&mut out);
    out
}
