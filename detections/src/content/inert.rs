//! Predicates no row can hold: a hunt's (or an exclusion's) field that none
//! of the kinds of row it reads (applies to) carries, as the engine maps rows
//! (`Event::field`): a query name only on DNS rows; a file's path, name and
//! digests only on file and process rows; the network fields only on network
//! rows; the acting process's fields on every kind (a sensor names it on
//! each). Such a predicate is a load error unless the hunt or exclusion
//! declares it `inert` with a reason (an imported literal reading keeps what
//! the page wrote); `lint` reports each declared one.

use super::cond::Cond;
use crate::event::Field;
use crate::spec::RowKind;

/// Whether some row of `kind` carries `field`.
pub fn carries(kind: RowKind, field: Field) -> bool {
    match field {
        Field::QueryName => kind == RowKind::Dns,
        Field::FilePath | Field::FileName | Field::Sha256 | Field::Sha1 | Field::Md5 => {
            matches!(kind, RowKind::File | RowKind::Process)
        }
        Field::RemoteIp | Field::SourceIp | Field::Url | Field::RemoteHost => {
            kind == RowKind::Network
        }
        _ => true,
    }
}

/// The fields of `when`'s predicates that no kind of `kinds` carries, each
/// once, in the order first read.
pub fn uncarried(kinds: &[RowKind], when: &Cond) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    for t in when.predicates() {
        if !kinds.iter().any(|&k| carries(k, t.field)) && !out.contains(&t.field) {
            out.push(t.field);
        }
    }
    out
}

/// The load problem of a hunt or exclusion whose predicate no row it reads
/// can hold, unless it is declared `inert`.
pub(super) fn problem(kinds: &[RowKind], when: &Cond, inert: Option<&str>) -> Option<String> {
    let fields = uncarried(kinds, when);
    if fields.is_empty() || inert.is_some_and(|why| !why.trim().is_empty()) {
        return None;
    }
    let names: Vec<&str> = fields.iter().map(|&f| super::cond::field_name(f)).collect();
    let kinds: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
    Some(format!(
        "reads {} that no {} row carries: the predicate never holds; correct the field or the rows, or declare it with `inert = \"why\"`",
        names.join(", "),
        kinds.join(" or ")
    ))
}
