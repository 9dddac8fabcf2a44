//! How to run the generator: the run seed, the scale and the window. Values are
//! checked once, when they are set, so an [`Options`] is always valid.

/// The largest scale: past it a run takes hours and its output gigabytes (memory
/// stays flat up to it; see `docs/benchmarks.md`).
pub const MAX_SCALE: f64 = 1000.0;

/// The longest window, in hours: a leap year.
pub const MAX_HOURS: f64 = 24.0 * 366.0;

/// A run option with a value that is not allowed. Each message starts with the
/// option's name.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum OptionsError {
    /// The scale is not a positive finite number.
    #[error("scale must be a positive number, got {0}")]
    Scale(f64),
    /// The scale is above [`MAX_SCALE`].
    #[error("scale must be at most {max}, got {0}", max = MAX_SCALE)]
    ScaleTooLarge(f64),
    /// The window is not a positive number of hours, or longer than
    /// [`MAX_HOURS`].
    #[error("hours must be a positive number of at most a year ({max}), got {0}", max = MAX_HOURS)]
    Hours(f64),
}

/// How to run the generator (and the harness's run of the library): always
/// valid. The default is seed 0, scale 1 and each scenario's own window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    rng_seed: u64,
    scale: f64,
    start_ms: Option<i64>,
    hours: Option<f64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rng_seed: 0,
            scale: 1.0,
            start_ms: None,
            hours: None,
        }
    }
}

impl Options {
    /// A seed and a scale; every scenario keeps its own window.
    pub fn new(rng_seed: u64, scale: f64) -> Result<Options, OptionsError> {
        Options::default().with_rng_seed(rng_seed).with_scale(scale)
    }

    /// With this run seed.
    pub fn with_rng_seed(self, rng_seed: u64) -> Options {
        Options { rng_seed, ..self }
    }

    /// With this scale: a positive finite number of at most [`MAX_SCALE`].
    pub fn with_scale(self, scale: f64) -> Result<Options, OptionsError> {
        if !(scale.is_finite() && scale > 0.0) {
            return Err(OptionsError::Scale(scale));
        }
        if scale > MAX_SCALE {
            return Err(OptionsError::ScaleTooLarge(scale));
        }
        Ok(Options { scale, ..self })
    }

    /// With every scenario's window moved to start here (ms since the epoch).
    pub fn with_start_ms(self, start_ms: i64) -> Options {
        Options {
            start_ms: Some(start_ms),
            ..self
        }
    }

    /// With every scenario's window this many hours long: a positive number of at
    /// most [`MAX_HOURS`].
    pub fn with_hours(self, hours: f64) -> Result<Options, OptionsError> {
        if !(hours.is_finite() && hours > 0.0 && hours <= MAX_HOURS) {
            return Err(OptionsError::Hours(hours));
        }
        Ok(Options {
            hours: Some(hours),
            ..self
        })
    }

    /// The run seed, mixed with each scenario's own seed. The same seed gives the
    /// same bytes; another seed gives other, equally valid telemetry.
    pub fn rng_seed(&self) -> u64 {
        self.rng_seed
    }

    /// Multiplies the frequency of every rate- or interval-driven activity
    /// (background lookups, job runs, extra names); NanoCore's own timing
    /// (client delays, keep-alives, reboots) does not scale.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Where every scenario's window starts (ms since the epoch); `None` keeps
    /// each scenario's own start.
    pub fn start_ms(&self) -> Option<i64> {
        self.start_ms
    }

    /// How long every scenario's window is, in hours; `None` keeps each
    /// scenario's own length.
    pub fn hours(&self) -> Option<f64> {
        self.hours
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_are_errors_never_defaults() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(
                matches!(Options::new(0, bad), Err(OptionsError::Scale(_))),
                "{bad}"
            );
        }
        assert_eq!(
            Options::new(0, 1001.0),
            Err(OptionsError::ScaleTooLarge(1001.0))
        );
        for bad in [0.0, -2.0, 8785.0, f64::NAN] {
            assert!(Options::default().with_hours(bad).is_err(), "{bad}");
        }
        let o = Options::new(7, 1000.0)
            .and_then(|o| o.with_hours(8784.0))
            .expect("valid")
            .with_start_ms(5);
        assert_eq!(
            (o.rng_seed(), o.scale(), o.hours(), o.start_ms()),
            (7, 1000.0, Some(8784.0), Some(5))
        );
        assert_eq!(
            OptionsError::ScaleTooLarge(2e9).to_string(),
            "scale must be at most 1000, got 2000000000"
        );
        assert_eq!(
            OptionsError::Hours(-1.0).to_string(),
            "hours must be a positive number of at most a year (8784), got -1"
        );
    }
}
