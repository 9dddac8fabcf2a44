//! Indicators given in place of a content's own (an IOC feed's, read by
//! [`crate::feed`]): each value once, and of each kind they hold, in place of
//! the content's own of that kind.

use std::collections::BTreeSet;

use crate::ioc::{Ioc, IocKind};
use crate::key_index::KeyIndex;

/// The content's `own` indicators of the kinds `given` holds none of (in file
/// order), then `given`, each value once (the first kept): the given
/// indicators of a kind replace the content's own of it, and a kind they hold
/// none of keeps the content's own. A list with no value twice is moved, not
/// copied.
pub(super) fn in_place_of(own: Vec<Ioc>, given: Vec<Ioc>) -> Vec<Ioc> {
    let given = distinct(given);
    let given_kinds: BTreeSet<IocKind> = given.iter().map(|i| i.kind).collect();
    let mut out: Vec<Ioc> = own
        .into_iter()
        .filter(|i| !given_kinds.contains(&i.kind))
        .collect();
    if out.is_empty() {
        return given;
    }
    out.extend(given);
    out
}

/// `given`, each value once (the first kept); a list with no value twice is
/// kept as it is, not copied.
fn distinct(given: Vec<Ioc>) -> Vec<Ioc> {
    if KeyIndex::distinct(given.len(), |k| &given[k].value) {
        return given;
    }
    let mut iocs: Vec<Ioc> = Vec::with_capacity(given.len());
    let mut seen = KeyIndex::with_capacity(given.len());
    for ioc in given {
        if seen
            .insert(&ioc.value, iocs.len(), |k| &iocs[k].value)
            .is_none()
        {
            iocs.push(ioc);
        }
    }
    iocs
}
