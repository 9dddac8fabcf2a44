//! `--ranges FILE` and `--no-builtin-ranges`, shared by every command that
//! reads indicators: the lists of shared (CDN, cloud) address ranges an
//! indicator is flagged in, and the notes that flag them.

use std::path::PathBuf;

use anyhow::Context;
use detections::ioc::IocKind;
use detections::ranges::{RangeList, Ranges};

use crate::escape::terminal as esc;

/// The shared-range lists an indicator is looked up in.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RangeArgs {
    /// A list of shared (CDN, cloud) address ranges to flag indicators in, in
    /// addition to the built-in ones: a `#` line naming the provider, then one
    /// CIDR range a line (repeatable).
    #[arg(long = "ranges", value_name = "FILE")]
    pub ranges: Vec<PathBuf>,
    /// Leave out the built-in lists (dated copies of Cloudflare's, Amazon
    /// AWS's, Google Cloud's and Microsoft Azure's published ranges).
    #[arg(long)]
    pub no_builtin_ranges: bool,
}

impl RangeArgs {
    /// The built-in lists (unless left out), then each `--ranges` file in the
    /// order given; a file that cannot be read names itself and its line.
    pub fn load(&self) -> anyhow::Result<Ranges> {
        let mut lists = if self.no_builtin_ranges {
            Vec::new()
        } else {
            Ranges::builtin_lists()
        };
        for path in &self.ranges {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the range list {name}"))?;
            lists.push(RangeList::parse(&text, &name).with_context(|| name.clone())?);
        }
        Ok(Ranges::new(lists))
    }
}

/// One indicator flagged: its value and kind, where it came from, and the
/// provider's range it lies in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The indicator, as loaded.
    pub value: String,
    /// Its kind.
    pub kind: IocKind,
    /// Where it was read (`feed.csv:12`, `nanocore.toml`).
    pub place: String,
    /// `Cloudflare 104.16.0.0/13` (each list holding it, joined).
    pub shared: String,
}

/// The indicators (value, kind, place) that lie in a shared range (a place
/// is written out only for those).
pub fn flags<'a, P: std::fmt::Display>(
    ranges: &Ranges,
    iocs: impl IntoIterator<Item = (&'a str, IocKind, P)>,
) -> Vec<Flag> {
    iocs.into_iter()
        .filter_map(|(value, kind, place)| {
            let shared = ranges.indicator(kind, value);
            (!shared.is_empty()).then(|| Flag {
                value: value.to_owned(),
                kind,
                place: place.to_string(),
                shared: shared
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
        })
        .collect()
}

/// Each flag as a note on standard error: a note, not a failure (it changes
/// no exit status).
pub fn note(flags: &[Flag]) {
    use std::fmt::Write as _;
    use std::io::Write as _;
    // One write for them all (a feed can have thousands).
    let mut text = String::new();
    for f in flags {
        let _ = writeln!(
            text,
            "huntlab: note: {}: {} {} lies in shared infrastructure ({}): a hunt on the bare address alerts on every site sharing it",
            esc(&f.place),
            f.kind.label(),
            esc(&f.value),
            esc(&f.shared)
        );
    }
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Note, on standard error, each of a detection's indicators that lies in a
/// shared range of the lists `args` names (`origin`: the content's name).
pub fn note_detection(
    args: &RangeArgs,
    det: &detections::Detection,
    origin: &str,
) -> anyhow::Result<()> {
    let ranges = args.load()?;
    // An address an exclusion of the content names on the remote address is
    // handled there (as the hardened readings take a shared range's rows out
    // of the bare-address hunt): no note.
    let handled: std::collections::BTreeSet<&str> = det
        .exclusions
        .iter()
        .flat_map(|x| x.when.predicates())
        .filter(|t| t.field == detections::Field::RemoteIp)
        .flat_map(|t| t.values.iter().map(String::as_str))
        .collect();
    let bare = |v: &str| {
        let v = match v.rsplit_once(':') {
            Some((a, p))
                if !a.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && a.contains('.') =>
            {
                a
            }
            _ => v,
        };
        v.trim_start_matches('[').trim_end_matches(']').to_owned()
    };
    let iocs = det
        .iocs
        .iter()
        .filter(|i| !handled.contains(bare(&i.value).as_str()))
        .map(|i| (i.value.as_str(), i.kind, origin));
    note(&flags(&ranges, iocs));
    Ok(())
}

/// Note, on standard error, each feed indicator that lies in a shared range
/// (named by its file and line).
pub fn note_feed(args: &RangeArgs, accepted: &[detections::feed::FeedIoc]) -> anyhow::Result<()> {
    let ranges = args.load()?;
    /// A feed entry's place, `file:line`.
    struct Place<'a>(&'a detections::feed::FeedIoc);
    impl std::fmt::Display for Place<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{}:{}", self.0.origin, self.0.at.compact())
        }
    }
    let iocs = accepted
        .iter()
        .map(|i| (i.value.as_str(), i.kind, Place(i)));
    note(&flags(&ranges, iocs));
    Ok(())
}
