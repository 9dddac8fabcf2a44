//! Mimic scenarios: for each exclusion a hunt names, an attack generated from
//! the exclusion itself. The implant copies every value of the exclusion an
//! attacker controls (its path and file name, its command line, the parent it
//! is launched from, its task's name, its version-info company) and none it
//! does not (a signer, a digest, the victim's address). Its C2 is a name no
//! indicator list holds, so what sees it is the hunt the exclusion guards:
//! the mimic measures what the exclusion hides. An exclusion made only of
//! values the attacker controls hides its mimic (`spoofable`); one that
//! also needs a signer or a digest does not.
//!
//! A mimic is written as a scenario file's text and read by the one scenario
//! reader, so it is checked as every library scenario is.

use detections::content::{field_name, Control, Term};
use detections::spec::{OpName, RowKind};
use detections::{Detection, Field};
use serde::Serialize;
use simulator::{Scenario, Status};

/// The C2 name every mimic resolves: under `.example` (reserved, RFC 2606),
/// so no indicator list holds it.
pub const MIMIC_C2: &str = "upd-sync.mimic.example";

/// When every mimic's window starts (the library's working day).
const MIMIC_START: &str = "2026-05-21T08:00:00Z";

/// The most conjunctions an exclusion is multiplied out to when looking for
/// one a mimic can copy.
const MAX_CONJUNCTIONS: usize = 64;

/// One exclusion's mimic, or why none is generated.
#[derive(Debug, Clone)]
pub struct Mimic {
    /// The exclusion's id.
    pub exclusion: String,
    /// The scenario, or why the infection template cannot copy the
    /// exclusion.
    pub scenario: Result<Scenario, String>,
    /// The scenario file's text it was read from, when generated.
    pub text: Option<String>,
}

/// An exclusion's mimic scenario and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MimicOutcome {
    /// The mimic's scenario id, when one is generated.
    pub scenario: Option<String>,
    /// Its status in this run; null when it was not run.
    pub status: Option<Status>,
    /// Why none is generated (the infection template cannot copy a value).
    pub not_generated: Option<String>,
}

impl MimicOutcome {
    /// The status as the tables print it.
    pub fn label(&self) -> &str {
        match (&self.status, &self.not_generated) {
            (Some(s), _) => s.name(),
            (None, Some(_)) => "not generated",
            (None, None) => "not run",
        }
    }
}

/// The id of the mimic of exclusion `id`.
pub fn mimic_id(id: &str) -> String {
    format!("mimic-{id}")
}

/// The mimic of every exclusion some hunt names and that applies to process
/// or file rows, in the content's order.
pub fn mimics(det: &Detection) -> Vec<Mimic> {
    let template = infection_template(det);
    det.exclusions
        .iter()
        .enumerate()
        .filter(|(i, _)| det.hunts.iter().any(|h| h.exclusions.contains(i)))
        .filter(|(_, x)| {
            x.applies_to
                .iter()
                .any(|k| matches!(k, RowKind::Process | RowKind::File))
        })
        .map(|(i, x)| {
            let text =
                plan_for(det, i).and_then(|p| p.text(&x.id, &host_prefix(i, &x.id), template));
            Mimic {
                exclusion: x.id.clone(),
                scenario: text.clone().and_then(|t| {
                    Scenario::parse(&t, &format!("the mimic of exclusion `{}`", x.id))
                        .map_err(|e| e.to_string())
                }),
                text: text.ok(),
            }
        })
        .collect()
}

/// The conjunction the mimic copies: of those the template can copy, one
/// made only of values the attacker controls (it hides the mimic), else the
/// one with most values to copy.
fn plan_for(det: &Detection, i: usize) -> Result<Plan, String> {
    let x = &det.exclusions[i];
    let name = hunted_name(det, i);
    let process = x.applies_to.contains(&RowKind::Process);
    let conjunctions = x
        .when
        .conjunctions(MAX_CONJUNCTIONS)
        .ok_or_else(|| format!("more than {MAX_CONJUNCTIONS} conjunctions"))?;
    let mut first_err = None;
    let mut best: Option<(bool, usize, Plan)> = None;
    for conj in &conjunctions {
        let theirs = conj
            .iter()
            .all(|t| detections::content::control(t.field) == Control::Attacker);
        match Plan::copy(conj, process, name.as_deref()) {
            Ok(p) if p.copied.is_empty() => {}
            Ok(p) => {
                let key = (theirs, p.copied.len());
                if best.as_ref().is_none_or(|(a, b, _)| key > (*a, *b)) {
                    best = Some((key.0, key.1, p));
                }
            }
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    match best {
        Some((_, _, p)) => Ok(p),
        None => Err(first_err
            .unwrap_or_else(|| "no value of the exclusion is the attacker's to copy".to_owned())),
    }
}

/// A file name the hunts guarded by exclusion `i` fire on: the first literal
/// value of a predicate on the file or image name (`has "nanocore"` gives
/// `nanocore.exe`).
fn hunted_name(det: &Detection, i: usize) -> Option<String> {
    det.hunts
        .iter()
        .filter(|h| h.exclusions.contains(&i))
        .flat_map(|h| h.when.predicates())
        .filter(|t| matches!(t.field, Field::FileName | Field::ImageName) && t.list.is_none())
        .find_map(|t| t.values.first())
        .map(|v| v.rsplit('\\').next().unwrap_or(v).to_owned())
}

/// How the implant is started, so that its parent is the one copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parent {
    /// A macro's PowerShell downloads and starts it.
    Powershell,
    /// A script run by wscript.exe drops and starts it.
    Wscript,
    /// msiexec.exe writes and starts it.
    Msiexec,
    /// `schtasks.exe /run` starts it.
    Schtasks,
    /// The Task Scheduler restarts it after each reboot.
    TaskScheduler,
}

impl Parent {
    fn of(image: &str) -> Option<Parent> {
        let name = image.rsplit('\\').next().unwrap_or(image);
        Some(match name.to_ascii_lowercase().as_str() {
            "powershell.exe" => Parent::Powershell,
            "wscript.exe" => Parent::Wscript,
            "msiexec.exe" => Parent::Msiexec,
            "schtasks.exe" => Parent::Schtasks,
            "svchost.exe" | "taskeng.exe" => Parent::TaskScheduler,
            _ => return None,
        })
    }
}

/// What the mimic copies, read from one conjunction.
#[derive(Debug, Default)]
struct Plan {
    /// The implant's path (process rows) or the file it writes (file rows).
    path: Option<String>,
    /// A directory the path must start with.
    dir: Option<String>,
    /// The implant's file name.
    name: Option<String>,
    args: Option<String>,
    parent: Option<Parent>,
    /// Any other program the implant's parent (or its file's writer) must
    /// be: it loads the implant (`delivery = "loader"`).
    loader: Option<String>,
    task: Option<String>,
    company: Option<String>,
    /// Whether the exclusion applies to file rows only.
    file: bool,
    /// What was copied, for the scenario's description.
    copied: Vec<String>,
}

/// Whether an operator is an equality (the value is the whole field).
fn exact(op: OpName) -> bool {
    matches!(op, OpName::Eq | OpName::EqCi | OpName::In | OpName::InCi)
}

/// Whether `p` is an absolute Windows path.
pub(crate) fn absolute(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() > 3 && b[1] == b':' && b[2] == b'\\'
}

impl Plan {
    /// Copy one conjunction. `process` tells whether the exclusion applies to
    /// process rows (the image is the implant) or only to file rows (the
    /// image is the writer); `name` is a file name the guarded hunt fires on.
    fn copy(conj: &[Term<'_>], process: bool, name: Option<&str>) -> Result<Plan, String> {
        let mut p = Plan {
            file: !process,
            ..Plan::default()
        };
        for t in conj {
            p.term(t, process)?;
        }
        if p.task.is_some() && p.parent.is_none() && p.loader.is_none() && process {
            // The task runs it from its first start, so the task's name is
            // known for every process row.
            p.parent = Some(Parent::Schtasks);
        }
        if p.name.is_none() {
            p.name = name.map(str::to_owned);
        }
        Ok(p)
    }

    fn term(&mut self, t: &Term<'_>, process: bool) -> Result<(), String> {
        let field = field_name(t.field);
        let Some(v) = t.values.first().cloned() else {
            return Err(format!("`{field}` names no value"));
        };
        self.copied
            .push(format!("{field} {} {}", t.op.kql(), quote(&v)));
        match t.field {
            Field::Image if !process => {
                // A file exclusion's image is the writer: only msiexec can be
                // copied (the MSI delivery).
                self.set_parent(t, "the writer's image")?;
            }
            Field::Image | Field::FilePath => self.path_term(t.op, &v, field)?,
            Field::ImageName if !process => self.set_parent(t, "the writer's image")?,
            Field::ImageName | Field::FileName => self.name = Some(v),
            Field::CommandLine if exact(t.op) => {
                return Err("an exact command line (the template writes its own)".into())
            }
            Field::CommandLine => self.args = Some(v),
            Field::ParentImage | Field::ParentImageName => {
                self.set_parent(t, "the parent")?;
            }
            Field::TaskName => self.task = Some(v.trim_start_matches('\\').to_owned()),
            Field::Company => self.company = Some(v),
            // Not the attacker's to copy: the mimic leaves them out.
            Field::Signer | Field::Sha256 | Field::Sha1 | Field::Md5 | Field::SourceIp => {
                self.copied.pop();
            }
            Field::ParentCommandLine
            | Field::QueryName
            | Field::RemoteIp
            | Field::Url
            | Field::RemoteHost => {
                return Err(format!("the infection template cannot copy `{field}`"))
            }
        }
        Ok(())
    }

    fn path_term(&mut self, op: OpName, v: &str, field: &str) -> Result<(), String> {
        match op {
            _ if exact(op) => self.path = Some(v.to_owned()),
            OpName::StartsWith => self.dir = Some(v.trim_end_matches('\\').to_owned()),
            _ if absolute(v) && !v.ends_with('\\') => self.path = Some(v.to_owned()),
            _ if absolute(v) => self.dir = Some(v.trim_end_matches('\\').to_owned()),
            _ => {
                return Err(format!(
                    "`{field}` is matched by a fragment ({v}), not a path the implant can take"
                ))
            }
        }
        Ok(())
    }

    /// The first of the predicate's values the template can launch from:
    /// one of its own deliveries, else any program, as a loader that writes
    /// and starts the implant (a path as given, a name under `Program Files`).
    fn set_parent(&mut self, t: &Term<'_>, what: &str) -> Result<(), String> {
        let found = t.values.iter().find_map(|v| Parent::of(v));
        match found {
            Some(p) if self.parent.is_none_or(|q| q == p) && self.loader.is_none() => {
                self.parent = Some(p);
                Ok(())
            }
            Some(_) => Err(format!("{what} must be two programs at once")),
            None => {
                let v = t.values.first().map(String::as_str).unwrap_or_default();
                let exe = v.to_ascii_lowercase().ends_with(".exe");
                let loader = match v {
                    _ if !exe || v.contains('/') => None,
                    _ if absolute(v) && exact(t.op) => Some(v.to_owned()),
                    _ if !v.contains('\\') => Some(program_of(v)),
                    _ => None,
                };
                match loader {
                    Some(l) if self.parent.is_none() && self.loader.is_none() => {
                        self.loader = Some(l);
                        Ok(())
                    }
                    Some(_) => Err(format!("{what} must be two programs at once")),
                    None => Err(format!(
                        "{what} ({}) is neither a program path nor a program name the loader can take",
                        t.values.join(", ")
                    )),
                }
            }
        }
    }

    /// The implant's path.
    fn implant_path(&self) -> Result<String, String> {
        // A bare name gets an extension: `.exe` for a process, `.dll` for a
        // file exclusion's implant (rundll32 runs it, so no process row names
        // it and the file row is what the exclusion decides).
        let name = match self.name.as_deref() {
            Some(n) if n.contains('.') => n.to_owned(),
            Some(n) => format!("{n}.{}", if self.file { "dll" } else { "exe" }),
            None => return Err("the hunts it guards name no file to copy".into()),
        };
        Ok(match (&self.path, &self.dir) {
            (Some(p), _) => p.clone(),
            (None, Some(d)) => format!(r"{d}\{name}"),
            (None, None) => format!(r"%APPDATA%\{name}"),
        })
    }

    /// The scenario file's text, read by the scenario reader.
    fn text(&self, exclusion: &str, prefix: &str, template: &str) -> Result<String, String> {
        let path = self.implant_path()?;
        let mut g = toml::Table::new();
        let mut put = |k: &str, v: toml::Value| {
            g.insert(k.to_owned(), v);
        };
        let s = |v: &str| toml::Value::String(v.to_owned());
        put("template", s(template));
        put("seed", toml::Value::Integer(seed_of(exclusion)));
        put("hosts", toml::Value::Integer(2));
        put("host_prefix", s(prefix));
        let start: toml::value::Datetime = MIMIC_START.parse().map_err(|e| format!("{e}"))?;
        put("start", toml::Value::Datetime(start));
        // Two hours, one long C2 session: the C2 is in no list, so its
        // lookups are rows no hunt can see; few of them keep the run's recall
        // about the hunts, and the process rows decide.
        put("hours", toml::Value::Integer(2));
        put("session_minutes", toml::Value::Float(240.0));
        put("ttl_seconds", toml::Value::Float(7200.0));
        put("c2_up", toml::Value::Float(1.0));
        // On process rows the attacker writes the implant under a temporary
        // name and renames it (Sysmon logs the creation, not the rename):
        // its process rows are then the only rows that name it, and what the
        // exclusion does to them decides. A file exclusion is about the
        // file row itself.
        put("endpoint", s("sysmon"));
        put("endpoint_dns", toml::Value::Boolean(true));
        put("server_dns", toml::Value::Boolean(true));
        put("hollow", s("none"));
        put("implant_path", s(&path));
        put("drop", s(if self.file { "write" } else { "rename" }));
        put("c2_hosts", toml::Value::Array(vec![s(MIMIC_C2)]));
        let delivery = match self.parent {
            _ if self.loader.is_some() => "loader",
            Some(Parent::Wscript) => "vbs",
            Some(Parent::Msiexec) => "msi",
            _ => "powershell",
        };
        put("delivery", s(delivery));
        if let Some(l) = &self.loader {
            put("parent_chain", toml::Value::Array(vec![s(l)]));
        }
        if self.parent == Some(Parent::Schtasks) {
            put("launch", s("schtasks-run"));
        }
        if self.parent == Some(Parent::TaskScheduler) {
            put("reboot_every_hours", toml::Value::Float(2.0));
        }
        if let Some(a) = &self.args {
            put("implant_args", s(a));
        }
        if let Some(t) = &self.task {
            put("task_name", s(t));
        }
        if let Some(c) = &self.company {
            put("company", s(c));
        }
        let mut expect = toml::Table::new();
        expect.insert("outcome".into(), s("alert"));
        expect.insert("exclusion".into(), s(exclusion));
        let mut file = toml::Table::new();
        file.insert("id".into(), s(&mimic_id(exclusion)));
        file.insert(
            "title".into(),
            s(&format!(
                "Mimic of `{exclusion}`: an implant that copies the values it names"
            )),
        );
        file.insert("kind".into(), s("adversarial"));
        file.insert(
            "description".into(),
            s(&format!(
                "Generated from the exclusion `{exclusion}`: the implant copies {}. Its C2, {MIMIC_C2}, is in no indicator list, so only the hunts `{exclusion}` guards can see it; the alert must stand all the same.",
                self.copied.join(", ")
            )),
        );
        file.insert("expect".into(), toml::Value::Table(expect));
        file.insert("generator".into(), toml::Value::Table(g));
        toml::to_string(&file).map_err(|e| e.to_string())
    }
}

/// The infection template a content's mimics use: NanoCore's where an
/// indicator names the family (its implant writes `run.dat`, as NanoCore's
/// does), else the generic `implant`, so no other family's telemetry carries
/// a NanoCore value.
pub fn infection_template(det: &Detection) -> &'static str {
    let nanocore = det
        .iocs
        .iter()
        .any(|i| i.malware_family.to_ascii_lowercase().contains("nanocore"));
    if nanocore {
        "nanocore-infection"
    } else {
        "implant"
    }
}

/// Host names of its own for each mimic (the process and task joins are by
/// host): `MIM1-BACKUP` for the first exclusion, `backup-job`.
fn host_prefix(i: usize, id: &str) -> String {
    let word: String = id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(6)
        .collect::<String>()
        .to_ascii_uppercase();
    format!("MIM{}-{word}", i + 1)
}

/// Where a program named `name` lives: Windows' own in their folders,
/// any other under `Program Files`.
pub(crate) fn program_of(name: &str) -> String {
    const SYSTEM32: [&str; 12] = [
        "cmd.exe",
        "rundll32.exe",
        "regsvr32.exe",
        "mshta.exe",
        "cscript.exe",
        "wscript.exe",
        "conhost.exe",
        "msiexec.exe",
        "schtasks.exe",
        "svchost.exe",
        "reg.exe",
        "sc.exe",
    ];
    let lower = name.to_ascii_lowercase();
    if lower == "powershell.exe" {
        format!(r"C:\Windows\System32\WindowsPowerShell\v1.0\{name}")
    } else if SYSTEM32.contains(&lower.as_str()) {
        format!(r"C:\Windows\System32\{name}")
    } else if lower == "explorer.exe" {
        r"C:\Windows\explorer.exe".to_owned()
    } else {
        format!(r"C:\Program Files\Vendor\{name}")
    }
}

/// A value as the description quotes it.
fn quote(v: &str) -> String {
    format!("\"{}\"", v.replace('"', "\\\""))
}

/// A stable scenario seed from the exclusion's id (kept positive).
fn seed_of(id: &str) -> i64 {
    (simulator::rng::fnv1a(id.as_bytes()) >> 33) as i64
}
