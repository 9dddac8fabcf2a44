//! A condition as a disjunction of conjunctions of its predicates: what
//! Sigma writes (a list of maps) and what an attacker has to satisfy (any
//! one conjunction, whole).

use super::cond::{Cond, Dialect, Term};

/// The dialect that multiplies a condition out, `None` past `max`
/// conjunctions.
struct Dnf {
    max: usize,
}

impl<'c> Dialect<'c> for Dnf {
    type Out = Option<Vec<Vec<Term<'c>>>>;

    fn term(&self, t: Term<'c>) -> Self::Out {
        Some(vec![vec![t]])
    }

    fn any(&self, parts: Vec<Self::Out>) -> Self::Out {
        let mut out = Vec::new();
        for p in parts {
            out.extend(p?);
        }
        (out.len() <= self.max).then_some(out)
    }

    fn all(&self, parts: Vec<Self::Out>) -> Self::Out {
        let mut out: Vec<Vec<Term<'c>>> = vec![Vec::new()];
        for d in parts {
            let d = d?;
            let mut next = Vec::new();
            for a in &out {
                for b in &d {
                    next.push(a.iter().chain(b).copied().collect());
                }
            }
            out = next;
            if out.len() > self.max {
                return None;
            }
        }
        Some(out)
    }
}

impl Cond {
    /// The condition as a disjunction of conjunctions of its predicates (it
    /// holds when every predicate of some conjunction does), `None` past
    /// `max` conjunctions.
    pub fn conjunctions(&self, max: usize) -> Option<Vec<Vec<Term<'_>>>> {
        self.write(&Dnf { max })
    }
}
