//! Value checks shared by parsing and lint: each names the field at fault.

use super::error::ScenarioError;

pub(super) struct Check<'a> {
    pub(super) origin: &'a str,
}

impl Check<'_> {
    pub(super) fn bad(&self, field: &str, message: impl Into<String>) -> ScenarioError {
        ScenarioError::Invalid {
            origin: self.origin.to_owned(),
            field: field.to_owned(),
            message: message.into(),
        }
    }

    pub(super) fn positive(&self, field: &str, v: f64) -> Result<f64, ScenarioError> {
        if v.is_finite() && v > 0.0 {
            Ok(v)
        } else {
            Err(self.bad(field, format!("must be a positive number, got {v}")))
        }
    }

    pub(super) fn non_negative(&self, field: &str, v: f64) -> Result<f64, ScenarioError> {
        if v.is_finite() && v >= 0.0 {
            Ok(v)
        } else {
            Err(self.bad(field, format!("must be zero or more, got {v}")))
        }
    }

    pub(super) fn share(&self, field: &str, v: f64) -> Result<f64, ScenarioError> {
        if (0.0..=1.0).contains(&v) {
            Ok(v)
        } else {
            Err(self.bad(field, format!("must be between 0 and 1, got {v}")))
        }
    }

    pub(super) fn text(&self, field: &str, v: &str) -> Result<(), ScenarioError> {
        if v.trim().is_empty() {
            Err(self.bad(field, "must not be empty"))
        } else {
            Ok(())
        }
    }
}
