//! One value read as an indicator of every kind, and as the kind it is
//! written as (what a plain list does): an error, whose message is written, or
//! a value, never a panic. A value read is normalised: read again as the kind
//! it is, it is itself with no change (normalising is idempotent); its kind is
//! the kind read, but for an IPv4-mapped IPv6 address, which is IPv4; and a
//! value of any kind but a domain is written as its kind (`IocKind::infer`
//! gives it back). Refanging ends: a refanged value has nothing left to refang.
#![no_main]

use detections::ioc::{refang, IocKind};
use libfuzzer_sys::fuzz_target;

fn read(kind: IocKind, raw: &str) {
    let p = match kind.parse(raw) {
        Ok(p) => p,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    assert!(!p.value.is_empty(), "{kind} {raw:?}");
    let ipv6_as_v4 = kind == IocKind::Ipv6 && p.kind == IocKind::Ipv4;
    assert!(
        p.kind == kind || ipv6_as_v4,
        "{kind} {raw:?} read as {}",
        p.kind
    );
    let again = p.kind.parse(&p.value).unwrap_or_else(|e| {
        panic!(
            "{kind} {raw:?} gave {:?}, which does not read: {e}",
            p.value
        )
    });
    assert_eq!(
        (again.kind, &again.value),
        (p.kind, &p.value),
        "{kind} {raw:?}: normalising twice"
    );
    assert!(
        again.changes.is_empty(),
        "{kind} {raw:?} gave {:?}, changed again: {:?}",
        p.value,
        again.changes
    );
    if p.kind != IocKind::Domain {
        assert_eq!(
            IocKind::infer(&p.value),
            p.kind,
            "{kind} {raw:?} gave {:?}",
            p.value
        );
    }
}

fuzz_target!(|raw: &str| {
    for kind in IocKind::ALL {
        read(kind, raw);
    }
    read(IocKind::infer(raw), raw);
    if let Some(v) = refang(raw) {
        assert_eq!(
            refang(&v),
            None,
            "{raw:?} refanged to {v:?}, which refangs again"
        );
    }
});
