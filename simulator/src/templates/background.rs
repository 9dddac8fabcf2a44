//! `background-dns`: browsers, mail, chat, sync and Windows services resolving
//! popular and internal names; optionally extra names (look-alikes, or benign
//! names that contain an IOC as a term sequence) on their own interval.

use std::sync::Arc;

use super::plan::Plan;
use crate::record::Record;
use crate::rng::fnv1a;
use crate::scenario::{BackgroundParams, Windows};
use crate::shapes::{answer, Host, Proc, Spec};
use crate::stream::Activity;

/// Windows 10's host for COM-handler tasks.
const TASKHOSTW: &str = r"C:\Windows\System32\taskhostw.exe";

/// The applications that resolve names (index into [`Background::apps`]).
const CHROME: usize = 0;
const EDGE: usize = 1;
const OUTLOOK: usize = 2;
const TEAMS: usize = 3;
const ONEDRIVE: usize = 4;
const SVCHOST: usize = 5;

/// The enterprise vocabulary: (name, application, weight, query type, NXDOMAIN).
const VOCABULARY: &[(&str, usize, u32, &str, bool)] = &[
    ("www.google.com", CHROME, 8, "", false),
    ("fonts.gstatic.com", CHROME, 3, "", false),
    ("www.gstatic.com", CHROME, 3, "", false),
    ("ajax.googleapis.com", CHROME, 2, "", false),
    ("clients4.google.com", CHROME, 1, "", false),
    ("update.googleapis.com", CHROME, 1, "", false),
    ("accounts.google.com", CHROME, 1, "", false),
    ("github.com", CHROME, 2, "", false),
    ("stackoverflow.com", CHROME, 2, "", false),
    ("cdn.jsdelivr.net", CHROME, 1, "", false),
    ("www.wikipedia.org", CHROME, 1, "", false),
    ("www.bing.com", EDGE, 3, "", false),
    ("www.linkedin.com", EDGE, 2, "", false),
    ("learn.microsoft.com", EDGE, 2, "", false),
    ("www.office.com", EDGE, 2, "", false),
    ("login.microsoftonline.com", EDGE, 4, "", false),
    ("contoso.sharepoint.com", EDGE, 3, "", false),
    ("intranet.corp.contoso.com", EDGE, 3, "", false),
    ("ocsp.digicert.com", EDGE, 2, "", false),
    ("outlook.office365.com", OUTLOOK, 5, "", false),
    ("outlook.office.com", OUTLOOK, 2, "", false),
    ("autodiscover.corp.contoso.com", OUTLOOK, 1, "", false),
    ("login.microsoftonline.com", OUTLOOK, 2, "", false),
    ("teams.microsoft.com", TEAMS, 4, "", false),
    ("presence.teams.microsoft.com", TEAMS, 2, "", false),
    ("api.spaces.skype.com", TEAMS, 1, "", false),
    ("contoso-my.sharepoint.com", ONEDRIVE, 2, "", false),
    ("g.live.com", ONEDRIVE, 1, "", false),
    ("oneclient.sfx.ms", ONEDRIVE, 1, "", false),
    ("settings-win.data.microsoft.com", SVCHOST, 2, "", false),
    ("ctldl.windowsupdate.com", SVCHOST, 2, "", false),
    ("time.windows.com", SVCHOST, 1, "", false),
    ("dc01.corp.contoso.com", SVCHOST, 2, "", false),
    ("fs01.corp.contoso.com", SVCHOST, 2, "", false),
    ("print01.corp.contoso.com", SVCHOST, 1, "", false),
    (
        "_ldap._tcp.dc._msdcs.corp.contoso.com",
        SVCHOST,
        1,
        "SRV",
        false,
    ),
    ("wpad.corp.contoso.com", SVCHOST, 1, "", true),
];

/// Every name the enterprise vocabulary can produce (for tests and docs).
pub fn vocabulary() -> impl Iterator<Item = &'static str> {
    VOCABULARY.iter().map(|v| v.0)
}

pub struct Background {
    host: Host,
    params: BackgroundParams,
    end: i64,
    apps: Vec<Arc<Proc>>,
    /// App start episode time, until it has run.
    boot: Option<i64>,
    next_vocab: i64,
    next_extra: Option<i64>,
    extra_index: usize,
    vocab_mean_ms: f64,
    extra_interval_ms: f64,
    jitter: f64,
    total_weight: u64,
}

impl Background {
    pub fn new(plan: &Plan, mut host: Host, params: BackgroundParams) -> Background {
        let boot = plan.start + host.rng.range(0, 30_000);
        let vocab_mean_ms = 60_000.0 / (params.rate_per_minute * plan.scale);
        let extra_interval_ms = params.names_interval_minutes * 60_000.0 / plan.scale;
        let window = (plan.end - plan.start).max(1) as f64;
        // Apps take at most ~12 s to start; lookups begin after that.
        let ready = boot + 12_000;
        let next_vocab = ready + host.rng.exp_ms(vocab_mean_ms);
        let next_extra = (!params.names.is_empty())
            .then(|| ready + (host.rng.unit() * extra_interval_ms.min(window)) as i64);
        let extra_index = host.rng.below(params.names.len().max(1) as u64) as usize;
        Background {
            end: plan.end,
            apps: Vec::new(),
            boot: Some(boot),
            next_vocab,
            next_extra,
            extra_index,
            vocab_mean_ms,
            extra_interval_ms,
            jitter: plan.scenario.generator.jitter,
            total_weight: VOCABULARY.iter().map(|v| u64::from(v.2)).sum(),
            host,
            params,
        }
    }

    fn start_apps(&mut self, t0: i64, out: &mut Vec<Record>) {
        let h = &mut self.host;
        let local = h.local_appdata();
        let specs = [
            Spec::new(
                r"C:\Program Files\Google\Chrome\Application\chrome.exe",
                r#""C:\Program Files\Google\Chrome\Application\chrome.exe" --restore-last-session"#,
            ),
            Spec::new(
                r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
                r#""C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --profile-directory=Default"#,
            ),
            Spec::new(
                r"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE",
                r#""C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE" /recycle"#,
            ),
            Spec::new(
                &format!(r"{local}\Microsoft\Teams\current\Teams.exe"),
                &format!(
                    r#""{local}\Microsoft\Teams\current\Teams.exe" --process-start-type=auto"#
                ),
            ),
            Spec::new(
                &format!(r"{local}\Microsoft\OneDrive\OneDrive.exe"),
                &format!(r#""{local}\Microsoft\OneDrive\OneDrive.exe" /background"#),
            ),
            Spec::new(
                r"C:\Windows\System32\svchost.exe",
                r"C:\Windows\system32\svchost.exe -k NetworkService -p -s Dnscache",
            )
            .system(),
        ];
        let mut t = t0;
        for (k, spec) in specs.into_iter().enumerate() {
            // Services start under services.exe, the user's programs under explorer.exe.
            let parent = if k == SVCHOST {
                Arc::clone(&h.boot.services)
            } else {
                Arc::clone(&h.boot.explorer)
            };
            let p = h.spawn(t, &parent, spec, "app-start", out);
            self.apps.push(p);
            t += h.rng.range(100, 1_900);
        }
        // A COM-handler task (the OTRF recording's): the Schedule service starts
        // it in taskhostw.exe. Windows 7's task host is another program.
        if h.id.windows != Windows::Win7 {
            let schedule = Arc::clone(&h.boot.schedule);
            h.spawn(
                t,
                &schedule,
                Spec::new(TASKHOSTW, "taskhostw.exe Install $(Arg0)").system(),
                "app-start",
                out,
            );
        }
    }

    fn vocab_lookup(&mut self, t: i64, out: &mut Vec<Record>) {
        let h = &mut self.host;
        let mut r = h.rng.below(self.total_weight.max(1));
        let mut pick = &VOCABULARY[0];
        for v in VOCABULARY {
            if r < u64::from(v.2) {
                pick = v;
                break;
            }
            r -= u64::from(v.2);
        }
        let (name, app, _, qt, nx) = *pick;
        let qtype = if !qt.is_empty() {
            qt
        } else if !name.ends_with(crate::shapes::DNS_SUFFIX) && h.rng.chance(0.25) {
            "AAAA"
        } else {
            "A"
        };
        let ans = answer(name, qtype, nx);
        let p = self.apps.get(app).cloned();
        h.lookup(t, p.as_deref(), name, qtype, &ans, true, "lookup", out);
    }

    fn extra_lookup(&mut self, t: i64, out: &mut Vec<Record>) {
        let n = self.params.names.len();
        if n == 0 {
            return;
        }
        let name = self.params.names[self.extra_index % n].clone();
        self.extra_index = (self.extra_index + 1) % n;
        let h = &mut self.host;
        let app = if h.rng.chance(0.5) { CHROME } else { EDGE };
        // Look-alikes that nobody registered answer NXDOMAIN; which ones is fixed
        // by the name.
        let nx = fnv1a(name.to_ascii_lowercase().as_bytes()).is_multiple_of(3);
        let ans = answer(&name, "A", nx);
        let p = self.apps.get(app).cloned();
        h.lookup(t, p.as_deref(), &name, "A", &ans, true, "extra-name", out);
    }
}

impl Activity for Background {
    fn next_start(&self) -> Option<i64> {
        let t = match self.boot {
            Some(b) => b,
            None => self
                .next_extra
                .map_or(self.next_vocab, |e| e.min(self.next_vocab)),
        };
        (t < self.end).then_some(t)
    }

    fn emit(&mut self, out: &mut Vec<Record>) {
        if let Some(b) = self.boot.take() {
            self.start_apps(b, out);
            return;
        }
        match self.next_extra {
            Some(e) if e < self.next_vocab => {
                self.extra_lookup(e, out);
                self.next_extra =
                    Some(e + self.host.rng.jitter_ms(self.extra_interval_ms, self.jitter));
            }
            _ => {
                let t = self.next_vocab;
                self.vocab_lookup(t, out);
                self.next_vocab = t + self.host.rng.exp_ms(self.vocab_mean_ms);
            }
        }
    }
}
