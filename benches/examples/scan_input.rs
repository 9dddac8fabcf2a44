//! Writes the scan comparison's inputs to a folder: `feed.txt` (one domain a
//! line, the realistic feed of `benches::feed`) and `DnsEvents.jsonl` (names
//! against it, about 1.5 % hits). Usage: `scan_input DIR [IOCS] [ROWS]`
//! (defaults 100,000 and 1,000,000). Prints the planted hit count.

use std::io::Write;
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| ".".to_owned()));
    let iocs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let rows: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    std::fs::create_dir_all(&dir)?;
    let feed = benches::feed::feed(iocs, 11);
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join("feed.txt"))?);
    for d in &feed {
        writeln!(f, "{d}")?;
    }
    f.flush()?;
    let (names, hits) = benches::feed::names(rows, &feed, 7);
    std::fs::write(
        dir.join("DnsEvents.jsonl"),
        benches::feed::dns_events_jsonl(&names),
    )?;
    println!("{hits}");
    Ok(())
}
