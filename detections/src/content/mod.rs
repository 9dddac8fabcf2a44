//! The ready detection: compiled from a [`Spec`](crate::spec::Spec), always valid,
//! and the verdicts it gives.
//!
//! * `cond`: compiled conditions and the matches that explain them (a leaf);
//! * `detection`: the ready [`Detection`], its hunts and exclusions;
//! * `compile`: loading and compiling a content file, and its problems;
//! * `lists`: the per-kind indicator lists `values_from` names, and which
//!   kinds' lists the hunts read (a leaf);
//! * `given`: indicators given in place of the content's own (a feed's), of
//!   the kinds they hold (a leaf);
//! * `verdict`: what the detection says about a row;
//! * `examples`: checking the content's own examples;
//! * `carried`: the columns each source's rows carry, and the example rows
//!   that name another (a load error unless declared `unread`);
//! * `builtins`: the content files built into the binary, by name;
//! * `feed_hunts`: the generic feed content (`--content none`), one hunt per
//!   indicator kind (a leaf).
//!
//! The modules import from one another, never from this one, which only
//! re-exports their public items.

mod carried;
mod compile;
mod cond;
mod detection;
mod dnf;
mod examples;
mod exposure;
mod given;
mod inert;
mod lists;
mod problem;
mod verdict;

pub use compile::{compile, load, load_with_iocs, load_with_iocs_matching, LoadError, Problem};
pub use cond::{field_name, Cond, Dialect, Engine, Match, Pred, Term};
pub use detection::{Detection, Exclusion, Hunt, KnownGap, Note};
pub use examples::ExampleFailure;
pub use exposure::{control, exposure, Control, Copied, Exposure, FOREIGN_CODE_HOSTS};
pub use inert::uncarried;
pub use verdict::{Decision, ExclusionResult, HuntHit, Outcome, Verdict};

mod builtins;
mod feed_hunts;
pub use builtins::{
    builtin, builtin_entry, builtin_named, builtin_names, builtin_pair, builtins, Builtin,
    BUILTINS, DEPLOYED_TOML, HARDENED_TOML, NANOCORE_TOML, PUBLISHED_HARDENED_TOML, PUBLISHED_TOML,
};
pub use feed_hunts::{feed_content, feed_hunt_ids, FEED_CONTENT_ID};
