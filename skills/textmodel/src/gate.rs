//! The gate on each label of the learned component: the model may use a
//! label only where the grouped evaluation inside its training data
//! (leave one author's set out, train on the rest, score the set left
//! out) shows that it helps, precision first:
//!
//! - the label's F1 over every held-out line pooled is higher with the
//!   model than with the rules alone, and
//! - in no held-out set is the label's precision lower with the model.
//!
//! Training computes it and ships it in the model file, so a retrain with
//! new sets decides again. With fewer than two sets there is nothing held
//! out and every gate stays shut.

use crate::score::Counts;

/// One label's counts in one held-out set: the rules alone, and the rules
/// with the model's verdict on that label.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Fold {
    pub rules: Counts,
    pub model: Counts,
}

/// Differences smaller than this are ties (float noise).
const EPS: f64 = 1e-9;

/// Whether the gate opens for a label with these held-out folds (see the
/// module's criterion).
pub fn open(folds: &[Fold]) -> bool {
    if folds.is_empty() {
        return false;
    }
    let rules: Counts = folds.iter().map(|f| f.rules).sum();
    let model: Counts = folds.iter().map(|f| f.model).sum();
    let f1_up = model.f1() > rules.f1() + EPS;
    let precision_kept = folds
        .iter()
        .all(|f| f.model.precision() + EPS >= f.rules.precision());
    f1_up && precision_kept
}

/// A one-line account of a label's folds and verdict, for the report:
/// `P rules → model` per fold, and F1 pooled.
pub fn describe(folds: &[Fold]) -> String {
    let per_fold: Vec<String> = folds
        .iter()
        .map(|f| {
            format!(
                "P {:.2}→{:.2} (+{} tp, +{} fp)",
                f.rules.precision(),
                f.model.precision(),
                f.model.tp.saturating_sub(f.rules.tp),
                (f.model.predicted - f.model.tp).saturating_sub(f.rules.predicted - f.rules.tp),
            )
        })
        .collect();
    let rules: Counts = folds.iter().map(|f| f.rules).sum();
    let model: Counts = folds.iter().map(|f| f.model).sum();
    format!(
        "{}; F1 pooled {:.2}→{:.2}: {}",
        per_fold.join(", "),
        rules.f1(),
        model.f1(),
        if open(folds) { "open" } else { "shut" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(tp: usize, predicted: usize, gold: usize) -> Counts {
        Counts {
            tp,
            predicted,
            gold,
        }
    }

    #[test]
    fn opens_only_for_more_f1_at_no_cost_in_precision() {
        // One more right line, nothing wrong: open.
        let gain = Fold {
            rules: c(6, 6, 10),
            model: c(7, 7, 10),
        };
        let same = Fold {
            rules: c(5, 5, 5),
            model: c(5, 5, 5),
        };
        assert!(open(&[gain, same]));
        // The same gain, but a false positive in the other set: shut, even
        // though F1 pooled rises.
        let cost = Fold {
            rules: c(5, 5, 5),
            model: c(5, 6, 5),
        };
        assert!(!open(&[gain, cost]));
        // No change anywhere: shut.
        assert!(!open(&[same, same]));
        // Nothing held out: shut.
        assert!(!open(&[]));
        assert!(describe(&[gain, same]).ends_with("open"));
    }
}
