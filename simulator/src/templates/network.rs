//! `background-network`: users browse HTTPS sites (on a CDN address the
//! scenario may give) and download files with the browser, software updaters
//! started by the Task Scheduler check their vendors' update hosts, and
//! internet scanners probe the perimeter, denied at the firewall. Each visit or
//! check is the program's lookup, its connection (Defender fills `RemoteUrl`
//! with the host's name), the firewall's row and the proxy's. A browser set to
//! a DNS-over-HTTPS resolver asks it over HTTPS instead (step `doh-lookup`:
//! its connection and the proxy's row), so no DNS log has its lookups.

use std::sync::Arc;

use super::plan::Plan;
use crate::record::Record;
use crate::scenario::{doh_name, NetworkParams};
use crate::shapes::{answer, url_host, Answer, Host, Proc, Spec};
use crate::stream::Activity;

const EDGE: &str = r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe";
/// The ports internet scanners probe.
const SCANNED: [u16; 8] = [22, 23, 445, 1433, 3389, 5900, 8080, 8443];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Start,
    Visit,
    Download,
    Scan,
    Update,
}

pub struct Network {
    host: Host,
    p: NetworkParams,
    end: i64,
    browser: Option<Arc<Proc>>,
    /// Each update agent's process, once the Task Scheduler has started it.
    agents: Vec<Option<Arc<Proc>>>,
    /// The next time of each stream (`i64::MAX`: none).
    next: [(i64, Next); 5],
    visit_ms: f64,
    download_ms: f64,
    scan_ms: f64,
    update_ms: f64,
}

impl Network {
    pub fn new(plan: &Plan, mut host: Host, p: NetworkParams, index: u32) -> Network {
        let start = plan.start + host.rng.range(0, 30_000);
        let visit_ms = 3_600_000.0 / (p.visits_per_hour * plan.scale);
        let download_ms = 3_600_000.0 / (p.downloads_per_hour * plan.scale);
        let scan_ms = 3_600_000.0 / (p.scans_per_hour * plan.scale);
        let update_ms = 3_600_000.0 / (p.updates_per_hour * plan.scale);
        let ready = start + 10_000;
        let first = |on: bool, mean: f64, rng: &mut crate::rng::Rng| {
            if on {
                ready + rng.exp_ms(mean)
            } else {
                i64::MAX
            }
        };
        let visit = first(!p.sites.is_empty(), visit_ms, &mut host.rng);
        let download = first(!p.downloads.is_empty(), download_ms, &mut host.rng);
        // The perimeter's public address is one: host 01 stands for it.
        let scan = first(index == 0 && !p.scanners.is_empty(), scan_ms, &mut host.rng);
        // Drawn last, so a scenario without agents keeps every other draw.
        let update = if p.update_agents.is_empty() {
            i64::MAX
        } else {
            first(true, update_ms, &mut host.rng)
        };
        Network {
            end: plan.end,
            browser: None,
            agents: vec![None; p.update_agents.len()],
            next: [
                (start, Next::Start),
                (visit, Next::Visit),
                (download, Next::Download),
                (scan, Next::Scan),
                (update, Next::Update),
            ],
            visit_ms,
            download_ms,
            scan_ms,
            update_ms,
            host,
            p,
        }
    }

    /// The address the scenario gives a name (a site's CDN address, an
    /// update host's), if any.
    fn given(&self, name: &str) -> Option<&str> {
        let site = || self.p.sites.iter().any(|s| s.eq_ignore_ascii_case(name));
        match &self.p.site_address {
            Some(ip) if site() => Some(ip),
            _ => self
                .p
                .update_agents
                .iter()
                .find(|a| url_host(&a.url).eq_ignore_ascii_case(name))
                .and_then(|a| a.address.as_deref()),
        }
    }

    /// The browser looks up the URL's host and fetches the URL; with a
    /// DNS-over-HTTPS resolver, it asks it over HTTPS instead of the Windows
    /// DNS client, which no DNS log sees.
    fn fetch(&mut self, t: i64, url: &str, step: &str, out: &mut Vec<Record>) {
        let Some(browser) = self.browser.clone() else {
            return;
        };
        let doh = self
            .p
            .doh_resolver
            .as_deref()
            .and_then(|ip| Some((ip, doh_name(ip)?)));
        let Some((resolver, name)) = doh.filter(|_| literal_address(url_host(url)).is_none())
        else {
            self.fetch_by(t, &browser, url, step, out);
            return;
        };
        let resolver = resolver.to_owned();
        let query = format!("https://{name}/dns-query");
        self.host
            .fetch(t, &browser, &query, &resolver, "doh-lookup", out);
        let ans = given_answer(url_host(url), self.given(url_host(url)));
        let ip = ans.ips.first().cloned().unwrap_or_default();
        self.host.fetch(t + 20, &browser, url, &ip, step, out);
    }

    /// `p` looks up the URL's host and fetches the URL; a URL whose host is
    /// an address needs no lookup.
    fn fetch_by(&mut self, t: i64, p: &Arc<Proc>, url: &str, step: &str, out: &mut Vec<Record>) {
        let given = self.given(url_host(url)).map(str::to_owned);
        fetch_url(&mut self.host, t, p, url, given.as_deref(), step, out);
    }

    fn visit(&mut self, t: i64, out: &mut Vec<Record>) {
        let site = self
            .host
            .rng
            .pick(&self.p.sites)
            .cloned()
            .unwrap_or_default();
        self.fetch(t, &format!("https://{site}/"), "browse", out);
    }

    fn download(&mut self, t: i64, out: &mut Vec<Record>) {
        let url = self
            .host
            .rng
            .pick(&self.p.downloads)
            .cloned()
            .unwrap_or_default();
        self.fetch(t, &url, "download", out);
        let name = url.rsplit('/').next().filter(|n| !n.is_empty());
        if let (Some(name), Some(browser)) = (name, self.browser.clone()) {
            let path = format!(r"{}\Downloads\{name}", self.host.profile());
            self.host.file(t + 900, &browser, &path, "download", out);
        }
    }

    fn scan(&mut self, t: i64, out: &mut Vec<Record>) {
        let scanner = self
            .host
            .rng
            .pick(&self.p.scanners)
            .cloned()
            .unwrap_or_default();
        let first = self.host.rng.below(SCANNED.len() as u64) as usize;
        // A short sweep: a few ports, a few milliseconds apart.
        for k in 0..3 {
            let port = SCANNED[(first + k) % SCANNED.len()];
            self.host
                .probe(t + 7 * k as i64, &scanner, port, "inbound-scan", out);
        }
    }

    /// One agent, picked at random, checks for updates: the Task Scheduler
    /// starts it at its first check, and it stays running.
    fn update(&mut self, t: i64, out: &mut Vec<Record>) {
        let k = self.host.rng.below(self.agents.len() as u64) as usize;
        let agent = match &self.agents[k] {
            Some(a) => Arc::clone(a),
            None => {
                let image = self.host.expand(&self.p.update_agents[k].image);
                let schedule = Arc::clone(&self.host.boot.schedule);
                let spec = Spec::new(
                    &image,
                    &format!(r#""{image}" /ua /installsource scheduler"#),
                );
                // A machine-wide updater's task runs as SYSTEM; a per-user
                // one's (under the user's profile) as the user.
                let per_user = image.starts_with(&self.host.profile());
                let spec = if per_user { spec } else { spec.system() };
                let a = self.host.spawn(t, &schedule, spec, "update-agent", out);
                self.agents[k] = Some(Arc::clone(&a));
                a
            }
        };
        let url = self.p.update_agents[k].url.clone();
        self.fetch_by(t + 50, &agent, &url, "update-check", out);
    }
}

impl Activity for Network {
    fn next_start(&self) -> Option<i64> {
        let t = self.next.iter().map(|n| n.0).min()?;
        (t < self.end).then_some(t)
    }

    fn emit(&mut self, out: &mut Vec<Record>) {
        let Some(k) = (0..self.next.len()).min_by_key(|&k| self.next[k].0) else {
            return;
        };
        let (t, what) = self.next[k];
        match what {
            Next::Start => {
                let explorer = Arc::clone(&self.host.boot.explorer);
                let browser = self.host.spawn(
                    t,
                    &explorer,
                    Spec::new(EDGE, &format!(r#""{EDGE}" --profile-directory=Default"#)),
                    "browser",
                    out,
                );
                self.browser = Some(browser);
                self.next[k].0 = i64::MAX;
            }
            Next::Visit => {
                self.visit(t, out);
                self.next[k].0 = t + 1 + self.host.rng.exp_ms(self.visit_ms);
            }
            Next::Download => {
                self.download(t, out);
                self.next[k].0 = t + 1 + self.host.rng.exp_ms(self.download_ms);
            }
            Next::Scan => {
                self.scan(t, out);
                self.next[k].0 = t + 1 + self.host.rng.exp_ms(self.scan_ms);
            }
            Next::Update => {
                self.update(t, out);
                self.next[k].0 = t + 1 + self.host.rng.exp_ms(self.update_ms);
            }
        }
    }
}

/// A name's answer: `given`, else the name's own.
pub(super) fn given_answer(name: &str, given: Option<&str>) -> Answer {
    match given {
        Some(ip) => Answer {
            cname: None,
            ips: vec![ip.to_owned()],
            nxdomain: false,
        },
        None => answer(name, "A", false),
    }
}

/// `p` looks up the URL's host (answered `given`, else its own answer) and
/// fetches the URL; a URL whose host is an address needs no lookup.
pub(super) fn fetch_url(
    h: &mut Host,
    t: i64,
    p: &Arc<Proc>,
    url: &str,
    given: Option<&str>,
    step: &str,
    out: &mut Vec<Record>,
) {
    let host = url_host(url).to_owned();
    if let Some(ip) = literal_address(&host) {
        h.fetch(t, p, url, &ip, step, out);
        return;
    }
    let ans = given_answer(&host, given);
    h.lookup(t, Some(p), &host, "A", &ans, true, step, out);
    let ip = ans.ips.first().cloned().unwrap_or_default();
    h.fetch(t + 20, p, url, &ip, step, out);
}

/// The address a URL's host is, when it is one (`[2001:db8::1]` too).
fn literal_address(host: &str) -> Option<String> {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .ok()
        .map(|a| a.to_string())
}
