//! The infection templates' parameters, read: `nanocore-infection` with
//! NanoCore's own values where the scenario gives none, `implant` with no
//! family's values (its C2 must be given).

use super::check::Check;
use super::network;
use super::spec::{InfectionSpec, PersistenceSpec};
use super::types::{Delivery, Drop, Hollow, InfectionParams, Launch, Persistence};

/// Variables an implant path may use.
pub const PATH_VARIABLES: [&str; 7] = [
    "%APPDATA%",
    "%LOCALAPPDATA%",
    "%TEMP%",
    "%USERPROFILE%",
    "%USERNAME%",
    "%PROGRAMDATA%",
    "%GUID%",
];

/// Check an implant path: a program, absolute or under a known variable.
fn implant_path(c: &mut Check<'_>, path: &str) {
    const FIELD: &str = "generator.implant_path";
    if path.trim().is_empty() {
        c.bad(FIELD, "must not be empty");
        return;
    }
    let lower = path.to_ascii_lowercase();
    if !(lower.ends_with(".exe") || lower.ends_with(".dll")) {
        c.bad(FIELD, "must end in .exe or .dll");
    }
    let mut rest = path;
    while let Some(i) = rest.find('%') {
        let after = &rest[i..];
        let Some(var) = PATH_VARIABLES.iter().find(|v| after.starts_with(**v)) else {
            c.bad(
                FIELD,
                format!(
                    "unknown variable in `{path}`; known: {}",
                    PATH_VARIABLES.join(", ")
                ),
            );
            break;
        };
        rest = &after[var.len()..];
    }
    let absolute = path.starts_with('%')
        || (path.len() > 3 && path.as_bytes()[1] == b':' && path.as_bytes()[2] == b'\\');
    if !absolute {
        c.bad(
            FIELD,
            "must be an absolute Windows path or start with a variable",
        );
    }
}

/// Check a program's image: an absolute path to an `.exe`.
fn exe_path(c: &mut Check<'_>, field: &str, image: &str) {
    let absolute = image.as_bytes().get(1..3) == Some(b":\\");
    if !(absolute && image.to_ascii_lowercase().ends_with(".exe")) {
        c.bad(
            field,
            format!("`{image}` must be an absolute path to an .exe"),
        );
    }
}

/// The `hollow_image` and `parent_chain` keys, checked: the chain.
fn chain(c: &mut Check<'_>, p: &InfectionSpec) -> Vec<String> {
    if let Some(image) = &p.hollow_image {
        exe_path(c, "generator.hollow_image", image);
        if p.hollow.is_some() {
            c.bad(
                "generator.hollow_image",
                "give `hollow` or `hollow_image`, not both (`hollow_image` names the target itself)",
            );
        }
    }
    let parent_chain = p.parent_chain.clone().unwrap_or_default();
    if p.delivery == Some(Delivery::Loader) && parent_chain.is_empty() {
        c.bad(
            "generator.parent_chain",
            "`delivery = \"loader\"` needs the loader: the chain's last process starts the implant",
        );
    }
    for (i, image) in parent_chain.iter().enumerate() {
        exe_path(c, &format!("generator.parent_chain[{i}]"), image);
        if image.to_ascii_lowercase().ends_with(r"\explorer.exe") {
            c.bad(
                &format!("generator.parent_chain[{i}]"),
                "the user's explorer.exe is where the chain starts: leave it out",
            );
        }
    }
    parent_chain
}

/// What an infection template takes when the scenario does not say: NanoCore's
/// own values, or a generic implant's (no C2 of its own: the scenario names it).
pub(super) struct Family {
    implant_path: &'static str,
    task_name: &'static str,
    c2_hosts: &'static [&'static str],
    hollow: Hollow,
    payload_files: &'static [&'static str],
}

/// `nanocore-infection`: the NICT lab client's values.
pub(super) const NANOCORE: Family = Family {
    implant_path: r"%APPDATA%\%GUID%\DHCP Monitor\dhcpmon.exe",
    task_name: "DHCP Monitor",
    c2_hosts: &["estaliax.io", "duraktantuni.site"],
    hollow: Hollow::RegAsm,
    payload_files: &["run.dat"],
};

/// `implant`: no family's names.
pub(super) const GENERIC: Family = Family {
    implant_path: r"%APPDATA%\%GUID%\updater.exe",
    task_name: "Updater",
    c2_hosts: &[],
    hollow: Hollow::None,
    payload_files: &[],
};

pub(super) fn params(c: &mut Check<'_>, p: InfectionSpec, family: &Family) -> InfectionParams {
    let net = network::implant(c, &p);
    let parent_chain = chain(c, &p);
    let implant_path_value = p
        .implant_path
        .unwrap_or_else(|| family.implant_path.to_owned());
    implant_path(c, &implant_path_value);
    let task_name = p.task_name.unwrap_or_else(|| family.task_name.to_owned());
    c.text("generator.task_name", &task_name);
    let c2_hosts = p.c2_hosts.clone().unwrap_or_else(|| {
        if net.c2_addresses.is_empty() {
            family.c2_hosts.iter().map(|h| (*h).to_owned()).collect()
        } else {
            Vec::new()
        }
    });
    let payload_files = p.payload_files.clone().unwrap_or_else(|| {
        family
            .payload_files
            .iter()
            .map(|f| (*f).to_owned())
            .collect()
    });
    for (i, f) in payload_files.iter().enumerate() {
        if f.trim().is_empty() || f.contains(['\\', '/']) {
            c.bad(
                &format!("generator.payload_files[{i}]"),
                format!("`{f}` must be a file name (no folder)"),
            );
        }
    }
    if c2_hosts.is_empty() && net.c2_addresses.is_empty() {
        c.bad(
            "generator.c2_hosts",
            "must name at least one host (or give `c2_addresses`)",
        );
    }
    if net.c2_resolver.is_some() && c2_hosts.is_empty() {
        c.bad("generator.c2_resolver", "needs `c2_hosts` to resolve");
    }
    c.dns_names("generator.c2_hosts", &c2_hosts);
    let launch = p.launch.unwrap_or(Launch::Direct);
    let persistence = match p.persistence {
        None | Some(PersistenceSpec::On(true)) => Persistence::ScheduledTask,
        Some(PersistenceSpec::On(false)) => Persistence::None,
        Some(PersistenceSpec::Kind(k)) => k,
    };
    if launch == Launch::SchtasksRun && persistence != Persistence::ScheduledTask {
        c.bad(
            "generator.persistence",
            "`launch = \"schtasks-run\"` installs a task, so it must be `scheduled-task`",
        );
    }
    let reboot_every_hours = p
        .reboot_every_hours
        .map(|v| c.positive("generator.reboot_every_hours", v));
    if reboot_every_hours.is_some() && persistence == Persistence::None {
        c.bad(
            "generator.reboot_every_hours",
            "needs `persistence` (nothing restarts the implant)",
        );
    }
    InfectionParams {
        delivery: p.delivery.unwrap_or(Delivery::Vbs),
        implant_path: implant_path_value,
        implant_args: p.implant_args.unwrap_or_default(),
        company: p.company.unwrap_or_default(),
        drop: p.drop.unwrap_or(Drop::Write),
        launch,
        persistence,
        task_name,
        hollow: p.hollow.unwrap_or(family.hollow),
        hollow_image: p.hollow_image,
        parent_chain,
        c2_hosts,
        c2_addresses: net.c2_addresses,
        c2_resolver: net.c2_resolver,
        download_url: net.download_url,
        implant_hashes: net.implant_hashes,
        c2_up: c.share("generator.c2_up", p.c2_up.unwrap_or(0.6)),
        session_minutes: c.positive(
            "generator.session_minutes",
            p.session_minutes.unwrap_or(15.0),
        ),
        keepalive_seconds: c.positive(
            "generator.keepalive_seconds",
            p.keepalive_seconds.unwrap_or(30.0),
        ),
        restart_delay_seconds: c.non_negative(
            "generator.restart_delay_seconds",
            p.restart_delay_seconds.unwrap_or(5.0),
        ),
        connect_delay_seconds: c.non_negative(
            "generator.connect_delay_seconds",
            p.connect_delay_seconds.unwrap_or(4.0),
        ),
        ttl_seconds: c.non_negative("generator.ttl_seconds", p.ttl_seconds.unwrap_or(300.0)),
        nxdomain_share: c.share("generator.nxdomain_share", p.nxdomain_share.unwrap_or(0.0)),
        sinkhole: p.sinkhole.inspect(|a| {
            if a.parse::<std::net::IpAddr>().is_err() {
                c.bad("generator.sinkhole", format!("`{a}` is not an IP address"));
            }
        }),
        reboot_every_hours,
        infect_within_minutes: c.positive(
            "generator.infect_within_minutes",
            p.infect_within_minutes.unwrap_or(60.0),
        ),
        payload_files,
    }
}
