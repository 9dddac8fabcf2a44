//! `--iocs FEED`, `--max-ioc-age`, `--as-of` and `--match`, shared by `scan`,
//! `explain` and `export`, and the content they load: without `--content`,
//! feeds are hunted by the generic feed content (`--content none`), so what is
//! exported is what was scanned.

use std::path::PathBuf;

use detections::feed::{self, Day, FeedIoc};
use detections::matcher::indicator::PortMatch;
use detections::Detection;

use super::content::ContentArg;
use super::ranges::RangeArgs;

/// How a feed `ip:port` matches a row (`--match`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MatchArg {
    /// The address on any port: the published pages' form, which drops the port.
    Address,
    /// The address and the port the indicator names.
    #[value(name = "address_port")]
    AddressPort,
}

impl From<MatchArg> for PortMatch {
    fn from(m: MatchArg) -> Self {
        match m {
            MatchArg::Address => PortMatch::Address,
            MatchArg::AddressPort => PortMatch::AddressPort,
        }
    }
}

/// The feed arguments.
#[derive(Debug, Clone, clap::Args)]
pub struct FeedArgs {
    /// IOC feeds (ThreatFox CSV or JSON, STIX 2.1, MISP, one-per-line lists;
    /// repeatable, merged). Without --content they are hunted by the generic
    /// feed content (`none`: one hunt per indicator kind, no exclusions); with
    /// it, their indicators replace the content's of the kinds they hold.
    #[arg(long = "iocs", value_name = "FEED")]
    pub iocs: Vec<PathBuf>,
    /// Leave out feed indicators last seen (else first seen) more than DAYS ago.
    #[arg(long, value_name = "DAYS", requires = "iocs")]
    pub max_ioc_age: Option<u32>,
    /// Count IOC ages from this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", requires = "max_ioc_age", value_parser = super::iocs::parse_day)]
    pub as_of: Option<Day>,
    /// How a feed `ip:port` matches: `address_port` (its address and port; the
    /// generic feed content's default) or `address` (its address on any port).
    /// With --content, it overrides the `match` of the content's hunts.
    #[arg(long = "match", value_enum, value_name = "HOW", requires = "iocs")]
    pub port_match: Option<MatchArg>,
}

/// `--content` as given, or its default: the generic feed content (`none`)
/// when feeds are given, else the seed.
pub fn content_or_default(content: &Option<ContentArg>, feeds: &FeedArgs) -> ContentArg {
    match content {
        Some(c) => c.clone(),
        None if !feeds.iocs.is_empty() => ContentArg::Feed,
        None => ContentArg::default(),
    }
}

/// The content, with the feeds' indicators hunted as [`content_or_default`]
/// says, and the feeds' entries (each value once, in feed order); indicators
/// in shared ranges are noted when `ranges` is given.
pub fn load(
    content: &ContentArg,
    feeds: &FeedArgs,
    ranges: Option<&RangeArgs>,
) -> anyhow::Result<(Detection, Vec<FeedIoc>)> {
    if feeds.iocs.is_empty() {
        let det = content.load()?;
        if let Some(r) = ranges {
            super::ranges::note_detection(r, &det, &content.label())?;
        }
        return Ok((det, Vec::new()));
    }
    let read = feeds
        .iocs
        .iter()
        .map(|p| super::iocs::read_feed(p, None))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let rejected: usize = read.iter().map(|f| f.rejected.len()).sum();
    let lists = read.into_iter().map(|f| f.accepted);
    let merged = match feeds.max_ioc_age {
        None => feed::merge(lists),
        Some(days) => {
            let now = match feeds.as_of {
                Some(d) => d,
                None => super::iocs::today()?,
            };
            let (merged, filter) = feed::merge_recent(lists, now, days);
            if !filter.left_out.is_empty() {
                crate::note!(
                    "huntlab: {} indicator(s) left out: last seen more than {days} day(s) before {now}",
                    filter.left_out.len()
                );
            }
            merged
        }
    };
    crate::note!(
        "huntlab: IOC feeds: {} indicator(s) taken ({}), {rejected} entr(y/ies) left out (`huntlab iocs` lists them); hunted by content {}",
        merged.accepted.len(),
        super::iocs::kinds_text(&super::iocs::by_kind(&merged.accepted)),
        content.label()
    );
    if let Some(r) = ranges {
        super::ranges::note_feed(r, &merged.accepted)?;
    }
    let det = content.load_with_feed(&merged.accepted, feeds.port_match.map(PortMatch::from))?;
    Ok((det, merged.accepted))
}
