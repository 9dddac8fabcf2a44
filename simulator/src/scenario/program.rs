//! The `program` template's parameters, read: any benign program, placed,
//! started, scheduled and signed with the values an exclusion names, each
//! fixed or varied per host, and the destinations it talks to.

use super::check::Check;
use super::network;
use super::program_params::ProgramParams;
use super::spec::{OneOfSpec, PickSpec, ProgramSpec};
use crate::variety::{self, Dimension, Pick};

/// `{ one_of, weights }`, checked: each value by `check`, one positive
/// weight per value.
pub(super) fn one_of(
    c: &mut Check<'_>,
    field: &str,
    o: OneOfSpec,
    check: &dyn Fn(&str) -> Option<String>,
) -> Pick {
    if o.one_of.is_empty() {
        c.bad(field, "`one_of` must hold at least one value");
    }
    for v in &o.one_of {
        if let Some(e) = check(v) {
            c.bad(field, e);
        }
    }
    let weights = match o.weights {
        None => vec![1; o.one_of.len()],
        Some(w) if w.len() != o.one_of.len() => {
            c.bad(
                field,
                format!(
                    "`weights` has {} values for {} in `one_of`",
                    w.len(),
                    o.one_of.len()
                ),
            );
            vec![1; o.one_of.len()]
        }
        Some(w) => w
            .into_iter()
            .map(|x| {
                u32::try_from(x).ok().filter(|x| *x > 0).unwrap_or_else(|| {
                    c.bad(
                        field,
                        format!("weight `{x}` must be a positive whole number"),
                    );
                    1
                })
            })
            .collect(),
    };
    Pick::OneOf {
        one_of: o.one_of,
        weights,
    }
}

/// A `program` value: fixed, `one_of`, or (for a key a job template varies
/// too) a declared distribution of that key.
fn pick(
    c: &mut Check<'_>,
    key: &str,
    dim: Option<Dimension>,
    spec: PickSpec,
    check: &dyn Fn(&str) -> Option<String>,
) -> Pick {
    let field = format!("generator.{key}");
    match spec {
        PickSpec::Fixed(v) => {
            if let Some(e) = check(&v) {
                c.bad(&field, e);
            }
            Pick::Fixed(v)
        }
        PickSpec::OneOf(o) => one_of(c, &field, o, check),
        PickSpec::Draw(d) => match variety::named(&d.draw) {
            Some(dist) if Some(dist.dimension) == dim => Pick::Draw { draw: dist.name },
            _ => {
                c.bad(
                    &field,
                    format!(
                        "distribution `{}` is not one of `{key}`'s; give a value or `{{ one_of = [...] }}`",
                        d.draw
                    ),
                );
                Pick::Fixed(String::new())
            }
        },
    }
}

/// An absolute Windows path or one under a path variable.
fn windows_path(v: &str) -> bool {
    let b = v.as_bytes();
    v.starts_with('%') || (b.len() > 3 && b[1] == b':' && b[2] == b'\\')
}

fn program_image(v: &str) -> Option<String> {
    let lower = v.to_ascii_lowercase();
    (!windows_path(v) || !(lower.ends_with(".exe") || lower.ends_with(".dll")))
        .then(|| format!("`{v}` must be an absolute path to an .exe or .dll"))
}

fn not_empty(v: &str) -> Option<String> {
    v.trim().is_empty().then(|| "must not be empty".to_owned())
}

pub(super) fn params(c: &mut Check<'_>, p: ProgramSpec) -> ProgramParams {
    let image = pick(c, "image", None, p.image, &program_image);
    let dir = |v: &str| variety::check_fixed(Dimension::InstallDir, v);
    let install_dir = p
        .install_dir
        .map(|s| pick(c, "install_dir", Some(Dimension::InstallDir), s, &dir));
    let parent = p.parent.map(|s| {
        pick(c, "parent", Some(Dimension::Shell), s, &|v| {
            (!windows_path(v) || !v.to_ascii_lowercase().ends_with(".exe"))
                .then(|| format!("`{v}` must be an absolute path to an .exe"))
        })
    });
    let command = p
        .command
        .map(|s| pick(c, "command", Some(Dimension::Command), s, &|_| None));
    let task_name = p
        .task_name
        .map(|s| pick(c, "task_name", Some(Dimension::TaskName), s, &not_empty));
    let start = |v: &str| variety::check_fixed(Dimension::TaskStart, v);
    let task_start = p.task_start.map_or(Pick::Fixed("02:00".to_owned()), |s| {
        pick(c, "task_start", Some(Dimension::TaskStart), s, &start)
    });
    if task_name.is_none() && p.registered_days_before.is_some() {
        c.bad("generator.registered_days_before", "needs `task_name`");
    }
    let registered_days_before = p.registered_days_before.inspect(|&d| {
        if !(d.is_finite() && d > 0.0 && d <= 366.0) {
            c.bad(
                "generator.registered_days_before",
                format!("must be more than 0 and at most 366 days, got {d}"),
            );
        }
    });
    let signer = p.signer.map(|s| pick(c, "signer", None, s, &not_empty));
    let urls = p.urls.unwrap_or_default();
    for u in &urls {
        network::url(c, "generator.urls", u);
    }
    let names = p.names.unwrap_or_default();
    c.dns_names("generator.names", &names);
    let addresses: Vec<(String, u16)> = p
        .addresses
        .unwrap_or_default()
        .iter()
        .filter_map(|a| network::ip_port(c, "generator.addresses", a))
        .collect();
    let files = p.files.unwrap_or_default();
    for f in &files {
        if !windows_path(f) || f.ends_with('\\') {
            c.bad(
                "generator.files",
                format!("`{f}` must be an absolute file path"),
            );
        }
    }
    if let Some(a) = &p.resolves_to {
        network::address(c, "generator.resolves_to", a);
    }
    ProgramParams {
        image,
        install_dir,
        parent,
        command,
        task_name,
        task_start,
        registered_days_before,
        signer,
        company: p.company.unwrap_or_default(),
        system: p.system.unwrap_or(false),
        interval_minutes: c.positive("generator.interval_minutes", p.interval_minutes),
        urls,
        names,
        addresses,
        resolves_to: p.resolves_to,
        files,
    }
}
