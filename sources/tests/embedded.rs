//! Every column list in `schemas/` is embedded (`sources::SCHEMA_FILES`).

#[test]
fn every_list_in_the_folder_is_embedded() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".columns") || n.ends_with(".actiontypes"))
        .collect();
    on_disk.sort();
    let embedded: Vec<String> = sources::SCHEMA_FILES
        .iter()
        .map(|(n, _)| (*n).to_owned())
        .collect();
    assert_eq!(embedded, on_disk);
}
