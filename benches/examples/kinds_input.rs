//! Writes the inputs of `benches/scan-kinds.sh` to a folder: for each table a
//! feed's indicators reach beyond DNS, a feed (a plain list, one indicator a
//! line, as `huntlab scan --iocs` reads it) and rows of the table against it
//! (JSON Lines, documented columns only), 15 rows in 1,000 planted hits as in
//! the `DnsEvents` input of `scan_input`:
//!
//! - `ip_port.txt`: `ip:port`s, hunted on `DeviceNetworkEvents.jsonl` and on
//!   `CommonSecurityLog-firewall.jsonl` (a firewall's traffic rows, with NAT);
//! - `url.txt`: URLs, hunted on `CommonSecurityLog-proxy.jsonl` (`RequestURL`);
//! - `sha256.txt`: SHA-256 digests, hunted on `DeviceFileEvents.jsonl`.
//!
//! Indicators and rows are `benches::kinds`'s (fixed seeds). Before it writes
//! a row, it checks that the row alerts exactly as planted under the generic
//! feed content `scan --iocs` hunts with, read and judged as `scan` judges a
//! line; a row that does not fails the run.
//!
//! Usage: `kinds_input DIR [IOCS] [ROWS]` (defaults 100,000 and 1,000,000).
//! Prints one line per table: its file, its feed and its planted hits.

use std::io::{BufWriter, Write};
use std::path::Path;

use benches::kinds::{self, Table, SCAN_RATE};
use detections::ioc::IocKind;
use detections::pipeline::Pipeline;

/// The inputs' seed.
const SEED: u64 = 21;

/// Writes the indicators to `dir/feed`, one a line.
fn write_feed(dir: &Path, feed: &str, values: &[String]) -> std::io::Result<()> {
    let mut f = BufWriter::new(std::fs::File::create(dir.join(feed))?);
    for v in values {
        writeln!(f, "{v}")?;
    }
    f.flush()
}

/// Writes `rows` rows of `table` against `values` to `dir/file`, each checked;
/// the planted hits.
fn write_rows(
    dir: &Path,
    file: &str,
    kind: IocKind,
    table: Table,
    values: &[String],
    rows: usize,
) -> std::io::Result<usize> {
    let det = kinds::load_feed(kind, values)
        .unwrap_or_else(|e| panic!("the feed content loads the {kind} indicators: {e}"));
    let mut p = Pipeline::new(&det);
    let mut f = BufWriter::new(std::fs::File::create(dir.join(file))?);
    let mut planted = 0;
    let mut written = Ok(());
    kinds::table_rows(kind, table, values, rows, SEED, SCAN_RATE, |line, hit| {
        if let Err(m) = kinds::check_row(&mut p, &det, kind, &line, hit) {
            panic!(
                "{file}: a row does not alert as planted ({}): {}",
                m.what, m.line
            );
        }
        planted += usize::from(hit);
        if written.is_ok() {
            written = writeln!(f, "{line}");
        }
    });
    written?;
    f.flush()?;
    Ok(planted)
}

fn main() -> std::io::Result<()> {
    let (dir, iocs, rows) = benches::example_args();
    std::fs::create_dir_all(&dir)?;
    let cases = [
        (
            IocKind::IpPort,
            "ip_port.txt",
            Table::DeviceNetworkEvents,
            "DeviceNetworkEvents.jsonl",
        ),
        (
            IocKind::IpPort,
            "ip_port.txt",
            Table::Firewall,
            "CommonSecurityLog-firewall.jsonl",
        ),
        (
            IocKind::Url,
            "url.txt",
            Table::Proxy,
            "CommonSecurityLog-proxy.jsonl",
        ),
        (
            IocKind::Sha256,
            "sha256.txt",
            Table::DeviceFileEvents,
            "DeviceFileEvents.jsonl",
        ),
    ];
    for (kind, feed, table, file) in cases {
        let values = kinds::indicators(kind, iocs, SEED);
        write_feed(&dir, feed, &values)?;
        let planted = write_rows(&dir, file, kind, table, &values, rows)?;
        println!("{file} {feed} {planted}");
    }
    Ok(())
}
