//! The six sample pages and the source page, as the import tests read them.

/// Each page's name (its file stem) and text.
pub const PAGES: [(&str, &str); 7] = [
    (
        "sample-asyncrat-ip",
        include_str!("../fixtures/published/sample-asyncrat-ip.md"),
    ),
    (
        "sample-nanocore-hash",
        include_str!("../fixtures/published/sample-nanocore-hash.md"),
    ),
    (
        "sample-nanocore-mixed",
        include_str!("../fixtures/published/sample-nanocore-mixed.md"),
    ),
    (
        "sample-unknown-rat-url",
        include_str!("../fixtures/published/sample-unknown-rat-url.md"),
    ),
    (
        "sample-urlhaus",
        include_str!("../fixtures/published/sample-urlhaus.md"),
    ),
    (
        "sample-flat-remcos",
        include_str!("../fixtures/published/sample-flat-remcos.txt"),
    ),
    (
        "nanocore-rat-hunt",
        include_str!("../fixtures/published/nanocore-rat-hunt.txt"),
    ),
];
