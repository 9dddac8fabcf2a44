//! The network keys of a scenario file, checked: the sensors beyond the
//! endpoint (`sysmon_events` and its event 3 rules, `firewall`, `proxy`), the
//! `background-network` template, and the implant's addresses, resolver,
//! download and pinned digests.

use super::check::Check;
use super::sensors::{Firewall, Proxy, Sensors};
use super::spec::{GeneratorSpec, InfectionSpec, NetworkSpec};
use super::types::{Endpoint, NetworkParams, Template, UpdateAgent, Windows};

/// The public DNS-over-HTTPS resolvers a browser may be set to, by address,
/// with the name its requests carry (`https://<name>/dns-query`).
pub const DOH_RESOLVERS: [(&str, &str); 6] = [
    ("1.1.1.1", "cloudflare-dns.com"),
    ("1.0.0.1", "cloudflare-dns.com"),
    ("8.8.8.8", "dns.google"),
    ("8.8.4.4", "dns.google"),
    ("9.9.9.9", "dns.quad9.net"),
    ("149.112.112.112", "dns.quad9.net"),
];

/// The name of the DNS-over-HTTPS resolver at `address`, if it is one.
pub fn doh_name(address: &str) -> Option<&'static str> {
    DOH_RESOLVERS
        .iter()
        .find(|(a, _)| *a == address)
        .map(|(_, n)| *n)
}

/// The Sysmon events the simulator writes.
const SYSMON_EVENTS: [u32; 4] = [1, 3, 11, 22];

/// The generator's sensor keys, with defaults.
pub(super) fn sensors(c: &mut Check<'_>, g: &GeneratorSpec) -> Sensors {
    let mut s = Sensors {
        defender_network: g.defender_network.unwrap_or(false),
        ..Sensors::default()
    };
    if let Some(events) = &g.sysmon_events {
        s.sysmon_events = Vec::new();
        for &e in events {
            match u32::try_from(e).ok().filter(|e| SYSMON_EVENTS.contains(e)) {
                Some(e) => s.sysmon_events.push(e),
                None => c.bad(
                    "generator.sysmon_events",
                    format!("`{e}` is not an event the simulator writes (1, 3, 11, 22)"),
                ),
            }
        }
    }
    if let Some(images) = &g.sysmon_net_images {
        if images.iter().any(|i| i.trim().is_empty()) {
            c.bad("generator.sysmon_net_images", "must not hold an empty rule");
        }
        s.sysmon_net_images.clone_from(images);
    }
    if let Some(ports) = &g.sysmon_net_ports {
        s.sysmon_net_ports = ports
            .iter()
            .filter_map(|&p| port(c, "generator.sysmon_net_ports", p))
            .collect();
    }
    let sysmon_net = g.sysmon_net_images.is_some() || g.sysmon_net_ports.is_some();
    if sysmon_net && !s.sysmon_logs(3) {
        c.bad(
            "generator.sysmon_net_images",
            "event 3 rules need 3 in `sysmon_events`",
        );
    }
    s.endpoint_dns = g.endpoint_dns.unwrap_or(true);
    // Checked against the hosts and the template by `dns_views`.
    s.endpoint_dns_off_hosts = g
        .endpoint_dns_off_hosts
        .iter()
        .flatten()
        .map(|&h| u32::try_from(h).unwrap_or(0))
        .collect();
    s.endpoint_dns_off_steps = g.endpoint_dns_off_steps.clone().unwrap_or_default();
    s.firewall = g.firewall.unwrap_or(Firewall::None);
    s.proxy = g.proxy.unwrap_or(Proxy::None);
    if let Some(v) = g.tls_inspection {
        s.tls_inspection = c.share("generator.tls_inspection", v);
        if s.proxy == Proxy::None {
            c.bad("generator.tls_inspection", "needs a `proxy`");
        }
    }
    s
}

/// Whether host `i` (0-based) runs Sysmon under `endpoint` (`mixed`: the
/// odd-numbered hosts 01, 03, ...).
pub(super) fn runs_sysmon(endpoint: Endpoint, i: u32) -> bool {
    match endpoint {
        Endpoint::Sysmon => true,
        Endpoint::Mixed => i.is_multiple_of(2),
        Endpoint::Defender | Endpoint::None => false,
    }
}

/// A scenario's hosts as its sensors see them: what [`dns_views`] reads.
pub(super) struct Fleet<'a> {
    pub(super) hosts: u32,
    pub(super) endpoint: Endpoint,
    pub(super) windows: &'a [Windows],
    pub(super) server_dns: bool,
}

/// Refuse DNS rows no sensor can write, and a custom DNS server that does not
/// say how the lookups leave the host.
///
/// - `sysmon_events` naming 22 when every Sysmon host runs Windows 7 (Sysmon
///   documents event 22 from Windows 8.1 / Server 2012 R2 on);
/// - `endpoint_dns = true` when no host has an endpoint sensor that sees DNS
///   (or every host that has one is in `endpoint_dns_off_hosts`);
/// - the per-host and per-step switches ([`dns_switches`]);
/// - an implant with `server_dns = false` that says neither `endpoint_dns` (the
///   Windows DNS client asks another server: the endpoint sees the lookup) nor
///   `c2_resolver` (the implant sends its own queries: no DNS log sees them).
pub(super) fn dns_views(
    c: &mut Check<'_>,
    g: &GeneratorSpec,
    fleet: &Fleet<'_>,
    template: Option<&Template>,
) {
    let release = |i: u32| {
        fleet
            .windows
            .get(i as usize % fleet.windows.len().max(1))
            .copied()
            .unwrap_or(Windows::Win10)
    };
    let sysmon: Vec<u32> = (0..fleet.hosts)
        .filter(|&i| runs_sysmon(fleet.endpoint, i))
        .collect();
    let sysmon_22 = sysmon.iter().any(|&i| release(i).has_dns_query_event());
    let asks_22 = g.sysmon_events.as_ref().is_some_and(|e| e.contains(&22));
    if asks_22 && !sysmon.is_empty() && !sysmon_22 {
        c.bad(
            "generator.sysmon_events",
            "event 22 (DNS query) exists from Windows 8.1 / Server 2012 R2 on; every Sysmon host here runs Windows 7, so none can write it",
        );
    }
    let sysmon_logs_22 = g.sysmon_events.as_ref().is_none_or(|e| e.contains(&22));
    // Whether host `i` (0-based) has an endpoint DNS view to turn on or off.
    let has_view = |i: u32| match fleet.endpoint {
        Endpoint::None => false,
        _ if runs_sysmon(fleet.endpoint, i) => sysmon_logs_22 && release(i).has_dns_query_event(),
        _ => true,
    };
    let off = g.endpoint_dns_off_hosts.as_deref().unwrap_or_default();
    let viewed = (0..fleet.hosts).any(|i| has_view(i) && !off.contains(&(i64::from(i) + 1)));
    if g.endpoint_dns == Some(true) && !viewed {
        c.bad(
            "generator.endpoint_dns",
            "no host here has an endpoint sensor that logs DNS (Defender, or Sysmon with event 22 on Windows 8.1 or later) and is not in `endpoint_dns_off_hosts`",
        );
    }
    dns_switches(c, g, fleet, &has_view, viewed, template);
    if let Some(Template::NanocoreInfection(p) | Template::Implant(p)) = template {
        if !fleet.server_dns && p.c2_resolver.is_none() && g.endpoint_dns.is_none() {
            c.bad(
                "generator.server_dns",
                "say how the implant reaches its own DNS server: `endpoint_dns = true` (through the Windows DNS client, which the endpoint logs) or `c2_resolver` (its own queries, which no DNS log sees)",
            );
        }
    }
}

/// Refuse per-host and per-step switches that name what is not there:
///
/// - `endpoint_dns_off_hosts`: a host number outside 1 to `hosts`, twice the
///   same, or a host without an endpoint DNS view (no sensor, Windows 7 Sysmon,
///   no event 22 in `sysmon_events`);
/// - `endpoint_dns_off_steps`: a step the template does not look names up in
///   through the Windows DNS client (`Template::lookup_steps`), twice the same,
///   or any step when no host is left with a view to bypass;
/// - either with `endpoint_dns = false`, which already turns every view off.
fn dns_switches(
    c: &mut Check<'_>,
    g: &GeneratorSpec,
    fleet: &Fleet<'_>,
    has_view: &dyn Fn(u32) -> bool,
    viewed: bool,
    template: Option<&Template>,
) {
    const HOSTS: &str = "generator.endpoint_dns_off_hosts";
    const STEPS: &str = "generator.endpoint_dns_off_steps";
    let hosts = g.endpoint_dns_off_hosts.as_deref().unwrap_or_default();
    let steps = g.endpoint_dns_off_steps.as_deref().unwrap_or_default();
    for (k, &h) in hosts.iter().enumerate() {
        let field = format!("{HOSTS}[{k}]");
        if !(1..=i64::from(fleet.hosts)).contains(&h) {
            c.bad(
                &field,
                format!(
                    "host {h} does not exist: the hosts are 1 to {} (`<host_prefix>-01` to `-{:02}`)",
                    fleet.hosts, fleet.hosts
                ),
            );
        } else if hosts[..k].contains(&h) {
            c.bad(&field, format!("host {h} is named twice"));
        } else if !has_view((h - 1) as u32) {
            c.bad(
                &field,
                format!("host {h:02} has no endpoint DNS view to turn off (no endpoint sensor, Windows 7 Sysmon, or no 22 in `sysmon_events`)"),
            );
        }
    }
    for (k, step) in steps.iter().enumerate() {
        let field = format!("{STEPS}[{k}]");
        let known = template.map(Template::lookup_steps);
        if known.as_ref().is_some_and(|s| !s.contains(&step.as_str())) {
            let t = template.map_or("", Template::name);
            let list = known.unwrap_or_default().join("`, `");
            c.bad(
                &field,
                if list.is_empty() {
                    format!("`{step}`: template `{t}` has no step that asks the Windows DNS client")
                } else {
                    format!("`{step}` is not a step of template `{t}` whose lookups an endpoint DNS view sees (`{list}`)")
                },
            );
        } else if steps[..k].contains(step) {
            c.bad(&field, format!("step `{step}` is named twice"));
        }
    }
    if !steps.is_empty() && !viewed && g.endpoint_dns != Some(false) {
        c.bad(
            STEPS,
            "no host here has an endpoint DNS view left for the step's lookups to bypass",
        );
    }
    if g.endpoint_dns == Some(false) {
        for (key, set) in [(HOSTS, !hosts.is_empty()), (STEPS, !steps.is_empty())] {
            if set {
                c.bad(
                    key,
                    "`endpoint_dns = false` already turns every host's endpoint DNS view off",
                );
            }
        }
    }
}

fn port(c: &mut Check<'_>, field: &str, p: i64) -> Option<u16> {
    match u16::try_from(p).ok().filter(|p| *p > 0) {
        Some(p) => Some(p),
        None => {
            c.bad(field, format!("`{p}` is not a port (1 to 65535)"));
            None
        }
    }
}

/// An IPv4 or IPv6 address.
pub(super) fn address(c: &mut Check<'_>, field: &str, a: &str) {
    if a.parse::<std::net::IpAddr>().is_err() {
        c.bad(field, format!("`{a}` is not an IP address"));
    }
}

/// `ip:port` (IPv6 as `[addr]:port`).
pub(super) fn ip_port(c: &mut Check<'_>, field: &str, v: &str) -> Option<(String, u16)> {
    match v.parse::<std::net::SocketAddr>() {
        Ok(a) if a.port() > 0 => Some((a.ip().to_string(), a.port())),
        _ => {
            c.bad(field, format!("`{v}` is not `ip:port`"));
            None
        }
    }
}

/// An `http://` or `https://` URL with a host.
pub(super) fn url(c: &mut Check<'_>, field: &str, v: &str) {
    let rest = v
        .strip_prefix("http://")
        .or_else(|| v.strip_prefix("https://"));
    let host = rest.map(|r| r.split(['/', ':', '?']).next().unwrap_or(""));
    if host.is_none_or(|h| h.is_empty() || h.contains(char::is_whitespace)) {
        c.bad(field, format!("`{v}` is not an http:// or https:// URL"));
    }
}

/// A hex digest of `n` digits, lower-cased.
fn digest(c: &mut Check<'_>, field: &str, v: Option<&str>, n: usize) -> Option<String> {
    let v = v?;
    if v.len() != n || !v.bytes().all(|b| b.is_ascii_hexdigit()) {
        c.bad(field, format!("must be {n} hex digits"));
    }
    Some(v.to_ascii_lowercase())
}

/// What the infection's network keys say.
pub(super) struct ImplantNet {
    pub(super) c2_addresses: Vec<(String, u16)>,
    pub(super) c2_resolver: Option<String>,
    pub(super) download_url: Option<String>,
    pub(super) implant_hashes: Option<(String, String, String)>,
}

/// The infection's network keys and pinned digests, checked.
pub(super) fn implant(c: &mut Check<'_>, p: &InfectionSpec) -> ImplantNet {
    let c2_addresses = p
        .c2_addresses
        .iter()
        .flatten()
        .filter_map(|a| ip_port(c, "generator.c2_addresses", a))
        .collect();
    if let Some(r) = &p.c2_resolver {
        address(c, "generator.c2_resolver", r);
    }
    if let Some(u) = &p.download_url {
        url(c, "generator.download_url", u);
    }
    let sha256 = digest(
        c,
        "generator.implant_sha256",
        p.implant_sha256.as_deref(),
        64,
    );
    let sha1 = digest(c, "generator.implant_sha1", p.implant_sha1.as_deref(), 40);
    let md5 = digest(c, "generator.implant_md5", p.implant_md5.as_deref(), 32);
    let implant_hashes = match (sha256, sha1, md5) {
        (Some(a), Some(b), Some(m)) => Some((a, b, m)),
        (None, None, None) => None,
        _ => {
            c.bad(
                "generator.implant_sha256",
                "`implant_sha256`, `implant_sha1` and `implant_md5` go together",
            );
            None
        }
    };
    ImplantNet {
        c2_addresses,
        c2_resolver: p.c2_resolver.clone(),
        download_url: p.download_url.clone(),
        implant_hashes,
    }
}

/// `background-network`'s parameters, with defaults, checked.
pub(super) fn background(c: &mut Check<'_>, p: NetworkSpec) -> NetworkParams {
    let sites = p.sites.unwrap_or_default();
    c.dns_names("generator.sites", &sites);
    if let Some(a) = &p.site_address {
        address(c, "generator.site_address", a);
    }
    let downloads = p.downloads.unwrap_or_default();
    for d in &downloads {
        url(c, "generator.downloads", d);
    }
    let scanners = p.scanners.unwrap_or_default();
    for s in &scanners {
        address(c, "generator.scanners", s);
    }
    let update_agents: Vec<UpdateAgent> = p
        .update_agents
        .unwrap_or_default()
        .into_iter()
        .map(|a| {
            if a.image.trim().is_empty() || !a.image.to_ascii_lowercase().ends_with(".exe") {
                c.bad(
                    "generator.update_agents.image",
                    format!("`{}` is not an executable's path", a.image),
                );
            }
            url(c, "generator.update_agents.url", &a.url);
            if let Some(ip) = &a.address {
                address(c, "generator.update_agents.address", ip);
            }
            UpdateAgent {
                image: a.image,
                url: a.url,
                address: a.address,
            }
        })
        .collect();
    if let Some(r) = &p.doh_resolver {
        if doh_name(r).is_none() {
            let known: Vec<&str> = DOH_RESOLVERS.iter().map(|(a, _)| *a).collect();
            c.bad(
                "generator.doh_resolver",
                format!(
                    "`{r}` is not a public DNS-over-HTTPS resolver the simulator knows ({})",
                    known.join(", ")
                ),
            );
        }
        if sites.is_empty() && downloads.is_empty() {
            c.bad(
                "generator.doh_resolver",
                "only the browser asks it: needs `sites` or `downloads`",
            );
        }
    }
    if sites.is_empty() && downloads.is_empty() && scanners.is_empty() && update_agents.is_empty() {
        c.bad(
            "generator.template",
            "`background-network` needs `sites`, `downloads`, `scanners` or `update_agents`",
        );
    }
    NetworkParams {
        sites,
        site_address: p.site_address,
        visits_per_hour: c.positive(
            "generator.visits_per_hour",
            p.visits_per_hour.unwrap_or(6.0),
        ),
        downloads,
        downloads_per_hour: c.positive(
            "generator.downloads_per_hour",
            p.downloads_per_hour.unwrap_or(1.0),
        ),
        scanners,
        scans_per_hour: c.positive("generator.scans_per_hour", p.scans_per_hour.unwrap_or(4.0)),
        update_agents,
        updates_per_hour: c.positive(
            "generator.updates_per_hour",
            p.updates_per_hour.unwrap_or(2.0),
        ),
        doh_resolver: p.doh_resolver,
    }
}
