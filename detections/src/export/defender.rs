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
    CERTIFICATES, CERT_SHA1, CERT_SIGNED, CERT_SIGNER, CLICKS, CLICK_IP, CLICK_URL, DEVICE_EVENTS,
    DEVICE_FILE, DEVICE_NETWORK, DEVICE_PROCESS, DFE_DIGESTS, DFE_TARGET, DNE_LOCAL_IP,
    DNE_REMOTE_IP, DNE_REMOTE_PORT, DNE_REMOTE_URL, DNS_ACTION, DNS_QUERY_INSIDE, DPE_COMMAND_LINE,
    DPE_COMPANY, DPE_DIGESTS, DPE_IMAGE, DPE_PARENT_COMMAND_LINE, DPE_PARENT_IMAGE, DPE_SHA1,
    INIT_COMMAND_LINE, INIT_COMPANY, INIT_IMAGE, INIT_PARENT_IMAGE, INIT_SHA1, TASK_ACTION,
    TASK_CONTENT_INSIDE, TASK_NAME_INSIDE,
};
use super::iocs::IocLists;
use super::literal::{comment, kql_string};
use super::network::url_columns;
use super::render::{cond, Names, HOST_KEY, URL_KEY};
use super::schedule::{self, RuleTimes};
use crate::content::{field_name, Cond, Detection, Hunt};
use crate::event::Field;
use crate::ioc::IocKind;
use crate::spec::RowKind;

/// The tables the Defender queries read.
pub const DEFENDER_SOURCES: [&str; 6] = [
    DEVICE_EVENTS,
    DEVICE_PROCESS,
    DEVICE_FILE,
    DEVICE_NETWORK,
    CLICKS,
    CERTIFICATES,
];

/// The last line of every Defender query: keep the hits no exclusion removed.
pub const AUDIT_FILTER: &str = "| where isempty(excluded_by)";

/// The columns each table's `let` ends with (the content's fields and the row's
/// identity), so the tables union cleanly; [`Extra`] adds the network and
/// digest fields where a query reads them.
const COLUMNS: &str = "Timestamp, DeviceName, ActionType, ReportId, row_kind, query_name, file_path, file_name, image, image_name, command_line, parent_image, parent_image_name, parent_command_line, company, process_sha1";

/// The network fields' columns.
const NET_COLUMNS: &str = "remote_ip, remote_port, source_ip, url, remote_host";
/// The digest fields' columns.
const DIGEST_COLUMNS: &str = "sha256, sha1, md5";

/// The columns a query needs beyond [`COLUMNS`]: a network row's fields
/// (where the hunt reads network rows), the URL indicators' match keys
/// (where a condition reads a URL list) and the object's digests (where a
/// condition reads one).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Extra {
    pub(super) net: bool,
    pub(super) url_keys: bool,
    pub(super) digests: bool,
}

impl Extra {
    /// What a hunt and its exclusions read.
    pub(super) fn of<'a>(hunt: &'a Hunt, exclusions: impl Iterator<Item = &'a Cond>) -> Self {
        let mut e = Extra {
            net: hunt.reads.contains(&RowKind::Network),
            ..Extra::default()
        };
        for c in std::iter::once(&hunt.when).chain(exclusions) {
            for t in c.predicates() {
                // An exclusion on a network field guards a hunt that reads
                // no network rows too: the columns are there, empty.
                e.net |= t.field.is_network_field();
                e.url_keys |= t.list == Some(IocKind::Url);
                e.digests |= matches!(t.field, Field::Sha256 | Field::Sha1 | Field::Md5);
            }
        }
        e.url_keys &= e.net;
        e
    }

    /// The column list every `let` projects.
    fn columns(self) -> String {
        let mut out = COLUMNS.to_owned();
        if self.net {
            out.push_str(", ");
            out.push_str(NET_COLUMNS);
        }
        if self.url_keys {
            let _ = write!(out, ", {URL_KEY}, {HOST_KEY}");
        }
        if self.digests {
            out.push_str(", ");
            out.push_str(DIGEST_COLUMNS);
        }
        out
    }

    /// The `extend` giving a table without them the extra columns, empty.
    fn empty(self, digests: Option<[&str; 3]>) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.net {
            parts.push("remote_ip = \"\", remote_port = int(null), source_ip = \"\", url = \"\", remote_host = \"\"".into());
        }
        if self.url_keys {
            parts.push(format!("{URL_KEY} = \"\", {HOST_KEY} = \"\""));
        }
        if self.digests {
            parts.push(match digests {
                Some([a, b, c]) => format!("sha256 = {a}, sha1 = {b}, md5 = {c}"),
                None => "sha256 = \"\", sha1 = \"\", md5 = \"\"".into(),
            });
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("| extend {}\n", parts.join(", "))
        }
    }
}

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

fn table_let(kind: RowKind, extra: Extra) -> String {
    let initiating = |kind: &str, query: &str, file_path: &str| {
        format!(
            "| extend row_kind = \"{kind}\",\n    query_name = {query},\n    file_path = {file_path},\n    image = {},\n    command_line = {INIT_COMMAND_LINE},\n    parent_image = {INIT_PARENT_IMAGE},\n    parent_command_line = \"\",\n    company = {INIT_COMPANY},\n    process_sha1 = {INIT_SHA1}\n",
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
            ) + &extra.empty(None),
        ),
        RowKind::File => (
            "file_rows",
            format!("{DEVICE_FILE}\n"),
            initiating("file", "\"\"", &path(DFE_TARGET.0, DFE_TARGET.1))
                + &extra.empty(Some(DFE_DIGESTS)),
        ),
        RowKind::Network => (
            "network_rows",
            format!("{DEVICE_NETWORK}\n"),
            format!(
                "{}| extend remote_ip = {DNE_REMOTE_IP}, remote_port = {DNE_REMOTE_PORT}, source_ip = {DNE_LOCAL_IP}\n{}{}",
                initiating("network", "\"\"", "\"\""),
                url_columns(DNE_REMOTE_URL, None, extra.url_keys),
                Extra { net: false, url_keys: false, ..extra }.empty(None),
            ),
        ),
        RowKind::Process => (
            "process_rows",
            format!("{DEVICE_PROCESS}\n"),
            format!(
                "| extend row_kind = \"process\",\n    query_name = \"\",\n    image = {},\n    command_line = {DPE_COMMAND_LINE},\n    parent_image = {},\n    parent_command_line = {DPE_PARENT_COMMAND_LINE},\n    company = {DPE_COMPANY},\n    process_sha1 = {DPE_SHA1}\n| extend file_path = image\n{}",
                path(DPE_IMAGE.0, DPE_IMAGE.1),
                path(DPE_PARENT_IMAGE.0, DPE_PARENT_IMAGE.1),
                extra.empty(Some(DPE_DIGESTS)),
            ),
        ),
    };
    format!(
        "let {name} = {source}{extend}| extend file_name = {}, image_name = {}, parent_image_name = {}\n| project {};\n",
        base("file_path"),
        base("image"),
        base("parent_image"),
        extra.columns(),
    )
}

/// Whether a hunt reads the Safe Links clicks: it reads network rows and
/// its condition reads a link or its host, as the engine reads a click (a
/// network row with the link, its host and the address it came from).
fn reads_clicks(hunt: &Hunt) -> bool {
    hunt.reads.contains(&RowKind::Network)
        && hunt
            .when
            .predicates()
            .iter()
            .any(|t| matches!(t.field, Field::Url | Field::RemoteHost))
}

/// The clicks as network rows: the link and its host, the address the
/// click came from; no device, process or file. A click's `ReportId` is
/// text, every Defender table's a number: it is read as one, so the union
/// keeps one `ReportId` column (Kusto would split it in two).
fn clicks_let(extra: Extra) -> String {
    format!(
        "let click_rows = {CLICKS}\n| extend DeviceName = \"\", ReportId = tolong(ReportId), row_kind = \"network\",\n    query_name = \"\",\n    file_path = \"\",\n    image = \"\",\n    command_line = \"\",\n    parent_image = \"\",\n    parent_command_line = \"\",\n    company = \"\",\n    process_sha1 = \"\"\n| extend remote_ip = \"\", remote_port = int(null), source_ip = tostring({CLICK_IP})\n{}{}| extend file_name = \"\", image_name = \"\", parent_image_name = \"\"\n| project {};\n",
        url_columns(CLICK_URL, None, extra.url_keys),
        Extra { net: false, url_keys: false, ..extra }.empty(None),
        extra.columns(),
    )
}

/// The tasks registered (`ScheduledTaskCreated`), by host and normalised
/// action; with `rule`, over its whole lookback.
fn tasks_let(rule: Option<&RuleTimes>) -> String {
    let (fields, content) = (TASK_CONTENT_INSIDE.0, TASK_CONTENT_INSIDE.1[0]);
    let name = TASK_NAME_INSIDE.1[0];
    format!(
        "let scheduled_tasks = {DEVICE_EVENTS}
{}| where ActionType == \"{TASK_ACTION}\"
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
        schedule::period(rule, "Timestamp"),
        normalised("task_action")
    )
}

/// The signers of signed files, by SHA1; with `rule`, over its whole
/// lookback.
fn signers_let(rule: Option<&RuleTimes>) -> String {
    format!(
        "let signers = {CERTIFICATES}
{}| where not({CERT_SIGNED} == false)
| project process_sha1 = tolower({CERT_SHA1}), signer = {CERT_SIGNER}
| where isnotempty(process_sha1) and isnotempty(signer)
| distinct process_sha1, signer;
",
        schedule::period(rule, "Timestamp"),
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

/// The Defender tables one hunt's query reads, in [`DEFENDER_SOURCES`]'
/// order: each kind of row it reads, `DeviceEvents` for the task join and
/// `DeviceFileCertificateInfo` for the signer join (the Sentinel rule's
/// `requiredDataConnectors` lists these, and only these).
pub(super) fn tables_read(det: &Detection, hunt: &Hunt) -> Vec<&'static str> {
    let reads = |f: Field| {
        det.exclusions_of(hunt)
            .any(|x| x.when.predicates().iter().any(|t| t.field == f))
    };
    let mut read: Vec<&'static str> = hunt
        .reads
        .iter()
        .map(|k| match k {
            RowKind::Dns => DEVICE_EVENTS,
            RowKind::Process => DEVICE_PROCESS,
            RowKind::File => DEVICE_FILE,
            RowKind::Network => DEVICE_NETWORK,
        })
        .collect();
    if reads_clicks(hunt) {
        read.push(CLICKS);
    }
    if reads(Field::TaskName) {
        read.push(DEVICE_EVENTS);
    }
    if reads(Field::Signer) {
        read.push(CERTIFICATES);
    }
    DEFENDER_SOURCES
        .into_iter()
        .filter(|t| read.contains(t))
        .collect()
}

/// The Defender query of one hunt; with `rule`, the hits of its last window,
/// joined with the tasks and signers of its whole lookback.
pub fn query(det: &Detection, hunt: &Hunt, rule: Option<&RuleTimes>) -> String {
    let lists = IocLists::of(det);
    let column = |f: Field| Some(field_name(f).to_owned());
    let names = Names {
        column: &column,
        iocs: Some(&lists),
    };
    let exclusions: Vec<_> = det.exclusions_of(hunt).collect();
    let reads = |f: Field| {
        exclusions
            .iter()
            .any(|x| x.when.predicates().iter().any(|t| t.field == f))
    };
    let mut out = schedule::lets(rule);
    out.push_str(&lists.lets_for(&hunt.when));
    let kinds: Vec<RowKind> = [
        RowKind::Dns,
        RowKind::Process,
        RowKind::File,
        RowKind::Network,
    ]
    .into_iter()
    .filter(|k| hunt.reads.contains(k))
    .collect();
    let extra = Extra::of(hunt, exclusions.iter().map(|x| &x.when));
    for &k in &kinds {
        out.push_str(&table_let(k, extra));
    }
    let (tasks, signers) = (reads(Field::TaskName), reads(Field::Signer));
    if tasks {
        out.push_str(&tasks_let(rule));
    }
    if signers {
        out.push_str(&signers_let(rule));
    }
    let mut sources: Vec<String> = kinds
        .iter()
        .map(|&k| format!("{}_rows", kind_name(k)))
        .collect();
    if reads_clicks(hunt) {
        out.push_str(&clicks_let(extra));
        sources.push("click_rows".to_owned());
    }
    match sources.as_slice() {
        [one] => {
            let _ = writeln!(out, "{one}");
        }
        many => {
            let _ = writeln!(out, "union {}", many.join(", "));
        }
    }
    out.push_str(&schedule::window(rule, "Timestamp"));
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
        out.push_str("| join kind=leftouter (signers) on process_sha1\n");
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
        "| project Timestamp, DeviceName, ActionType, ReportId, hunt = {}, row_kind, query_name, file_path, file_name, image, command_line, parent_image, {}excluded_by",
        kql_string(&hunt.id),
        projected(extra),
    );
    out.push_str("| order by Timestamp desc\n");
    out.push_str(AUDIT_FILTER);
    out.push('\n');
    out
}

/// The network and digest columns a query's result carries, for the
/// analytic rules' entities: the remote address, port, URL and host; the
/// object's first digest and its algorithm (`SHA256`, else `SHA1`, else
/// `MD5`), as Sentinel's `FileHash` entity takes them. Each ends in `, `.
pub(super) fn projected(extra: Extra) -> String {
    let mut out = String::new();
    if extra.net {
        out.push_str("remote_ip, remote_port, url, remote_host, ");
    }
    if extra.digests {
        out.push_str(HASH_PROJECTION);
        out.push_str(", ");
    }
    out
}

/// The object's first digest, and its algorithm.
pub(super) const HASH_PROJECTION: &str = "hash_algorithm = iff(isnotempty(sha256), \"SHA256\", iff(isnotempty(sha1), \"SHA1\", iff(isnotempty(md5), \"MD5\", \"\"))), hash_value = iff(isnotempty(sha256), sha256, iff(isnotempty(sha1), sha1, md5))";

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
