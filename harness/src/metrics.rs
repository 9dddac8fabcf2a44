//! Confusion matrices and the ratios derived from them.

use serde::{Serialize, Serializer};

/// A map by name with foldhash's fixed seed, for counts looked up on every
/// row (never listed in its order: what is listed is sorted first).
pub type FoldMap<V> = std::collections::HashMap<String, V, foldhash::fast::FixedState>;

/// A confusion matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Confusion {
    /// Malicious and flagged.
    pub tp: u64,
    /// Benign and flagged.
    pub fp: u64,
    /// Malicious and not flagged.
    pub fn_: u64,
    /// Benign and not flagged.
    pub tn: u64,
}

fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| round(num as f64 / den as f64))
}

/// Round to six decimals, so reports do not carry float noise.
pub fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl Confusion {
    /// Count one row (or host).
    pub fn add(&mut self, truth: bool, flagged: bool) {
        match (truth, flagged) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }

    /// Sum of two matrices.
    pub fn merge(&mut self, o: &Confusion) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        self.tn += o.tn;
    }

    /// Everything counted.
    pub fn total(&self) -> u64 {
        self.tp + self.fp + self.fn_ + self.tn
    }

    /// TP / (TP + FP); `None` when nothing was flagged.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }

    /// TP / (TP + FN); `None` when nothing was malicious.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall; `None` when either is undefined,
    /// 0 when both are 0.
    pub fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        Some(if p + r == 0.0 {
            0.0
        } else {
            round(2.0 * p * r / (p + r))
        })
    }
}

/// The JSON form: counts and ratios side by side (`null` where undefined).
#[derive(Serialize)]
struct ConfusionJson {
    tp: u64,
    fp: u64,
    #[serde(rename = "fn")]
    fn_: u64,
    tn: u64,
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
}

impl Serialize for Confusion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ConfusionJson {
            tp: self.tp,
            fp: self.fp,
            fn_: self.fn_,
            tn: self.tn,
            precision: self.precision(),
            recall: self.recall(),
            f1: self.f1(),
        }
        .serialize(s)
    }
}

/// Format a ratio for people: `0.875` or `n/a`.
pub fn fmt_ratio(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.3}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios() {
        let c = Confusion {
            tp: 3,
            fp: 1,
            fn_: 1,
            tn: 10,
        };
        assert_eq!(c.precision(), Some(0.75));
        assert_eq!(c.recall(), Some(0.75));
        assert_eq!(c.f1(), Some(0.75));
        assert_eq!(Confusion::default().precision(), None);
        let zero = Confusion {
            tp: 0,
            fp: 2,
            fn_: 2,
            tn: 0,
        };
        assert_eq!(zero.f1(), Some(0.0));
    }
}
