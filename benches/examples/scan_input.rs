//! Writes the scan comparison's inputs to a folder: `feed.txt` (one domain a
//! line, the realistic feed of `benches::feed`) and `DnsEvents.jsonl` (names
//! against it, about 1.5 % hits). Usage: `scan_input DIR [IOCS] [ROWS]`
//! (defaults 100,000 and 1,000,000). Prints the planted hit count.

use std::io::Write;

fn main() -> std::io::Result<()> {
    let (dir, iocs, rows) = benches::example_args();
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
