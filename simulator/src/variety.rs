//! Variety: the values a job template draws instead of one fixed value (where a
//! benign tool is installed, the shell an administrator starts it from, its task
//! name, its arguments, whether its image is signed, the time its task is
//! scheduled for). Each distribution is declared once, below, as a weighted
//! list with a name; a scenario file names one (`install_dir = { draw =
//! "netdiag-install-dirs" }`) or fixes a value (`install_dir = 'D:\Apps\NetDiag'`),
//! and a key it leaves out draws from the template's default distribution.
//! Draws come from the host's own variety stream (seeded from the run seed, the
//! scenario and the host), so a seed gives the same values every time.

use serde::Serialize;

use crate::rng::Rng;

/// What a distribution varies: one generator key of the job templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// The folder the tool's image is installed in (`install_dir`).
    InstallDir,
    /// The shell an administrator runs it from, by image path (`shell`).
    Shell,
    /// The name of the tool's (first) scheduled task (`task_name`).
    TaskName,
    /// The tool's arguments on an interactive run (`command`).
    Command,
    /// `signed` (by the tool's vendor) or `unsigned` (`signature`).
    Signature,
    /// The daily start time its task is registered with, `HH:MM` (`task_start`).
    TaskStart,
}

impl Dimension {
    /// The generator key.
    pub fn key(self) -> &'static str {
        match self {
            Dimension::InstallDir => "install_dir",
            Dimension::Shell => "shell",
            Dimension::TaskName => "task_name",
            Dimension::Command => "command",
            Dimension::Signature => "signature",
            Dimension::TaskStart => "task_start",
        }
    }
}

/// A named, weighted list of values.
#[derive(Debug, PartialEq, Eq)]
pub struct Distribution {
    /// Its name, as a scenario file names it.
    pub name: &'static str,
    /// What it varies.
    pub dimension: Dimension,
    /// `(weight, value)`: each value is drawn with its weight over the sum.
    pub choices: &'static [(u32, &'static str)],
}

/// `cmd.exe`.
pub const CMD: &str = r"C:\Windows\System32\cmd.exe";
/// Windows PowerShell.
pub const POWERSHELL: &str = r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe";
/// PowerShell 7.
pub const PWSH: &str = r"C:\Program Files\PowerShell\7\pwsh.exe";

use Dimension::{Command, InstallDir, Shell, Signature, TaskName, TaskStart};

/// Every distribution.
pub const DISTRIBUTIONS: &[Distribution] = &[
    Distribution {
        name: "backup-install-dirs",
        dimension: InstallDir,
        choices: &[
            (8, r"C:\Program Files\BackupTool"),
            (1, r"C:\Program Files (x86)\BackupTool"),
            (1, r"D:\Apps\BackupTool"),
        ],
    },
    Distribution {
        name: "netdiag-install-dirs",
        dimension: InstallDir,
        choices: &[
            (8, r"C:\Tools\NetDiag"),
            (1, r"D:\Apps\NetDiag"),
            (1, r"C:\Program Files (x86)\Contoso\NetDiag"),
        ],
    },
    Distribution {
        name: "systidy-install-dirs",
        dimension: InstallDir,
        choices: &[
            (8, r"C:\Program Files\SysTidy"),
            (2, r"C:\Program Files (x86)\SysTidy"),
        ],
    },
    Distribution {
        name: "studio-install-dirs",
        dimension: InstallDir,
        choices: &[
            (8, r"C:\Program Files\Nanocore Imaging"),
            (2, r"C:\Program Files (x86)\Nanocore Imaging"),
        ],
    },
    Distribution {
        name: "admin-shells",
        dimension: Shell,
        choices: &[(4, CMD), (4, POWERSHELL), (2, PWSH)],
    },
    Distribution {
        name: "cmd-or-powershell",
        dimension: Shell,
        choices: &[(1, CMD), (1, POWERSHELL)],
    },
    Distribution {
        name: "backup-task-names",
        dimension: TaskName,
        choices: &[
            (8, "Nightly Backup"),
            (1, r"BackupTool\Nightly Backup"),
            (1, "Nightly Backup (BackupTool)"),
        ],
    },
    Distribution {
        name: "cleanup-task-names",
        dimension: TaskName,
        choices: &[(8, "TempCleanup"), (2, r"SysTidy\TempCleanup")],
    },
    Distribution {
        name: "netdiag-commands",
        dimension: Command,
        choices: &[
            (2, "netstat -ano"),
            (1, "netstat -rn"),
            (1, "netstat -abno"),
            (2, "nmap -sT -p 22,80,443,3389 10.20.0.0/24"),
            (1, "nmap -sn 10.20.4.0/24"),
            (1, "nmap -sV -p 443 10.20.4.15"),
            (2, "tcpdump -i 1 -c 200 port 53"),
            (
                1,
                r"tcpdump -nn -i 1 -w C:\Windows\Temp\capture.pcap port 443",
            ),
        ],
    },
    Distribution {
        name: "cleanup-commands",
        dimension: Command,
        choices: &[
            (6, r"/clean /logs C:\ProgramData\Fabrikam\logs /days 30"),
            (2, r"/clean /temp /days 7"),
            (1, r"/delete /logs C:\ProgramData\Fabrikam\logs /older 60"),
            (1, r"/clear /cache /all"),
        ],
    },
    Distribution {
        name: "vendor-signature",
        dimension: Signature,
        choices: &[(9, "signed"), (1, "unsigned")],
    },
    Distribution {
        name: "in-house-signature",
        dimension: Signature,
        choices: &[(8, "unsigned"), (2, "signed")],
    },
    Distribution {
        name: "task-start-times",
        dimension: TaskStart,
        choices: &[(5, "02:00"), (2, "01:30"), (2, "23:00"), (1, "03:15")],
    },
];

/// The distribution of that name.
pub fn named(name: &str) -> Option<&'static Distribution> {
    DISTRIBUTIONS.iter().find(|d| d.name == name)
}

/// The keys each job template varies, with the distribution a key it leaves
/// out draws from. `software-update` varies nothing: the vendor's package
/// defines its paths and task.
pub fn defaults(template: &str) -> &'static [(Dimension, &'static str)] {
    match template {
        "backup-job" => &[
            (InstallDir, "backup-install-dirs"),
            (TaskName, "backup-task-names"),
            (Signature, "vendor-signature"),
            (TaskStart, "task-start-times"),
        ],
        "network-diagnostics" => &[
            (InstallDir, "netdiag-install-dirs"),
            (Shell, "admin-shells"),
            (Command, "netdiag-commands"),
            (Signature, "in-house-signature"),
        ],
        "log-cleanup" => &[
            (InstallDir, "systidy-install-dirs"),
            (Shell, "admin-shells"),
            (TaskName, "cleanup-task-names"),
            (Command, "cleanup-commands"),
            (Signature, "vendor-signature"),
            (TaskStart, "task-start-times"),
        ],
        "name-collision" => &[
            (InstallDir, "studio-install-dirs"),
            (Signature, "vendor-signature"),
        ],
        _ => &[],
    }
}

/// A value a scenario fixes, or a distribution it draws from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Pick {
    /// This value every time.
    Fixed(String),
    /// A draw from the named distribution.
    Draw {
        /// The distribution's name.
        draw: &'static str,
    },
    /// A draw from the scenario's own weighted list (`{ one_of = [...],
    /// weights = [...] }`; no weights: each value alike).
    OneOf {
        /// The values.
        one_of: Vec<String>,
        /// Their weights, one per value.
        weights: Vec<u32>,
    },
}

impl Pick {
    /// The value: the fixed one, or a draw from `rng`.
    pub fn value(&self, rng: &mut Rng) -> String {
        match self {
            Pick::Fixed(v) => v.clone(),
            Pick::Draw { draw } => named(draw).map_or_else(String::new, |d| draw_from(d, rng)),
            Pick::OneOf { one_of, weights } => weighted(
                one_of
                    .iter()
                    .map(String::as_str)
                    .zip(weights.iter().copied()),
                rng,
            ),
        }
    }
}

/// One value of `d`, drawn with its weights.
pub fn draw_from(d: &Distribution, rng: &mut Rng) -> String {
    weighted(d.choices.iter().map(|(w, v)| (*v, *w)), rng)
}

/// One of `(value, weight)`, drawn with the weights (one draw from `rng`).
fn weighted<'a>(choices: impl Iterator<Item = (&'a str, u32)> + Clone, rng: &mut Rng) -> String {
    let total: u64 = choices.clone().map(|(_, w)| u64::from(w)).sum();
    let mut at = rng.below(total);
    let mut last = "";
    for (v, w) in choices {
        if at < u64::from(w) {
            return v.to_owned();
        }
        at -= u64::from(w);
        last = v;
    }
    last.to_owned()
}

/// What is wrong with `value` fixed for `dim`, if anything.
pub fn check_fixed(dim: Dimension, value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return Some("must not be empty".into());
    }
    match dim {
        InstallDir => {
            let b = v.as_bytes();
            let absolute = b.len() > 3 && b[1] == b':' && b[2] == b'\\';
            (!absolute || v.ends_with('\\')).then(|| {
                format!("`{v}` must be an absolute folder without a trailing backslash (C:\\Tools\\NetDiag)")
            })
        }
        Shell => {
            let known = [CMD, POWERSHELL, PWSH];
            (!known.iter().any(|k| k.eq_ignore_ascii_case(v)))
                .then(|| format!("`{v}` is not a known shell; known: {}", known.join(", ")))
        }
        Signature => {
            (!matches!(v, "signed" | "unsigned")).then(|| "must be `signed` or `unsigned`".into())
        }
        TaskStart => {
            let ok = v.len() == 5
                && v.as_bytes()[2] == b':'
                && v[..2].parse::<u8>().is_ok_and(|h| h < 24)
                && v[3..].parse::<u8>().is_ok_and(|m| m < 60);
            (!ok).then(|| format!("`{v}` is not a time of day, HH:MM"))
        }
        TaskName | Command => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_distribution_is_named_once_and_its_values_are_valid() {
        for (i, d) in DISTRIBUTIONS.iter().enumerate() {
            assert!(
                DISTRIBUTIONS[..i].iter().all(|o| o.name != d.name),
                "{} twice",
                d.name
            );
            assert!(!d.choices.is_empty() && d.choices.iter().all(|(w, _)| *w > 0));
            for (_, v) in d.choices {
                assert_eq!(check_fixed(d.dimension, v), None, "{}: {v}", d.name);
            }
        }
        for t in [
            "backup-job",
            "network-diagnostics",
            "log-cleanup",
            "name-collision",
        ] {
            for (dim, name) in defaults(t) {
                assert_eq!(named(name).map(|d| d.dimension), Some(*dim), "{t}: {name}");
            }
        }
    }

    #[test]
    fn draws_follow_the_weights_and_the_seed() {
        let d = named("backup-install-dirs").expect("declared");
        let mut rng = Rng::new(7);
        let draws: Vec<String> = (0..1000).map(|_| draw_from(d, &mut rng)).collect();
        let documented = draws
            .iter()
            .filter(|v| v.ends_with(r"Files\BackupTool"))
            .count();
        assert!((700..900).contains(&documented), "{documented}");
        let mut again = Rng::new(7);
        assert!(draws.iter().all(|v| *v == draw_from(d, &mut again)));
    }

    #[test]
    fn fixed_values_are_checked() {
        assert!(check_fixed(InstallDir, r"D:\Apps\NetDiag").is_none());
        assert!(check_fixed(InstallDir, r"Apps\NetDiag").is_some());
        assert!(check_fixed(InstallDir, r"D:\Apps\").is_some());
        assert!(check_fixed(Shell, PWSH).is_none());
        assert!(check_fixed(Shell, "bash").is_some());
        assert!(check_fixed(Signature, "maybe").is_some());
        assert!(check_fixed(TaskStart, "24:00").is_some());
        assert!(check_fixed(TaskStart, "23:59").is_none());
    }
}
