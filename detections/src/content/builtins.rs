//! The content files built into the binary, by name: one list, so that adding a
//! content is one line here.

use super::compile::load;
use super::cond::Engine;
use super::detection::Detection;

/// One built-in content file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    /// The name commands take (`--content seed`).
    pub name: &'static str,
    /// Its file, relative to the workspace root (names it in errors).
    pub file: &'static str,
    /// The file's text, embedded.
    pub text: &'static str,
    /// What it is, in a line.
    pub about: &'static str,
    /// The built-in that reads the same indicators and hunts safely, for a
    /// content that is a literal reading (`seed`'s is `hardened`): `report`
    /// scores the two on one run and compares them.
    pub hardened: Option<&'static str>,
}

impl Builtin {
    /// Load it. Every built-in content loads, and its examples pass: the content
    /// test checks both for each one, with both engines.
    pub fn load(&self, engine: Engine) -> Detection {
        load(self.text, self.file, engine)
            .unwrap_or_else(|e| panic!("built-in content `{}` is invalid: {e}", self.name))
    }
}

/// The seed content: the source hunt, read literally (`detections/content/nanocore.toml`).
pub const NANOCORE_TOML: &str = include_str!("../../content/nanocore.toml");

/// The hardened content (`detections/content/hardened.toml`).
pub const HARDENED_TOML: &str = include_str!("../../content/hardened.toml");

/// The deployed reading (`detections/content/deployed.toml`).
pub const DEPLOYED_TOML: &str = include_str!("../../content/deployed.toml");

/// The family's published forms, read literally (`detections/content/published.toml`).
pub const PUBLISHED_TOML: &str = include_str!("../../content/published.toml");

/// The family's published forms, read safely
/// (`detections/content/published-hardened.toml`).
pub const PUBLISHED_HARDENED_TOML: &str = include_str!("../../content/published-hardened.toml");

/// The built-in contents, the default (`seed`) first.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "seed",
        file: "detections/content/nanocore.toml",
        text: NANOCORE_TOML,
        about: "the source hunt and its exclusions, read literally",
        hardened: Some("hardened"),
    },
    Builtin {
        name: "hardened",
        file: "detections/content/hardened.toml",
        text: HARDENED_TOML,
        about:
            "the same IOCs and hunts, exclusions tightened where the literal reading hides attacks",
        hardened: None,
    },
    Builtin {
        name: "deployed",
        file: "detections/content/deployed.toml",
        text: DEPLOYED_TOML,
        about: "the seed with `backup-job` read as an engineer deploys it: started by the Task Scheduler",
        hardened: None,
    },
    Builtin {
        name: "published",
        file: "detections/content/published.toml",
        text: PUBLISHED_TOML,
        about: "the seed with every form the family's published pages write: address, hash and URL hunts, read literally",
        hardened: Some("published-hardened"),
    },
    Builtin {
        name: "published-hardened",
        file: "detections/content/published-hardened.toml",
        text: PUBLISHED_HARDENED_TOML,
        about: "the published forms read safely: ports kept, outbound only, shared ranges with a process, full URLs, digests on processes",
        hardened: None,
    },
];

/// The seed content, loaded: the default everywhere.
pub fn builtin(engine: Engine) -> Detection {
    BUILTINS[0].load(engine)
}

/// The built-in contents, the default (`seed`) first.
pub fn builtins() -> &'static [Builtin] {
    BUILTINS
}

/// The built-in content of this name, if there is one.
pub fn builtin_entry(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

/// The literal and the hardened built-in of the pair `name` belongs to (as
/// either), literal first: (`seed`, `hardened`), (`published`,
/// `published-hardened`).
pub fn builtin_pair(name: &str) -> Option<(&'static Builtin, &'static Builtin)> {
    BUILTINS.iter().find_map(|b| {
        let hardened = builtin_entry(b.hardened?)?;
        (b.name == name || hardened.name == name).then_some((b, hardened))
    })
}

/// The built-in content of this name, loaded; `None` for an unknown name.
pub fn builtin_named(name: &str, engine: Engine) -> Option<Detection> {
    builtin_entry(name).map(|b| b.load(engine))
}

/// The names of the built-in contents, for messages: `seed, hardened, deployed`.
pub fn builtin_names() -> String {
    BUILTINS
        .iter()
        .map(|b| b.name)
        .collect::<Vec<_>>()
        .join(", ")
}
