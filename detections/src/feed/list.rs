//! One value per line. Blank lines and lines starting with `#` are skipped; a
//! `#` after white space starts a comment (`estaliax.io  # C2`). Each value is
//! judged on its own: a value of any indicator kind is accepted (its kind told
//! by its shape), anything else rejected with its reason.

use super::value::{Collector, Declared};
use super::{FeedFields, Location};

/// Read a plain list into `c`.
pub fn read(text: &str, c: &mut Collector) {
    c.reserve(text.bytes().filter(|&b| b == b'\n').count() + 1);
    for (i, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let comment = line
            .match_indices('#')
            .find(|(h, _)| line[..*h].ends_with([' ', '\t']))
            .map(|(h, _)| h);
        let value = comment.map_or(line, |h| line[..h].trim_end());
        if value.trim().is_empty() || value.trim_start().starts_with('#') {
            continue;
        }
        c.offer(
            Location::line(i as u64 + 1),
            value,
            &Declared::Unspecified,
            FeedFields::default(),
        );
    }
}
