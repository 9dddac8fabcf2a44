//! A detection content file: an error naming its problems or a compiled
//! detection, never a panic; a compiled one judges a row.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(det) = detections::load(text, "fuzz.toml", detections::Engine::Fast) {
        let mut p = detections::pipeline::Pipeline::new(&det);
        let _ = p.judge_line(r#"{"Type":"DnsEvents","Name":"a.estaliax.io","Computer":"h"}"#);
    }
});
