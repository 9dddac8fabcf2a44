//! `program`: any benign program, run on an interval on each host. Its
//! image, install folder, task, schedule and signer are drawn once per host,
//! its parent and arguments on each run (each fixed or varied by the
//! scenario); on each run it fetches its URLs, looks up its names and
//! connects to its addresses.

use std::sync::Arc;

use super::network::fetch_url;
use super::plan::Plan;
use crate::record::Record;
use crate::rng::Rng;
use crate::scenario::ProgramParams;
use crate::shapes::{basename, dirname, Conn, Host, Meta, Proc, Proto, Spec, Task};
use crate::stream::Activity;
use crate::variety::CMD;

const SCHTASKS: &str = r"C:\Windows\System32\schtasks.exe";
/// The step of every lookup and connection the program makes.
const STEP: &str = "program-network";

pub struct Program {
    host: Host,
    p: ProgramParams,
    vrng: Rng,
    end: i64,
    next: i64,
    interval_ms: f64,
    jitter: f64,
    image: String,
    meta: Meta,
    /// The scheduled task it runs as, if any.
    task: Option<Task>,
    task_start: String,
    register_at: Option<i64>,
    registered: bool,
    /// Runs so far: with both a task and a parent, runs alternate.
    runs: u64,
}

impl Program {
    pub fn new(plan: &Plan, mut host: Host, mut vrng: Rng, p: ProgramParams) -> Program {
        // Drawn once per host, in this order: the image, its folder, its
        // task's name, the task's start, the signer.
        let documented = host.expand(&p.image.value(&mut vrng));
        let image = match &p.install_dir {
            Some(d) => format!(r"{}\{}", d.value(&mut vrng), basename(&documented)),
            None => documented.clone(),
        };
        if !image.eq_ignore_ascii_case(&documented) {
            // The same build, installed elsewhere: the same digests.
            host.installed_as = Some((image.clone(), documented));
        }
        let task_name = p.task_name.as_ref().map(|n| n.value(&mut vrng));
        let task_start = p.task_start.value(&mut vrng);
        let signer = p.signer.as_ref().map(|s| s.value(&mut vrng));
        let name = basename(&image).to_owned();
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        let company = match (&signer, p.company.is_empty()) {
            (_, false) => p.company.clone(),
            (Some(s), true) if s != "unsigned" => s.clone(),
            _ => String::new(),
        };
        let mut meta = if company.is_empty() {
            Meta::default()
        } else {
            Meta::new(&company, stem, stem, &name, "1.0.0.0")
        };
        if let Some(s) = signer.filter(|s| s != "unsigned") {
            meta = meta.signed(&s);
        }
        let task = task_name.map(|n| {
            let args = p.command.as_ref().map(|c| c.value(&mut vrng));
            Task::new(&n, &image, args.as_deref().unwrap_or(""), p.system)
        });
        let interval_ms = p.interval_minutes * 60_000.0 / plan.scale;
        let window = (plan.end - plan.start).max(1) as f64;
        let next = plan.start + (host.rng.unit() * interval_ms.min(window)) as i64;
        Program {
            register_at: p
                .registered_days_before
                .filter(|_| task.is_some())
                .map(|d| plan.start - (d * 86_400_000.0) as i64),
            end: plan.end,
            next,
            interval_ms,
            jitter: plan.scenario.generator.jitter,
            image,
            meta,
            task,
            task_start,
            registered: false,
            runs: 0,
            host,
            vrng,
            p,
        }
    }

    fn gap(&mut self) -> i64 {
        self.host.rng.range(150, 2_500)
    }

    /// An administrator registers the task from a `cmd.exe` with
    /// `schtasks.exe /create` (the Task Scheduler runs it later).
    fn register(&mut self, mut t: i64, out: &mut Vec<Record>) -> i64 {
        self.registered = true;
        let Some(task) = self.task.clone() else {
            return t;
        };
        let explorer = Arc::clone(&self.host.boot.explorer);
        let shell = self.host.spawn(
            t,
            &explorer,
            Spec::new(CMD, &format!(r#""{CMD}""#)),
            "task-register",
            out,
        );
        t += self.gap() * 4;
        let tr = task.command_line().replace('"', "\\\"");
        let ru = if task.system { " /ru SYSTEM" } else { "" };
        let create = format!(
            r#"schtasks.exe /create /tn "{}" /tr "{tr}" /sc daily /st {}{ru} /f"#,
            task.name.trim_start_matches('\\'),
            self.task_start
        );
        let sch = self.host.spawn(
            t,
            &shell,
            Spec::new(SCHTASKS, &create),
            "task-register",
            out,
        );
        t += self.gap() / 4 + 1;
        self.host
            .register_task(t, &sch, &task, "task-register", out);
        t + self.gap()
    }

    /// One run: the program starts (as its task, under its parent, or from
    /// the user's shell; with both a task and a parent, the runs alternate),
    /// then talks to its destinations.
    fn run(&mut self, mut t: i64, out: &mut Vec<Record>) {
        let spec = |command_line: &str, me: &Program| {
            let s = Spec::new(&me.image, command_line)
                .meta(me.meta.clone())
                .cwd(&format!(r"{}\", dirname(&me.image)));
            if me.p.system {
                s.system()
            } else {
                s
            }
        };
        // With a parent too, every other run is the parent's.
        let as_task = self.p.parent.is_none() || self.runs.is_multiple_of(2);
        self.runs += 1;
        let program = if let Some(task) = self.task.clone().filter(|_| as_task) {
            let s = spec(&task.command_line(), self);
            self.host.run_task(t, s, "program-run", out)
        } else {
            // Per run, in this order: the parent, then the arguments.
            let parent = self.p.parent.as_ref().map(|p| p.value(&mut self.vrng));
            let args = self.p.command.as_ref().map(|c| c.value(&mut self.vrng));
            let mut under = Arc::clone(&self.host.boot.explorer);
            if let Some(parent) = parent.filter(|p| !p.eq_ignore_ascii_case(&under.image)) {
                under = self.host.spawn(
                    t,
                    &under,
                    Spec::new(&parent, &format!(r#""{parent}""#)),
                    "program-parent",
                    out,
                );
                t += self.gap();
            }
            let command_line = match args.filter(|a| !a.trim().is_empty()) {
                Some(a) => format!(r#""{}" {a}"#, self.image),
                None => format!(r#""{}""#, self.image),
            };
            let s = spec(&command_line, self);
            self.host.spawn(t, &under, s, "program-run", out)
        };
        for f in self.p.files.clone() {
            t += self.gap();
            let path = self.host.expand(&f);
            self.host.file(t, &program, &path, "program-file", out);
        }
        self.talk(t, &program, out);
    }

    /// The program fetches its URLs, looks up its names and connects to its
    /// addresses.
    fn talk(&mut self, mut t: i64, program: &Arc<Proc>, out: &mut Vec<Record>) {
        let given = self.p.resolves_to.clone();
        for url in self.p.urls.clone() {
            t += self.gap();
            fetch_url(
                &mut self.host,
                t,
                program,
                &url,
                given.as_deref(),
                STEP,
                out,
            );
        }
        for name in self.p.names.clone() {
            t += self.gap();
            let ans = super::network::given_answer(&name, given.as_deref());
            self.host
                .lookup(t, Some(program), &name, "A", &ans, true, STEP, out);
        }
        for (ip, port) in self.p.addresses.clone() {
            t += self.gap();
            let c = Conn {
                remote_ip: &ip,
                remote_port: port,
                proto: Proto::Tcp,
                remote_url: "",
                up: true,
                app: "unknown-tcp",
            };
            self.host.connect(t, program, &c, STEP, out);
        }
    }
}

impl Activity for Program {
    fn next_start(&self) -> Option<i64> {
        self.register_at
            .or((self.next < self.end).then_some(self.next))
    }

    fn emit(&mut self, out: &mut Vec<Record>) {
        if let Some(at) = self.register_at.take() {
            // Registered days before the window: the runs come inside it.
            self.register(at, out);
            return;
        }
        let mut t = self.next;
        if !self.registered && self.task.is_some() {
            t = self.register(t, out);
        }
        self.run(t, out);
        self.next += self.host.rng.jitter_ms(self.interval_ms, self.jitter);
    }
}
