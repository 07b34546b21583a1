//! The figures the grouped evaluation reports: per-label precision, recall
//! and F1, micro averages, false positives on lines with no gold label, and
//! accuracy for single-label tasks.

/// Counts for one label (or all, micro-averaged).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub tp: usize,
    pub predicted: usize,
    pub gold: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn count(&mut self, gold: bool, predicted: bool) {
        self.gold += usize::from(gold);
        self.predicted += usize::from(predicted);
        self.tp += usize::from(gold && predicted);
    }
}

/// Counts added up (e.g. over held-out sets).
impl std::iter::Sum for Counts {
    fn sum<I: Iterator<Item = Counts>>(iter: I) -> Counts {
        iter.fold(Counts::default(), |a, c| Counts {
            tp: a.tp + c.tp,
            predicted: a.predicted + c.predicted,
            gold: a.gold + c.gold,
        })
    }
}

/// Multi-label scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Multi {
    /// Per label, in the order given.
    pub labels: Vec<Counts>,
    pub micro: Counts,
    /// Lines with no gold label, and how many of them got one.
    pub empty: usize,
    pub empty_flagged: usize,
}

impl Multi {
    /// Scores `predicted` against `gold` (one `Vec<bool>` per line, one
    /// entry per label).
    pub fn score(gold: &[Vec<bool>], predicted: &[Vec<bool>], labels: usize) -> Multi {
        let mut m = Multi {
            labels: vec![Counts::default(); labels],
            micro: Counts::default(),
            empty: 0,
            empty_flagged: 0,
        };
        for (g, p) in gold.iter().zip(predicted) {
            for k in 0..labels {
                let (gk, pk) = (g.get(k) == Some(&true), p.get(k) == Some(&true));
                m.labels[k].count(gk, pk);
                m.micro.count(gk, pk);
            }
            if !g.contains(&true) {
                m.empty += 1;
                m.empty_flagged += usize::from(p.contains(&true));
            }
        }
        m
    }

    /// Share of lines with no gold label that got at least one.
    pub fn false_positive_rate(&self) -> f64 {
        ratio(self.empty_flagged, self.empty)
    }
}

/// Single-label scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Single {
    pub labels: Vec<Counts>,
    pub right: usize,
    pub total: usize,
}

impl Single {
    /// Scores label indices.
    pub fn score(gold: &[usize], predicted: &[usize], labels: usize) -> Single {
        let mut s = Single {
            labels: vec![Counts::default(); labels],
            right: 0,
            total: gold.len(),
        };
        for (&g, &p) in gold.iter().zip(predicted) {
            for (k, c) in s.labels.iter_mut().enumerate() {
                c.count(g == k, p == k);
            }
            s.right += usize::from(g == p);
        }
        s
    }

    pub fn accuracy(&self) -> f64 {
        ratio(self.right, self.total)
    }
}

fn cell(c: &Counts) -> String {
    format!("{:.2} / {:.2} / {:.2}", c.precision(), c.recall(), c.f1())
}

/// A markdown table of multi-label scores, one column per method: P / R /
/// F1 per label, micro, and the false-positive rate on no-label lines.
pub fn multi_table(names: &[&str], columns: &[(&str, &Multi)]) -> String {
    let mut out = String::from("| label | gold |");
    for (name, _) in columns {
        out.push_str(&format!(" {name} P / R / F1 |"));
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---|".repeat(columns.len()));
    out.push('\n');
    let gold = |k: usize| columns.first().map_or(0, |(_, m)| m.labels[k].gold);
    for (k, name) in names.iter().enumerate() {
        out.push_str(&format!("| {name} | {} |", gold(k)));
        for (_, m) in columns {
            out.push_str(&format!(" {} |", cell(&m.labels[k])));
        }
        out.push('\n');
    }
    let micro_gold = columns.first().map_or(0, |(_, m)| m.micro.gold);
    out.push_str(&format!("| **micro** | {micro_gold} |"));
    for (_, m) in columns {
        out.push_str(&format!(" **{}** |", cell(&m.micro)));
    }
    out.push('\n');
    let empty = columns.first().map_or(0, |(_, m)| m.empty);
    out.push_str(&format!("| FP on no-label lines | {empty} |"));
    for (_, m) in columns {
        out.push_str(&format!(
            " {:.1}% ({}) |",
            100.0 * m.false_positive_rate(),
            m.empty_flagged
        ));
    }
    out.push('\n');
    out
}

/// A markdown table of single-label scores, one column per method: P / R /
/// F1 per label and accuracy.
pub fn single_table(names: &[&str], columns: &[(&str, &Single)]) -> String {
    let mut out = String::from("| label | gold |");
    for (name, _) in columns {
        out.push_str(&format!(" {name} P / R / F1 |"));
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---|".repeat(columns.len()));
    out.push('\n');
    for (k, name) in names.iter().enumerate() {
        let gold = columns.first().map_or(0, |(_, s)| s.labels[k].gold);
        out.push_str(&format!("| {name} | {gold} |"));
        for (_, s) in columns {
            out.push_str(&format!(" {} |", cell(&s.labels[k])));
        }
        out.push('\n');
    }
    let total = columns.first().map_or(0, |(_, s)| s.total);
    out.push_str(&format!("| **accuracy** | {total} |"));
    for (_, s) in columns {
        out.push_str(&format!(" **{:.3}** ({}) |", s.accuracy(), s.right));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_micro_and_false_positives() {
        let gold = vec![vec![true, false], vec![false, false], vec![false, true]];
        let pred = vec![vec![true, true], vec![false, true], vec![false, false]];
        let m = Multi::score(&gold, &pred, 2);
        assert_eq!(
            m.micro,
            Counts {
                tp: 1,
                predicted: 3,
                gold: 2
            }
        );
        assert_eq!((m.empty, m.empty_flagged), (1, 1));
        assert!((m.labels[0].f1() - 1.0).abs() < 1e-9);
        let s = Single::score(&[0, 1, 1], &[0, 1, 0], 2);
        assert!((s.accuracy() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(
            s.labels[0],
            Counts {
                tp: 1,
                predicted: 2,
                gold: 1
            }
        );
    }
}
