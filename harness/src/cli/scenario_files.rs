//! Where scenarios come from: the built-in library embedded in the binary, or a
//! folder of TOML files.

use std::path::Path;

use anyhow::Context;
use simulator::Scenario;

/// The scenarios to run: `None` gives the built-in library; `Some(dir)` reads
/// every `*.toml` file in `dir` (not its subfolders), sorted by file name. A file
/// that cannot be read or parsed is an error naming its path (and line / field).
pub fn load_scenarios(dir: Option<&Path>) -> anyhow::Result<Vec<Scenario>> {
    let Some(dir) = dir else {
        return Ok(simulator::builtin()?);
    };
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read scenario folder {}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry =
            entry.with_context(|| format!("cannot list scenario folder {}", dir.display()))?;
        let path = entry.path();
        let is_toml = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        if is_toml && path.is_file() {
            files.push(path);
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    if files.is_empty() {
        anyhow::bail!("no *.toml scenario files in {}", dir.display());
    }
    files
        .iter()
        .map(|path| {
            let src = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Ok(Scenario::parse(&src, &path.display().to_string())?)
        })
        .collect()
}

/// [`load_scenarios`] with the mimic of each of `det`'s exclusions
/// ([`crate::mimic`]) after them, then [`lint`] them against `det`.
pub fn load_linted(
    dir: Option<&Path>,
    det: &detections::Detection,
) -> anyhow::Result<Vec<Scenario>> {
    let mut scenarios = load_scenarios(dir)?;
    with_mimics(&mut scenarios, det);
    lint(&scenarios, det)?;
    Ok(scenarios)
}

/// Append the mimics of `det`'s exclusions that the library does not hold
/// already (a scenario file of the same id wins).
pub fn with_mimics(scenarios: &mut Vec<Scenario>, det: &detections::Detection) {
    for m in crate::mimic::mimics(det) {
        if let Ok(s) = m.scenario {
            if !scenarios.iter().any(|t| t.id == s.id) {
                scenarios.push(s);
            }
        }
    }
}

/// Lint the library against `det`: expectations that name its exclusions, known
/// gaps that name scenarios. Every problem found is listed in the error.
pub fn lint(scenarios: &[Scenario], det: &detections::Detection) -> anyhow::Result<()> {
    let known: Vec<&str> = det.exclusions.iter().map(|x| x.id.as_str()).collect();
    let problems = simulator::lint(scenarios, &known);
    let gaps = crate::run::unknown_known_gaps(det, scenarios);
    if !problems.is_empty() && is_builtin_library(scenarios) {
        // The built-in scenarios are NanoCore's, written for the built-in
        // contents' exclusions: a content of another family (or another
        // reading's exclusions) needs scenarios of its own.
        anyhow::bail!(
            "the built-in scenarios are written for the built-in NanoCore contents: they name exclusions `{}` does not have ({} problem(s); the first: {}). Write scenarios for this content with `huntlab scenarios --propose --content FILE --out DIR` and run with `--scenarios DIR`",
            det.id,
            problems.len() + gaps.len(),
            problems[0]
        );
    }
    if !problems.is_empty() || !gaps.is_empty() {
        let list: Vec<String> = problems
            .iter()
            .map(|p| format!("  {p}"))
            .chain(gaps.iter().map(|g| format!("  the content: {g}")))
            .collect();
        anyhow::bail!(
            "the scenario library has {} problem(s):\n{}",
            list.len(),
            list.join("\n")
        );
    }
    Ok(())
}

/// Whether `scenarios` hold the whole built-in library (by id).
fn is_builtin_library(scenarios: &[Scenario]) -> bool {
    simulator::builtin().is_ok_and(|lib| lib.iter().all(|b| scenarios.iter().any(|s| s.id == b.id)))
}

/// Say, in one note, which known gaps of `det` this run does not check
/// (their scenarios are not among `scenarios`).
pub fn note_gaps_not_run(det: &detections::Detection, scenarios: &[Scenario]) {
    let not_run = crate::run::known_gaps_not_run(det, scenarios);
    if !not_run.is_empty() {
        crate::note!(
            "huntlab: note: {} known gap(s) of the content name scenarios not in this run, so they are not checked: {}",
            not_run.len(),
            crate::escape::terminal(&not_run.join(", "))
        );
    }
}
