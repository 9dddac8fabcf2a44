//! File hashes: lower-case hexadecimal digits, as many as the algorithm gives
//! (SHA-256 64, SHA-1 40, MD5 32).

use super::domain::Normalisation;
use super::kind::IocKind;
use super::net::lower;

/// How many hexadecimal digits a hash of `kind` has.
pub fn digits(kind: IocKind) -> usize {
    match kind {
        IocKind::Sha256 => 64,
        IocKind::Sha1 => 40,
        _ => 32,
    }
}

/// A hash of `kind` (a hash kind), lower-cased (noted), or what is wrong.
pub fn hash(kind: IocKind, v: &str, changes: &mut Vec<Normalisation>) -> Result<String, String> {
    if !v.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("only hexadecimal digits (`0-9`, `a-f`) may appear in a hash".into());
    }
    let want = digits(kind);
    if v.len() != want {
        let other = [IocKind::Sha256, IocKind::Sha1, IocKind::Md5]
            .into_iter()
            .find(|k| digits(*k) == v.len())
            .map(|k| format!(" (is it of type `{}`?)", k.name()))
            .unwrap_or_default();
        return Err(format!(
            "a {} has {want} hexadecimal digits, this has {}{other}",
            kind.label(),
            v.len()
        ));
    }
    Ok(lower(v, changes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_lower_case_hex_of_their_length() {
        let mut changes = Vec::new();
        let md5 = "D41D8CD98F00B204E9800998ECF8427E";
        assert_eq!(
            hash(IocKind::Md5, md5, &mut changes).as_deref(),
            Ok("d41d8cd98f00b204e9800998ecf8427e")
        );
        assert_eq!(changes, [Normalisation::LowerCased]);
        assert_eq!(
            hash(IocKind::Sha256, md5, &mut Vec::new()),
            Err("a SHA-256 has 64 hexadecimal digits, this has 32 (is it of type `md5`?)".into())
        );
        assert!(hash(IocKind::Sha1, &"g".repeat(40), &mut Vec::new()).is_err());
        let sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
        assert_eq!(
            hash(IocKind::Sha1, sha1, &mut Vec::new()).as_deref(),
            Ok(sha1)
        );
    }
}
