//! `--content NAME|FILE`, shared by every command that reads content: a built-in
//! content by name (`seed`, the default, or `hardened`, ...), or a content file.

use std::path::PathBuf;

use anyhow::Context;
use detections::content::{
    builtin_entry, builtin_names, feed_content, load_with_iocs, load_with_iocs_matching, Builtin,
    BUILTINS,
};
use detections::feed::FeedIoc;
use detections::ioc::IocKind;
use detections::matcher::indicator::PortMatch;
use detections::{Detection, Engine};

/// Where a detection's content comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentArg {
    /// A content built into the binary.
    Builtin(&'static Builtin),
    /// A content file.
    File(PathBuf),
    /// No content (`none`): the generic feed content, one hunt per indicator
    /// kind of the feeds on every table that carries it, no exclusions.
    Feed,
}

/// The name `--content` takes for the generic feed content.
pub const NONE: &str = "none";

impl Default for ContentArg {
    fn default() -> Self {
        ContentArg::Builtin(&BUILTINS[0])
    }
}

impl ContentArg {
    /// The clap value parser: a built-in name, else the path of an existing file.
    /// A built-in name wins over a file of that name; write `./seed` for the file.
    pub fn parse(s: &str) -> Result<Self, String> {
        if let Some(b) = builtin_entry(s) {
            return Ok(ContentArg::Builtin(b));
        }
        if s == NONE {
            return Ok(ContentArg::Feed);
        }
        let path = PathBuf::from(s);
        if s.is_empty() || !path.exists() {
            return Err(format!(
                "`{s}` is neither a built-in content ({}, or {NONE} for the generic feed content) nor a file",
                builtin_names()
            ));
        }
        Ok(ContentArg::File(path))
    }

    /// The built-in content of this name (a name known to be built in).
    pub fn named(name: &str) -> Self {
        ContentArg::Builtin(builtin_entry(name).expect("a built-in content name"))
    }

    /// How the user named it: the built-in's name, or the file's path.
    pub fn label(&self) -> String {
        match self {
            ContentArg::Builtin(b) => b.name.to_owned(),
            ContentArg::File(p) => p.display().to_string(),
            ContentArg::Feed => NONE.to_owned(),
        }
    }

    /// Load it and check its examples (every example must behave as it says);
    /// indicator values the loader normalised are noted on standard error.
    pub fn load(&self) -> anyhow::Result<Detection> {
        let (src, origin) = self.source()?;
        let det = detections::load(&src, &origin, Engine::Fast)?;
        let failures = det.check_examples();
        if !failures.is_empty() {
            let what =
                |n| format!("{origin}: {n} example(s) of the content do not behave as they say");
            return Err(super::listed(what, &failures));
        }
        for n in &det.notes {
            let changes: Vec<String> = n.changes.iter().map(ToString::to_string).collect();
            crate::note!(
                "huntlab: note: {origin}: line {}: IOC {:?} loaded as {:?} ({})",
                n.line,
                n.written,
                n.loaded,
                changes.join(", ")
            );
        }
        Ok(det)
    }

    /// [`ContentArg::load`], for `report` and `compare`: the generic feed
    /// content is refused, as it has nothing to be scored against.
    pub fn load_to_score(&self) -> anyhow::Result<Detection> {
        if *self == ContentArg::Feed {
            anyhow::bail!(
                "`--content {NONE}` is the generic feed content: it has no scenarios or expectations of its own, so there is nothing to score it against (scan telemetry with it: `huntlab scan --iocs FEED`)"
            );
        }
        self.load()
    }

    /// Load it with these feed indicators in place of its own of their kinds
    /// (`--iocs`): the content must still be valid as written; no feed
    /// indicator is an error, and the feed's kinds no hunt of the content
    /// reads are noted on standard error (they are not hunted).
    /// The generic feed content (`none`) hunts every kind the feeds hold, its
    /// `ip:port`s as `ports` says (the address and port by default); `ports`
    /// given overrides the `match` of a content's hunts.
    pub fn load_with_feed(
        &self,
        accepted: &[FeedIoc],
        ports: Option<PortMatch>,
    ) -> anyhow::Result<Detection> {
        if accepted.is_empty() {
            anyhow::bail!("the IOC feeds hold no indicator a hunt can use");
        }
        let (src, origin) = match self {
            ContentArg::Feed => {
                let kinds: Vec<IocKind> = super::iocs::by_kind(accepted)
                    .into_iter()
                    .map(|(k, _)| k)
                    .collect();
                let src = feed_content(&kinds, ports.unwrap_or_default());
                (src, "the generic feed content (--content none)".to_owned())
            }
            _ => self.source()?,
        };
        let iocs = detections::feed::to_iocs(accepted);
        let det = match ports {
            Some(p) => load_with_iocs_matching(&src, &origin, Engine::Fast, iocs, p)?,
            None => load_with_iocs(&src, &origin, Engine::Fast, iocs)?,
        };
        let read: Vec<&str> = det.hunted_kinds.iter().map(|k| k.name()).collect();
        for (kind, n) in super::iocs::by_kind(accepted) {
            if !det.hunted_kinds.contains(&kind) {
                crate::note!(
                    "huntlab: note: the feeds' {n} {} indicator(s) are hunted by no hunt of {} (its hunts read: {})",
                    kind.name(),
                    self.label(),
                    read.join(", ")
                );
            }
        }
        Ok(det)
    }

    /// Its text and the name errors give it.
    fn source(&self) -> anyhow::Result<(String, String)> {
        Ok(match self {
            ContentArg::Builtin(b) => (b.text.to_owned(), b.file.to_owned()),
            ContentArg::File(p) => (
                std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read content file {}", p.display()))?,
                p.display().to_string(),
            ),
            ContentArg::Feed => anyhow::bail!(
                "`--content {NONE}` is the generic feed content: it hunts the indicators of IOC feeds, so give `--iocs FEED`"
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_before_files_and_unknown_words_are_refused() {
        assert_eq!(ContentArg::parse("seed").unwrap().label(), "seed");
        assert_eq!(ContentArg::parse("hardened").unwrap().label(), "hardened");
        assert_eq!(ContentArg::default().label(), "seed");
        let e = ContentArg::parse("no-such-content").unwrap_err();
        assert!(e.contains("seed, hardened"), "{e}");
        assert!(ContentArg::parse("").is_err());
        assert_eq!(ContentArg::parse("none").unwrap(), ContentArg::Feed);
        let e = ContentArg::Feed.load().unwrap_err().to_string();
        assert!(e.contains("give `--iocs FEED`"), "{e}");
        let file = ContentArg::parse("Cargo.toml").unwrap();
        assert_eq!(file, ContentArg::File(PathBuf::from("Cargo.toml")));
    }
}
