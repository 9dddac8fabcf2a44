//! An IPv4 address's dotted-decimal text read in one pass over its bytes:
//! exactly the texts `std`'s `Ipv4Addr` parser reads (four numbers from 0 to
//! 255, one to three digits each, without a leading zero, separated by
//! dots), to the same address. The address matcher tries it first on every
//! row, and `std`'s parser only on what it does not read (IPv6, brackets).

use std::net::Ipv4Addr;

/// The address `s` writes, if it is an IPv4 address in dotted-decimal form.
pub(super) fn parse(s: &str) -> Option<Ipv4Addr> {
    let b = s.as_bytes();
    if !(7..=15).contains(&b.len()) {
        return None;
    }
    let mut octets = [0u8; 4];
    let mut at = 0;
    for (n, octet) in octets.iter_mut().enumerate() {
        if n > 0 {
            if b.get(at) != Some(&b'.') {
                return None;
            }
            at += 1;
        }
        let start = at;
        let mut v = 0u32;
        while at - start < 3 {
            match b.get(at) {
                Some(&d) if d.is_ascii_digit() => v = v * 10 + u32::from(d - b'0'),
                _ => break,
            }
            at += 1;
        }
        let digits = at - start;
        if digits == 0 || (digits > 1 && b[start] == b'0') {
            return None;
        }
        *octet = u8::try_from(v).ok()?;
    }
    (at == b.len()).then_some(Ipv4Addr::from(octets))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_what_std_reads_and_nothing_else() {
        for s in [
            "0.0.0.0",
            "198.51.100.7",
            "255.255.255.255",
            "1.2.3.4",
            "10.0.0.255",
        ] {
            assert_eq!(parse(s), s.parse().ok(), "{s}");
            assert!(parse(s).is_some(), "{s}");
        }
        for s in [
            "",
            "1.2.3",
            "1.2.3.4.",
            ".1.2.3.4",
            "1.2.3.4.5",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3.00",
            "1.2.3.0004",
            "1..2.3",
            "1.2.3.4 ",
            " 1.2.3.4",
            "1.2.3.-4",
            "1.2.3.+4",
            "1.2.3.a",
            "::ffff:1.2.3.4",
            "[1.2.3.4]",
            "1.2.3.4:80",
            "1.2.3.４",
        ] {
            assert_eq!(parse(s), None, "{s}");
            assert_eq!(s.parse::<Ipv4Addr>().ok(), None, "{s}");
        }
    }

    proptest! {
        #[test]
        fn agrees_with_std_on_any_text_of_digits_and_dots(
            s in "[0-9.]{0,17}",
        ) {
            prop_assert_eq!(parse(&s), s.parse::<Ipv4Addr>().ok());
        }

        #[test]
        fn agrees_with_std_on_every_address_and_its_neighbours(
            a in any::<u32>(),
            edit in 0usize..4,
            at in 0usize..16,
            c in prop::sample::select(vec!['0', '9', '.', 'a', ':', ' ']),
        ) {
            let s = Ipv4Addr::from(a).to_string();
            prop_assert_eq!(parse(&s), Some(Ipv4Addr::from(a)));
            let mut t: Vec<char> = s.chars().collect();
            let at = at.min(t.len());
            match edit {
                0 => t.insert(at, c),
                1 if at < t.len() => { t.remove(at); }
                2 if at < t.len() => t[at] = c,
                _ => t.push(c),
            }
            let t: String = t.into_iter().collect();
            prop_assert_eq!(parse(&t), t.parse::<Ipv4Addr>().ok(), "{}", t);
        }
    }
}
