//! `huntlab kql run`: run a query of the local KQL evaluator's subset over JSON
//! Lines tables, to check an exported query against the Rust engine's alerts.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use kql_eval::eval::Query;
use kql_eval::table::{DataTable, Tables};
use kql_eval::value::Value;
use serde_json::Value as Json;

use crate::escape::terminal as esc;
use crate::input::{Line, Lines};

/// Arguments of `huntlab kql`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `huntlab kql` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Run a query over JSON Lines tables and print the result rows, columns in
    /// the query's order. See docs/kql-evaluator.md for the subset of KQL read.
    Run(RunArgs),
}

/// Arguments of `huntlab kql run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The file holding the query, or `-` to read it from standard input.
    #[arg(value_name = "QUERY_FILE")]
    pub query: PathBuf,
    /// A table the query names, read from a JSON Lines file (one object per
    /// line); repeat for several. A watchlist (`_GetWatchlist('alias')`) is the
    /// table named by its alias, with a SearchKey column.
    #[arg(long = "table", value_name = "NAME=FILE")]
    pub tables: Vec<String>,
    /// Print one JSON object per result row (JSON Lines) instead of a text table.
    #[arg(long)]
    pub json: bool,
    /// The time the query runs at, which `ago()` and `now()` read (ISO 8601
    /// UTC, `2026-05-21T09:00:00Z`), as a scheduled rule's run at that time
    /// reads them: rows whose TimeGenerated or Timestamp is at or after it are
    /// left out (counted on standard error), as that run has not seen them.
    /// Without it, a query that names `ago()` or `now()` is an error: the
    /// evaluator never reads the machine's clock.
    #[arg(long, value_name = "DATETIME")]
    pub now: Option<String>,
}

/// Run `huntlab kql`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Run(a) => run_query(&a),
    }
}

fn run_query(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let stdin = args.query.as_os_str() == "-";
    let text = if stdin {
        io::read_to_string(io::stdin()).context("cannot read the query from standard input")?
    } else {
        std::fs::read_to_string(&args.query).with_context(|| {
            format!(
                "cannot read query file {} (give a file holding the query, or - to read it from standard input)",
                args.query.display()
            )
        })?
    };
    let shown = if stdin {
        "<stdin>".to_owned()
    } else {
        args.query.display().to_string()
    };
    // Parse before reading any table, so a query error comes first and fast.
    let query = Query::parse(&text).map_err(|e| anyhow::anyhow!("{shown}:{e}"))?;
    let now = match &args.now {
        Some(t) => Some(kql_eval::value::parse_datetime(t, false).with_context(|| {
            format!("--now {t:?}: expected an ISO 8601 UTC time such as 2026-05-21T09:00:00Z")
        })?),
        None => None,
    };
    let mut tables = Tables::new();
    for spec in &args.tables {
        let (name, path) = spec
            .split_once('=')
            .filter(|(n, p)| !n.is_empty() && !p.is_empty())
            .with_context(|| format!("--table {spec:?}: expected NAME=FILE"))?;
        if tables.contains_key(name) {
            bail!("--table {name} is given twice");
        }
        let (table, later) = read_table(name, Path::new(path), now)?;
        if later > 0 {
            crate::note!(
                "huntlab: kql run: {later} row(s) of {name} are at or after --now and were left out, as a run at that time has not seen them"
            );
        }
        tables.insert(name.to_owned(), table);
    }
    let result = match now {
        Some(now) => query.run_at(&tables, now),
        None => query.run(&tables),
    };
    let result = result.map_err(|e| match e.pos() {
        Some(_) => anyhow::anyhow!("{shown}:{e}"),
        None => anyhow::anyhow!("{shown}: {e}"),
    })?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        for row in result.to_json_rows() {
            writeln!(out, "{}", crate::escape::json_text(&Json::Object(row)))?;
        }
    } else {
        write_text(&mut out, &result)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A JSON Lines file as a table: every non-blank line must be a JSON object.
/// A network table's rows get every documented column they lack, null (a
/// firewall's rows carry no `RequestURL`, a proxy's no `SourcePort`; the
/// exported queries name both, as Sentinel's table has both). With `now`
/// (100 ns ticks), a row whose `TimeGenerated` or `Timestamp` is at or after
/// it is left out and counted: the table as it stands when a run at `now`
/// reads it.
fn read_table(name: &str, path: &Path, now: Option<i64>) -> anyhow::Result<(DataTable, u64)> {
    let mut later = 0u64;
    let is_later = |map: &serde_json::Map<String, Json>| {
        let Some(now) = now else { return false };
        ["TimeGenerated", "Timestamp"].iter().any(|c| {
            map.get(*c)
                .and_then(Json::as_str)
                .and_then(|t| kql_eval::value::parse_datetime(t, true))
                .is_some_and(|t| t >= now)
        })
    };
    let file =
        File::open(path).with_context(|| format!("cannot read table file {}", path.display()))?;
    let mut rows = Vec::new();
    for item in Lines::new(BufReader::new(file)) {
        let (n, line) = item.with_context(|| format!("cannot read {}", path.display()))?;
        let text = match line {
            Line::Text(t) => t,
            Line::Blank => continue,
            other => bail!(
                "{}:{n}: {}",
                path.display(),
                other.error().unwrap_or_default()
            ),
        };
        match serde_json::from_str::<Json>(&text) {
            Ok(Json::Object(map)) if is_later(&map) => later += 1,
            Ok(Json::Object(map)) => rows.push(crate::deployed::documented(name, map)),
            Ok(_) => bail!("{}:{n}: not a JSON object", path.display()),
            Err(e) => bail!("{}:{n}: invalid JSON: {e}", path.display()),
        }
    }
    Ok((DataTable::from_json_rows(&rows), later))
}

/// The widest a text cell is shown.
const MAX_CELL: usize = 60;

fn cell(v: &Value) -> String {
    let text = match v {
        Value::Null => String::new(),
        Value::String(s) => s.to_string(),
        other => match other.to_json() {
            Json::String(s) => s,
            j => j.to_string(),
        },
    };
    let text = esc(&text);
    if text.chars().count() > MAX_CELL {
        let cut: String = text.chars().take(MAX_CELL - 1).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// The result as an aligned text table, then its row count.
fn write_text(out: &mut impl Write, t: &DataTable) -> io::Result<()> {
    let header: Vec<String> = t.columns().iter().map(|c| esc(&c.name)).collect();
    let cells: Vec<Vec<String>> = t
        .rows()
        .iter()
        .map(|r| r.iter().map(cell).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |out: &mut dyn Write, items: &[String]| -> io::Result<()> {
        let padded: Vec<String> = items
            .iter()
            .zip(&widths)
            .map(|(s, w)| format!("{s}{}", " ".repeat(w - s.chars().count())))
            .collect();
        writeln!(out, "{}", padded.join("  ").trim_end())
    };
    if !header.is_empty() {
        line(out, &header)?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(out, &rule)?;
    }
    for row in &cells {
        line(out, row)?;
    }
    let n = t.len();
    writeln!(out, "({n} row{})", if n == 1 { "" } else { "s" })
}
