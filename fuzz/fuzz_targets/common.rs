//! What every telemetry-format target checks: reading any bytes as the format
//! never panics, every item is a row, a blank line or a rejection, an error
//! ends the stream, and rows read = rows scored + rows rejected through the
//! scanner `huntlab scan` runs.

use harness::formats::{open, InputFormat, Options};
use std::sync::LazyLock;

use detections::Detection;
use harness::scan::{JoinMode, Scanner};

/// The seed content, compiled once.
static SEED: LazyLock<Detection> = LazyLock::new(|| detections::builtin(detections::Engine::Fast));

/// Small caps so the fuzzer reaches the limits quickly.
pub fn options(format: InputFormat) -> Options {
    Options {
        format,
        max_decompressed: 1 << 20,
        max_record: 4096,
        max_xml: 4096,
        max_depth: 8,
        max_field: 1024,
    }
}

/// Read `data` as `format` and judge every item.
pub fn read(data: &[u8], format: InputFormat) {
    let mut scanner = Scanner::new(detections::pipeline::Pipeline::new(&SEED), JoinMode::Wait(8));
    let mut out = Vec::new();
    let Ok(stream) = open(
        std::io::Cursor::new(data.to_vec()),
        "fuzz",
        &options(format),
    ) else {
        return;
    };
    let mut items = 0u64;
    for item in stream {
        let Ok(item) = item else { break };
        items += 1;
        let Ok(()) = scanner.item(0, item, &mut out);
    }
    let Ok(()) = scanner.finish(&mut out);
    let t = scanner.tally();
    assert_eq!(t.rows_read, t.rows_scored + t.rows_rejected);
    assert_eq!(t.rows_read + t.blank, items, "every item counted once");
    assert_eq!(out.len() as u64, t.rows_scored, "every scored row judged");
}
