//! What each exclusion should suppress: the benign program its values
//! describe (image, install folder, parent, arguments, task, signer, source
//! subnet), run with the `program` template and the variety real fleets
//! have, talking to an indicator the hunts it guards read. An exclusion the
//! content keeps unexpressed gets the same program with a stand-in for the
//! value its page does not give.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use detections::content::Exclusion;
use detections::spec::RowKind;
use detections::{Detection, Field};

use super::{head, list, q, values_of, Proposed, Values};
use crate::mimic::{absolute, program_of};

/// What an exclusion names, by what the `program` template does with it.
#[derive(Debug, Default)]
struct Named {
    image: Option<String>,
    folder: Option<String>,
    image_name: Option<String>,
    parent: Option<String>,
    command: Option<String>,
    task: Option<String>,
    signer: Option<String>,
    company: Option<String>,
    subnet: Option<String>,
    /// The folder a file the program writes lies in.
    file_folder: Option<String>,
    /// A file it writes (the name a guarded file hunt fires on).
    file: Option<String>,
}

impl Named {
    /// Whether it names a value network rows without a process carry.
    fn names_network(&self) -> bool {
        self.subnet.is_some()
    }
}

/// A stand-in program path, for an exclusion that names none.
const STAND_IN: &str = r"C:\Program Files\Vendor\agent.exe";

fn is_exe(v: &str) -> bool {
    v.to_ascii_lowercase().ends_with(".exe")
}

/// The subnet a source-address value names: a CIDR as given, an address as
/// its /32, a dotted prefix (`10.66.`) as the /8, /16 or /24 it starts.
fn subnet(v: &str) -> Option<String> {
    if v.contains('/') {
        return Some(v.to_owned());
    }
    if v.parse::<std::net::Ipv4Addr>().is_ok() {
        return Some(format!("{v}/32"));
    }
    let octets: Vec<&str> = v.trim_end_matches('.').split('.').collect();
    let ok = (1..=3).contains(&octets.len()) && octets.iter().all(|o| o.parse::<u8>().is_ok());
    ok.then(|| {
        let mut full = octets.clone();
        full.resize(4, "0");
        format!("{}/{}", full.join("."), 8 * octets.len())
    })
}

fn named(x: &Exclusion) -> Named {
    let mut n = Named::default();
    for t in x.when.predicates() {
        let Some(v) = t.values.first().cloned() else {
            continue;
        };
        match t.field {
            Field::Image if is_exe(&v) && absolute(&v) => n.image = Some(v),
            Field::Image if absolute(&v) => n.folder = Some(v.trim_end_matches('\\').to_owned()),
            // A fragment of a path (`\Contoso\Updater\`): under Program Files.
            Field::Image if !v.trim_matches('\\').is_empty() => {
                let under = format!(r"C:\Program Files\{}", v.trim_matches('\\'));
                if is_exe(&v) {
                    n.image = Some(under);
                } else {
                    n.folder = Some(under);
                }
            }
            Field::ImageName if is_exe(&v) => n.image_name = Some(v),
            Field::ParentImage if is_exe(&v) && absolute(&v) => n.parent = Some(v),
            Field::ParentImageName if is_exe(&v) => n.parent = Some(program_of(&v)),
            Field::CommandLine => n.command = Some(v),
            Field::TaskName => n.task = Some(v.trim_start_matches('\\').to_owned()),
            Field::Signer => n.signer = Some(v),
            Field::Company => n.company = Some(v),
            Field::SourceIp => n.subnet = subnet(&v),
            Field::FilePath if absolute(&v) => {
                let v = v.trim_end_matches('\\');
                let last = v.rsplit('\\').next().unwrap_or(v);
                n.file_folder = Some(if last.contains('.') {
                    v.rsplit_once('\\').map_or(v, |(d, _)| d).to_owned()
                } else {
                    v.to_owned()
                });
            }
            _ => {}
        }
    }
    n
}

/// A weighted `one_of`: the named value most of the time, the variants
/// real fleets have the rest.
fn varied(named: &str, variants: &[String]) -> String {
    let mut values = vec![named.to_owned()];
    values.extend(variants.iter().filter(|v| *v != named).cloned());
    if values.len() == 1 {
        return q(named);
    }
    let weights: Vec<String> = std::iter::once("8".to_owned())
        .chain(values[1..].iter().map(|_| "1".to_owned()))
        .collect();
    format!(
        "{{ one_of = {}, weights = [{}] }}",
        list(values),
        weights.join(", ")
    )
}

/// The `program` keys for what `n` names, with comments saying what varies.
fn program_keys(n: &Named) -> (String, Vec<String>) {
    let mut keys = String::new();
    let mut notes = Vec::new();
    let image = n
        .image
        .clone()
        .or_else(|| {
            let name = n.image_name.as_deref().unwrap_or("tool.exe");
            n.folder.as_ref().map(|f| format!(r"{f}\{name}"))
        })
        .or_else(|| n.image_name.as_deref().map(program_of))
        .unwrap_or_else(|| STAND_IN.to_owned());
    let _ = writeln!(keys, "image = {}", q(&image));
    let windows = image.to_ascii_lowercase().starts_with(r"c:\windows\");
    if let Some((dir, file)) = image.rsplit_once('\\').filter(|_| !windows) {
        let leaf = dir.rsplit('\\').next().unwrap_or(dir);
        let x86 = dir.replacen(r"\Program Files\", r"\Program Files (x86)\", 1);
        let variants = [x86, format!(r"D:\Apps\{leaf}")];
        let _ = writeln!(keys, "install_dir = {}", varied(dir, &variants));
        notes.push(format!(
            "Variety: 1 host in 5 installs `{file}` elsewhere, as real fleets do."
        ));
    }
    if let Some(parent) = &n.parent {
        let shells = [
            r"C:\Windows\System32\cmd.exe".to_owned(),
            r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe".to_owned(),
        ];
        let _ = writeln!(keys, "parent = {}", varied(parent, &shells));
        notes.push("Variety: some runs start it from another shell.".to_owned());
    }
    if let Some(c) = &n.command {
        let _ = writeln!(keys, "command = {}", varied(c, &[format!("{c} /verbose")]));
        notes.push("Variety: some runs add an argument.".to_owned());
    }
    if let Some(t) = &n.task {
        let vendor = format!(r"Vendor\{t}");
        let _ = writeln!(keys, "task_name = {}", varied(t, &[vendor]));
        notes.push("Variety: some hosts register the task in a vendor folder.".to_owned());
    } else if n.parent.is_none() && n.command.is_none() {
        let _ = writeln!(keys, "command = \"/update\"");
    }
    if let Some(s) = &n.signer {
        let _ = writeln!(keys, "signer = {}", varied(s, &["unsigned".to_owned()]));
        notes.push("Variety: some hosts run an unsigned build.".to_owned());
    }
    if let Some(c) = &n.company {
        let _ = writeln!(keys, "company = {}", q(c));
    }
    if let Some(s) = &n.subnet {
        let _ = writeln!(keys, "host_subnet = {}", q(s));
    }
    if let Some(f) = &n.file {
        let folder = n
            .file_folder
            .clone()
            .unwrap_or_else(|| r"C:\ProgramData\Vendor".to_owned());
        let _ = writeln!(keys, "files = [{}]", q(&format!(r"{folder}\{f}")));
    }
    (keys, notes)
}

/// The destinations: one URL (or a name's), one address, of the indicators
/// the guarded hunts read; an address in a shared range first.
fn destinations(v: &Values, shared: &BTreeSet<String>) -> Option<String> {
    let mut keys = String::new();
    let url = v
        .urls
        .iter()
        .next()
        .cloned()
        .or_else(|| v.names.iter().next().map(|n| format!("https://{n}/update")));
    let mut addresses: Vec<&(String, u16)> = v.addresses.iter().collect();
    addresses.sort_by_key(|(a, _)| !shared.contains(a));
    match (url, addresses.first()) {
        (None, None) => return None,
        (Some(u), _) => {
            let _ = writeln!(keys, "urls = [{}]", q(&u));
        }
        (None, Some((a, _))) if shared.contains(a) => {
            let host = if a.contains(':') {
                format!("[{a}]")
            } else {
                a.clone()
            };
            let _ = writeln!(keys, "urls = [{}]", q(&format!("https://{host}/update")));
        }
        (None, Some(_)) => {}
    }
    if let Some((a, p)) = addresses.first().filter(|(a, _)| !shared.contains(a)) {
        let a = if a.contains(':') {
            format!("[{a}]")
        } else {
            a.clone()
        };
        let _ = writeln!(keys, "addresses = [{}]", q(&format!("{a}:{p}")));
    }
    Some(keys)
}

/// A program name the hunts `guarded` fire on: the first literal value of
/// a predicate on a file or image name (`has "nanocore"` gives
/// `nanocore.exe`).
fn hunted_name(det: &Detection, guarded: &[usize]) -> Option<String> {
    guarded
        .iter()
        .flat_map(|&h| det.hunts[h].when.predicates())
        .filter(|t| matches!(t.field, Field::FileName | Field::ImageName) && t.list.is_none())
        .find_map(|t| t.values.first())
        .map(|v| {
            let name = v.rsplit('\\').next().unwrap_or(v);
            if name.contains('.') {
                name.to_owned()
            } else {
                format!("{name}.exe")
            }
        })
}

/// An exclusion, compiled or kept unexpressed, as a proposal reads it.
struct Excused {
    id: String,
    description: String,
    /// The values it names (none when unexpressed).
    named: Named,
    /// The hunts it guards, by index.
    guarded: Vec<usize>,
    compiled: bool,
    /// Whether it applies to file rows only.
    files_only: bool,
}

/// Every exclusion of `det`, compiled then kept unexpressed.
fn subjects(det: &Detection) -> Vec<Excused> {
    let mut subjects: Vec<Excused> = Vec::new();
    let files_only = |kinds: &[RowKind]| kinds.iter().all(|k| *k == RowKind::File);
    for (k, x) in det.exclusions.iter().enumerate() {
        let guarded = (0..det.hunts.len())
            .filter(|&h| det.hunts[h].exclusions.contains(&k))
            .collect();
        subjects.push(Excused {
            id: x.id.clone(),
            description: x.description.clone(),
            named: named(x),
            guarded,
            compiled: true,
            files_only: files_only(&x.applies_to),
        });
    }
    for u in &det.unexpressed {
        let guarded = det
            .hunts
            .iter()
            .enumerate()
            .filter(|(_, h)| u.hunts.iter().any(|g| g.get_ref() == &h.id))
            .map(|(i, _)| i)
            .collect();
        subjects.push(Excused {
            id: u.id.get_ref().clone(),
            description: u.description.clone(),
            named: Named::default(),
            guarded,
            compiled: false,
            files_only: files_only(&u.applies_to),
        });
    }
    subjects
}

/// One proposed file per exclusion, compiled or kept unexpressed; what
/// could not be proposed, and why. `shared`: the listed addresses in shared
/// ranges.
pub(super) fn excused(
    det: &Detection,
    first: usize,
    shared: &BTreeSet<String>,
) -> (Vec<Proposed>, Vec<(String, String)>) {
    let (mut files, mut skipped) = (Vec::new(), Vec::new());
    for (k, subject) in subjects(det).into_iter().enumerate() {
        let Excused {
            id,
            description,
            named: mut n,
            guarded,
            compiled,
            files_only,
        } = subject;
        // A guarded hunt that fires on a program's name: the benign program
        // has that name (a tool named like the malware), and needs no
        // indicator to be seen.
        let hunted = hunted_name(det, &guarded);
        if let Some(name) = &hunted {
            if files_only || !is_exe(name) {
                // A file hunt: the program writes the file it fires on.
                n.file = Some(name.clone());
            } else if n.image.is_none() && n.image_name.is_none() {
                n.image_name = Some(name.clone());
            }
        }
        let mut v = Values::default();
        for &h in &guarded {
            let w = values_of(det, &det.hunts[h]);
            v.names.extend(w.names);
            v.addresses.extend(w.addresses);
            v.urls.extend(w.urls);
        }
        let dest = match (&hunted, destinations(&v, shared)) {
            (Some(_), _) => Some(String::new()),
            (None, d) => d,
        };
        let Some(dest) = dest else {
            skipped.push((
                format!("exclusion {id}"),
                "the hunts it guards read no name, address or URL the program could talk to"
                    .to_owned(),
            ));
            continue;
        };
        let (keys, notes) = program_keys(&n);
        let scenario_id = format!("propose-excused-{id}");
        let mut says = vec![
            format!("What `{id}` was written for: {}", description.trim_end_matches('.')),
            format!("It tests: the benign program the exclusion describes, talking to an indicator the hunts it guards read."),
        ];
        let perimeter = guarded
            .iter()
            .any(|&h| det.hunts[h].reads.contains(&RowKind::Network));
        if perimeter && !n.names_network() {
            says.push("The firewall's and the proxy's rows name no process: an exclusion on the program cannot apply to them, so a hunt that reads them alerts on this program there (the report counts those rows `not evaluable`) until the exclusion names a network value or the hunt reads them with a process condition.".to_owned());
        }
        if !compiled {
            says.push("The content keeps this exclusion unexpressed (its page gives no value): the program's values here are stand-ins, so it alerts until the value is written into the content and here.".to_owned());
        }
        says.extend(notes);
        let said: Vec<&str> = says.iter().map(String::as_str).collect();
        let outcome = if compiled { "suppressed" } else { "no-alert" };
        let mut text = head(
            &det.id,
            first + k + 1,
            &scenario_id,
            "benign",
            outcome,
            &said,
        )
        .replace("hosts = 2\n", "hosts = 10\n");
        if compiled {
            text = text.replace(
                "outcome = \"suppressed\"\n",
                &format!("outcome = \"suppressed\"\nexclusion = {}\n", q(&id)),
            );
        }
        let _ = write!(
            text,
            "template = \"program\"\ninterval_minutes = 30\n{keys}{dest}"
        );
        files.push(Proposed {
            file: format!("{scenario_id}.toml"),
            text,
        });
    }
    (files, skipped)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{excused, subnet};

    /// The seed with backup-job's image predicate replaced by `to`: the
    /// proposed file for backup-job.
    fn backup_job_with(to: &str) -> String {
        let text = detections::content::NANOCORE_TOML;
        let from = r#"{ field = "image", op = "contains", values = ['C:\Program Files\BackupTool\nanocore.exe'] },"#;
        assert!(text.contains(from));
        let det = detections::load(
            &text.replacen(from, to, 1),
            "x.toml",
            detections::Engine::Fast,
        )
        .expect("loads");
        let (files, _) = excused(&det, 0, &BTreeSet::new());
        files
            .into_iter()
            .find(|f| f.file == "propose-excused-backup-job.toml")
            .expect("proposed")
            .text
    }

    #[test]
    fn a_path_fragment_places_the_program_under_program_files() {
        let text = backup_job_with(
            r#"{ field = "image", op = "contains", values = ['\Contoso\Updater\'] },"#,
        );
        assert!(
            text.contains(r"image = 'C:\Program Files\Contoso\Updater\nanocore.exe'"),
            "{text}"
        );
        let text = backup_job_with(
            r#"{ field = "image", op = "contains", values = ['\Contoso\agent.exe'] },"#,
        );
        assert!(
            text.contains(r"image = 'C:\Program Files\Contoso\agent.exe'"),
            "{text}"
        );
    }

    #[test]
    fn a_source_value_names_its_subnet() {
        assert_eq!(subnet("10.66.").as_deref(), Some("10.66.0.0/16"));
        assert_eq!(subnet("10.66.4").as_deref(), Some("10.66.4.0/24"));
        assert_eq!(subnet("10.66.0.0/16").as_deref(), Some("10.66.0.0/16"));
        assert_eq!(subnet("192.0.2.7").as_deref(), Some("192.0.2.7/32"));
        assert_eq!(subnet("lab"), None);
    }
}
