//! `docs/fields.md` is the text [`sources::fields_md`] generates; with
//! `HUNTLAB_BLESS=1` this test writes it.

use std::path::PathBuf;

#[test]
fn docs_fields_md_is_generated_from_the_sources() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/fields.md");
    let text = sources::fields_md();
    if std::env::var_os("HUNTLAB_BLESS").is_some() {
        std::fs::write(&path, &text).expect("docs/fields.md written");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "docs/fields.md is stale: regenerate it with `{}`",
        sources::REGENERATE
    );
}
