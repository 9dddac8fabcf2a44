//! One module per subcommand: its arguments (clap) and its `run`.
//! These are the only places that print, read files or write files.

/// A line to standard error that ends quietly when standard error is closed
/// (`huntlab explain FILE 2>&1 >/dev/null | head -0`): `eprintln!` would
/// panic there. Every message of the binary goes through it (a tidy test
/// keeps `eprintln!` out of the crate).
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        // Formatted first and written whole: standard error is unbuffered,
        // and a note written piece by piece costs a system call a piece.
        let mut line = ::std::format!($($arg)*);
        line.push('\n');
        let _ = ::std::io::stderr().write_all(line.as_bytes());
    }};
}

pub mod compare;
pub mod content;
pub mod explain;
pub mod export;
pub mod feeds;
pub mod gates;
pub mod import;
pub mod iocs;
pub mod kql;
pub mod limits;
pub mod lint;
pub mod ranges;
pub mod report;
pub mod scan;
pub mod scenario_files;
pub mod scenarios;
pub mod schedule;
pub mod simulate;

/// A bad `--scale` or `--hours`: the simulator's message, as a flag.
pub fn flag_error(e: simulator::OptionsError) -> anyhow::Error {
    anyhow::anyhow!("--{e}")
}

/// An error of a heading and a list of problems, one indented line each:
/// `what` is told how many there are.
pub fn listed<T: std::fmt::Display>(
    what: impl FnOnce(usize) -> String,
    items: &[T],
) -> anyhow::Error {
    let list: Vec<String> = items.iter().map(|p| format!("  {p}")).collect();
    anyhow::anyhow!("{}:\n{}", what(items.len()), list.join("\n"))
}
