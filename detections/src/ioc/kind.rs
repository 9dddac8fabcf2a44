//! The kinds of indicator: each kind's name (in content files and feeds), its
//! `values_from` list, which kinds a content's hunts may read, and the one
//! entry point that parses and normalises a value of it ([`IocKind::parse`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A kind of indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IocKind {
    /// A DNS name (`estaliax.io`).
    Domain,
    /// An IPv4 address (`198.51.100.7`).
    Ipv4,
    /// An IPv6 address (`2001:db8::7`).
    Ipv6,
    /// An IP address and port (`198.51.100.7:8080`, `[2001:db8::7]:8080`).
    IpPort,
    /// An address range (`198.51.100.0/24`, `2001:db8::/32`).
    Cidr,
    /// A URL (`http://estaliax.io/gate.php`).
    Url,
    /// A SHA-256 digest, 64 hexadecimal digits.
    Sha256,
    /// A SHA-1 digest, 40 hexadecimal digits.
    Sha1,
    /// An MD5 digest, 32 hexadecimal digits.
    Md5,
}

impl IocKind {
    /// Every kind, in the order [`IocKind::name`] lists them.
    pub const ALL: [IocKind; 9] = [
        IocKind::Domain,
        IocKind::Ipv4,
        IocKind::Ipv6,
        IocKind::IpPort,
        IocKind::Cidr,
        IocKind::Url,
        IocKind::Sha256,
        IocKind::Sha1,
        IocKind::Md5,
    ];

    /// The kinds whose lists a hunt's `values_from` may name: every kind.
    /// (Which of them a content's hunts read is the content's own affair:
    /// `Detection::hunted_kinds`.)
    pub const HUNTED: [IocKind; 9] = IocKind::ALL;

    /// The name in a content file's `type` and in feeds' JSON (`domain`,
    /// `ip_port`).
    pub fn name(self) -> &'static str {
        match self {
            IocKind::Domain => "domain",
            IocKind::Ipv4 => "ipv4",
            IocKind::Ipv6 => "ipv6",
            IocKind::IpPort => "ip_port",
            IocKind::Cidr => "cidr",
            IocKind::Url => "url",
            IocKind::Sha256 => "sha256",
            IocKind::Sha1 => "sha1",
            IocKind::Md5 => "md5",
        }
    }

    /// The name of the kind's list in a predicate's `values_from`
    /// (`iocs.domain`).
    pub fn values_from(self) -> &'static str {
        match self {
            IocKind::Domain => "iocs.domain",
            IocKind::Ipv4 => "iocs.ipv4",
            IocKind::Ipv6 => "iocs.ipv6",
            IocKind::IpPort => "iocs.ip_port",
            IocKind::Cidr => "iocs.cidr",
            IocKind::Url => "iocs.url",
            IocKind::Sha256 => "iocs.sha256",
            IocKind::Sha1 => "iocs.sha1",
            IocKind::Md5 => "iocs.md5",
        }
    }

    /// The kind whose list a `values_from` names, if any.
    pub fn of_values_from(list: &str) -> Option<IocKind> {
        IocKind::ALL.into_iter().find(|k| k.values_from() == list)
    }

    /// A label for people (`IPv4 address`, `SHA-256`).
    pub fn label(self) -> &'static str {
        match self {
            IocKind::Domain => "domain",
            IocKind::Ipv4 => "IPv4 address",
            IocKind::Ipv6 => "IPv6 address",
            IocKind::IpPort => "IP address and port",
            IocKind::Cidr => "CIDR range",
            IocKind::Url => "URL",
            IocKind::Sha256 => "SHA-256",
            IocKind::Sha1 => "SHA-1",
            IocKind::Md5 => "MD5",
        }
    }

    /// Whether a hunt's `values_from` may name this kind's list (every kind).
    pub fn hunted(self) -> bool {
        IocKind::HUNTED.contains(&self)
    }

    /// Whether this is a file hash.
    pub fn is_hash(self) -> bool {
        matches!(self, IocKind::Sha256 | IocKind::Sha1 | IocKind::Md5)
    }
}

/// A set of indicator kinds: one bit per kind, in [`IocKind::ALL`]'s order.
/// Copy, and no allocation: what a row's compact decision carries (the kinds
/// whose indicators a fired hunt matched, and those of its standing alert).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KindSet(u16);

impl KindSet {
    /// The empty set.
    pub const EMPTY: KindSet = KindSet(0);

    fn bit(k: IocKind) -> u16 {
        1 << (k as u16)
    }

    /// The set's bits (bit `i` for [`IocKind::ALL`]`[i]`).
    pub fn bits(self) -> u16 {
        self.0
    }

    /// The set of these bits; bits past the last kind are dropped.
    pub fn from_bits(bits: u16) -> KindSet {
        KindSet(bits & ((1 << IocKind::ALL.len()) - 1))
    }

    /// The set of one kind.
    pub fn of(k: IocKind) -> KindSet {
        KindSet(Self::bit(k))
    }

    /// Add a kind.
    pub fn insert(&mut self, k: IocKind) {
        self.0 |= Self::bit(k);
    }

    /// Whether the set holds `k`.
    pub fn contains(self, k: IocKind) -> bool {
        self.0 & Self::bit(k) != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The kinds of either set.
    pub fn union(self, other: KindSet) -> KindSet {
        KindSet(self.0 | other.0)
    }

    /// The kinds of this set not in `other`.
    pub fn without(self, other: KindSet) -> KindSet {
        KindSet(self.0 & !other.0)
    }

    /// The number of kinds in the set.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The kinds, in [`IocKind::ALL`]'s order.
    pub fn iter(self) -> impl Iterator<Item = IocKind> {
        IocKind::ALL.into_iter().filter(move |k| self.contains(*k))
    }
}

impl FromIterator<IocKind> for KindSet {
    fn from_iter<I: IntoIterator<Item = IocKind>>(iter: I) -> Self {
        let mut s = KindSet::EMPTY;
        for k in iter {
            s.insert(k);
        }
        s
    }
}

impl fmt::Display for IocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for IocKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        IocKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = IocKind::ALL.iter().map(|k| k.name()).collect();
                format!("unknown IOC type `{s}` (known: {})", names.join(", "))
            })
    }
}

impl Serialize for IocKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for IocKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_lists_are_fixed() {
        let names: Vec<&str> = IocKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(
            names,
            ["domain", "ipv4", "ipv6", "ip_port", "cidr", "url", "sha256", "sha1", "md5"]
        );
        for k in IocKind::ALL {
            assert_eq!(k.values_from(), format!("iocs.{}", k.name()));
            assert_eq!(IocKind::of_values_from(k.values_from()), Some(k));
            assert_eq!(k.name().parse::<IocKind>(), Ok(k));
            assert_eq!(k.to_string(), k.name());
        }
        assert_eq!(IocKind::of_values_from("iocs.hostname"), None);
        assert!("ip".parse::<IocKind>().is_err());
        assert_eq!(IocKind::HUNTED, IocKind::ALL);
        assert!(IocKind::ALL.into_iter().all(IocKind::hunted));
    }

    #[test]
    fn a_kind_set_holds_each_kind_once_in_order() {
        let mut s = KindSet::EMPTY;
        assert!(s.is_empty());
        for k in IocKind::ALL.into_iter().rev() {
            s.insert(k);
            s.insert(k);
            assert!(s.contains(k));
        }
        assert_eq!(s.len(), IocKind::ALL.len());
        assert_eq!(s.iter().collect::<Vec<_>>(), IocKind::ALL);
        let addr: KindSet = [IocKind::IpPort, IocKind::Ipv4].into_iter().collect();
        assert_eq!(
            addr.iter().collect::<Vec<_>>(),
            [IocKind::Ipv4, IocKind::IpPort]
        );
        let both = addr.union(KindSet::of(IocKind::Md5));
        assert_eq!(both.len(), 3);
        assert_eq!(both.without(addr), KindSet::of(IocKind::Md5));
        assert!(!addr.contains(IocKind::Domain));
    }

    #[test]
    fn serialises_as_its_name() {
        let json = serde_json::to_string(&IocKind::IpPort).unwrap();
        assert_eq!(json, "\"ip_port\"");
        assert_eq!(
            serde_json::from_str::<IocKind>(&json).unwrap(),
            IocKind::IpPort
        );
        assert!(serde_json::from_str::<IocKind>("\"ip\"").is_err());
    }
}
