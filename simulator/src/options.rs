//! How to run the generator: the run seed, the scale and the window.

/// How to run the generator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// The run seed, mixed with each scenario's own seed (default 0). The same
    /// seed gives the same bytes; another seed gives other, equally valid
    /// telemetry.
    pub seed: u64,
    /// Multiplies the frequency of every rate- or interval-driven activity
    /// (background lookups, job runs, extra names); NanoCore's own timing
    /// (client delays, keep-alives, reboots) does not scale. Default 1.0; a value
    /// that is not a positive finite number is treated as 1.0.
    pub scale: f64,
    /// Move every scenario's window to start here (ms since the epoch); `None`
    /// keeps each scenario's own start.
    pub start_ms: Option<i64>,
    /// Give every scenario a window of this many hours; `None` keeps each
    /// scenario's own length. A value that is not a positive finite number is
    /// treated as `None`.
    pub hours: Option<f64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: 0,
            scale: 1.0,
            start_ms: None,
            hours: None,
        }
    }
}
