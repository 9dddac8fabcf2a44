//! The functions the network export forms use: `tolong`, and
//! `ipv4_is_in_any_range` / `ipv6_is_in_any_range` over addresses as rows
//! write them (IPv4, IPv6, IPv4-mapped IPv6), ranges and plain addresses.

#[path = "support/kql.rs"]
mod support;
use support::*;

fn addresses() -> Tables {
    tables(&[(
        "T",
        json!([
            {"Ip": "198.51.100.23", "Port": "54984"},
            {"Ip": "::ffff:198.51.100.23", "Port": "0080"},
            {"Ip": "198.51.101.1", "Port": ""},
            {"Ip": "2001:db8::7", "Port": "x"},
            {"Ip": "not an address", "Port": "99999999999999999999"}
        ]),
    )])
}

#[test]
fn ipv4_is_in_any_range_reads_ipv4_only_and_is_null_elsewhere() {
    let q = r#"T
| extend In = ipv4_is_in_any_range(Ip, dynamic(["198.51.100.0/24", "203.0.113.9"]))
| project Ip, In"#;
    assert_eq!(
        rows(q, &addresses()),
        [
            json!({"Ip": "198.51.100.23", "In": true}),
            json!({"Ip": "::ffff:198.51.100.23", "In": null}),
            json!({"Ip": "198.51.101.1", "In": false}),
            json!({"Ip": "2001:db8::7", "In": null}),
            json!({"Ip": "not an address", "In": null}),
        ]
    );
    // Ranges as separate arguments, and a /0 and /32.
    let q =
        r#"T | where ipv4_is_in_any_range(Ip, "203.0.113.0/24", "198.51.101.1/32") | project Ip"#;
    assert_eq!(rows(q, &addresses()), [json!({"Ip": "198.51.101.1"})]);
    let q = r#"T | where ipv4_is_in_any_range(Ip, "0.0.0.0/0") | project Ip"#;
    assert_eq!(rows(q, &addresses()).len(), 2);
}

#[test]
fn ipv6_is_in_any_range_reads_ipv4_as_mapped() {
    let q = r#"T
| extend Mapped = ipv6_is_in_any_range(Ip, dynamic(["::ffff:198.51.100.0/120"])),
    Doc = ipv6_is_in_any_range(Ip, "2001:db8::/32"),
    V4Range = ipv6_is_in_any_range(Ip, "198.51.100.0/24")
| project Ip, Mapped, Doc, V4Range"#;
    assert_eq!(
        rows(q, &addresses()),
        [
            json!({"Ip": "198.51.100.23", "Mapped": true, "Doc": false, "V4Range": true}),
            json!({"Ip": "::ffff:198.51.100.23", "Mapped": true, "Doc": false, "V4Range": true}),
            json!({"Ip": "198.51.101.1", "Mapped": false, "Doc": false, "V4Range": false}),
            json!({"Ip": "2001:db8::7", "Mapped": false, "Doc": true, "V4Range": false}),
            json!({"Ip": "not an address", "Mapped": null, "Doc": null, "V4Range": null}),
        ]
    );
    // A range that is not an address, or a prefix too long, is null.
    let q = r#"T | extend X = ipv6_is_in_any_range(Ip, "2001:db8::/129") | where isnull(X) | project Ip"#;
    assert_eq!(rows(q, &addresses()).len(), 5);
}

#[test]
fn tolong_reads_whole_numbers_and_is_null_elsewhere() {
    let q = r#"T | project P = tolong(Port), Big = tolong(Port) > 65535"#;
    assert_eq!(
        rows(q, &addresses()),
        [
            json!({"P": 54984, "Big": false}),
            json!({"P": 80, "Big": false}),
            json!({"P": null, "Big": null}),
            json!({"P": null, "Big": null}),
            json!({"P": null, "Big": null}),
        ]
    );
}
