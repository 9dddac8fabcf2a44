//! Windows path helpers.

/// The last component of a Windows path.
pub fn basename(path: &str) -> &str {
    path.rsplit(['\\', '/']).next().unwrap_or(path)
}

/// The folder of a Windows path (without the trailing backslash).
pub fn dirname(path: &str) -> &str {
    path.rfind('\\').map_or("", |i| &path[..i])
}
