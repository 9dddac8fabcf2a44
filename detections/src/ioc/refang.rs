//! Refanging: the defanged forms analysts write so that an indicator is not a
//! live link (`hxxp://`, `[.]`, `[:]`), turned back into what they stand for.

/// Defanged forms and what each stands for. A domain is refanged by the first
/// four only (see `normalize_domain`).
const DEFANGED: [(&str, &str); 6] = [
    ("[.]", "."),
    ("(.)", "."),
    ("[dot]", "."),
    ("{.}", "."),
    ("[://]", "://"),
    ("[:]", ":"),
];

/// `v` refanged (`hxxp`, `[.]`, `[:]`, ...) until no defanged form is left;
/// `None` when nothing changes. Domains are refanged by
/// `normalize_domain`.
pub fn refang(v: &str) -> Option<String> {
    let mut out = refang_once(v)?;
    while let Some(again) = refang_once(&out) {
        out = again;
    }
    Some(out)
}

/// `v` refanged once, if it holds a defanged form: the forms above anywhere,
/// and a leading `hxxp` (any case) read as `http`.
fn refang_once(v: &str) -> Option<String> {
    let mut out: Option<String> = None;
    if v.get(..4).is_some_and(|s| s.eq_ignore_ascii_case("hxxp")) {
        out = Some(format!("http{}", &v[4..]));
    }
    // Every defanged form opens with `[`, `(` or `{`: most values hold none.
    if memchr::memchr3(b'[', b'(', b'{', v.as_bytes()).is_some() {
        for (defanged, fanged) in DEFANGED {
            let cur = out.as_deref().unwrap_or(v);
            if cur.contains(defanged) {
                out = Some(cur.replace(defanged, fanged));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refangs_each_form() {
        assert_eq!(
            refang("hXXps://x[.]io[:]8443/a(.)b").as_deref(),
            Some("https://x.io:8443/a.b")
        );
        assert_eq!(
            refang("hxxp[://]x[dot]io{.}").as_deref(),
            Some("http://x.io.")
        );
        assert_eq!(refang("1[.]2[.]3[.]4").as_deref(), Some("1.2.3.4"));
        assert_eq!(refang("[2001:db8::7]:8080"), None);
        assert_eq!(refang("http://x.io/"), None);
    }
}
