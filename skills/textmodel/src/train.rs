//! Training: per-label logistic regression with L2, by SGD in a fixed order
//! (a seeded xorshift shuffle per epoch), so the same data always gives the
//! same weights. Each label's threshold is chosen precision-first (F-beta,
//! beta < 1) on out-of-fold scores inside the training data.

use crate::features::Sparse;
use crate::model::{Dense, Model};

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// Hashed feature space: `2^bits` slots.
    pub bits: u32,
    pub epochs: usize,
    /// L2 strength per step.
    pub lambda: f64,
    /// Initial learning rate.
    pub eta0: f64,
    /// Positives weigh `negatives/positives`, at most this.
    pub max_positive_weight: f64,
    /// Folds inside the training data for choosing thresholds.
    pub folds: usize,
    /// F-beta the threshold maximises (below 1 favours precision).
    pub beta: f64,
    /// A threshold is never below this.
    pub min_threshold: f64,
    pub seed: u64,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            bits: 18,
            epochs: 30,
            lambda: 1e-3,
            eta0: 0.5,
            max_positive_weight: 4.0,
            folds: 5,
            beta: 0.5,
            min_threshold: 0.5,
            seed: 0x5eed_ba70,
        }
    }
}

/// A trained binary classifier, dense over `2^bits` slots.
pub struct Binary {
    pub bias: f64,
    pub weights: Vec<f64>,
}

impl Binary {
    /// The probability for one vector.
    pub fn probability(&self, x: &Sparse) -> f64 {
        let z = self.bias
            + x.iter()
                .map(|&(s, v)| self.weights.get(s as usize).copied().unwrap_or(0.0) * f64::from(v))
                .sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }
}

fn xorshift(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    x
}

/// Fits one binary logistic regression.
pub fn fit(xs: &[&Sparse], ys: &[bool], p: &Params) -> Binary {
    let size = 1usize << p.bits;
    // w = scale * v, so the L2 decay of every weight is one multiplication.
    let mut v = vec![0.0f64; size];
    let mut scale = 1.0f64;
    let mut bias = 0.0f64;
    let positives = ys.iter().filter(|y| **y).count();
    let negatives = ys.len() - positives;
    let pos_weight = if positives == 0 {
        1.0
    } else {
        (negatives as f64 / positives as f64).clamp(1.0, p.max_positive_weight)
    };
    let mut order: Vec<usize> = (0..xs.len()).collect();
    let mut state = p.seed | 1;
    let mut t = 0.0f64;
    for _ in 0..p.epochs {
        for i in (1..order.len()).rev() {
            let j = (xorshift(&mut state) % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &i in &order {
            let eta = p.eta0 / (1.0 + p.eta0 * p.lambda * t);
            t += 1.0;
            let x = xs[i];
            let z = bias
                + scale
                    * x.iter()
                        .map(|&(s, val)| v[s as usize] * f64::from(val))
                        .sum::<f64>();
            let prob = 1.0 / (1.0 + (-z).exp());
            let (target, weight) = if ys[i] { (1.0, pos_weight) } else { (0.0, 1.0) };
            let g = weight * (prob - target);
            scale *= 1.0 - eta * p.lambda;
            for &(s, val) in x {
                v[s as usize] -= eta * g * f64::from(val) / scale;
            }
            bias -= eta * g;
            if scale < 1e-6 {
                v.iter_mut().for_each(|w| *w *= scale);
                scale = 1.0;
            }
        }
    }
    v.iter_mut().for_each(|w| *w *= scale);
    Binary { bias, weights: v }
}

/// The threshold that maximises F-beta over `(score, gold)` pairs: halfway
/// between the lowest score kept and the next one below. With no positive
/// (or nothing worth keeping) it is 1, which no probability reaches.
pub fn threshold(scores: &[(f64, bool)], beta: f64, min: f64) -> f64 {
    let mut sorted = scores.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let gold = sorted.iter().filter(|s| s.1).count() as f64;
    let b2 = beta * beta;
    let (mut best, mut cut) = (0.0, 1.0);
    let mut tp = 0.0;
    for (k, &(s, y)) in sorted.iter().enumerate() {
        tp += if y { 1.0 } else { 0.0 };
        let next = sorted.get(k + 1).map(|n| n.0);
        // Only cut between distinct scores.
        if next == Some(s) {
            continue;
        }
        let predicted = (k + 1) as f64;
        let (precision, recall) = (tp / predicted, if gold > 0.0 { tp / gold } else { 0.0 });
        if precision + recall == 0.0 {
            continue;
        }
        let f = (1.0 + b2) * precision * recall / (b2 * precision + recall);
        if f > best + 1e-12 {
            best = f;
            cut = next.map_or(s - 1e-6, |n| (s + n) / 2.0);
        }
    }
    if best == 0.0 { 1.0 } else { cut.max(min) }
}

/// One label to train: its name and, per training row it applies to (an
/// index into the vectors), whether it is gold.
pub struct LabelData {
    pub name: String,
    pub rows: Vec<(usize, bool)>,
}

/// Trains every label on all its rows, with a threshold from `p.folds`
/// out-of-fold scores (row `j` of a label is in fold `j % folds`).
pub fn fit_model(xs: &[Sparse], labels: &[LabelData], p: &Params) -> Model {
    let dense = labels
        .iter()
        .map(|l| {
            let mut oof = Vec::with_capacity(l.rows.len());
            for f in 0..p.folds {
                let (held, kept): (Vec<_>, Vec<_>) = l
                    .rows
                    .iter()
                    .enumerate()
                    .partition(|(j, _)| j % p.folds == f);
                let train_x: Vec<&Sparse> = kept.iter().map(|(_, (i, _))| &xs[*i]).collect();
                let train_y: Vec<bool> = kept.iter().map(|(_, (_, y))| *y).collect();
                let b = fit(&train_x, &train_y, p);
                oof.extend(held.iter().map(|(_, (i, y))| (b.probability(&xs[*i]), *y)));
            }
            let all_x: Vec<&Sparse> = l.rows.iter().map(|(i, _)| &xs[*i]).collect();
            let all_y: Vec<bool> = l.rows.iter().map(|(_, y)| *y).collect();
            let b = fit(&all_x, &all_y, p);
            Dense {
                name: l.name.clone(),
                bias: b.bias,
                threshold: threshold(&oof, p.beta, p.min_threshold),
                gate: true,
                weights: b.weights,
            }
        })
        .collect();
    Model::from_dense(p.bits, dense)
}

/// The top label of `probabilities` and its share of their sum.
pub fn top(probabilities: &[f32]) -> Option<(usize, f32)> {
    let sum: f32 = probabilities.iter().sum();
    probabilities
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(k, p)| (k, if sum > 0.0 { p / sum } else { 0.0 }))
}

/// Trains a single-label model, one-vs-rest: `gold[i]` is the label index
/// of row `i`. Each label's threshold applies to [`top`]'s share when that
/// label is on top, chosen precision-first on out-of-fold predictions
/// (row `i` is in fold `i % folds`), so the model is trusted where its own
/// predictions were right, whatever the rules say.
pub fn fit_single(xs: &[Sparse], gold: &[usize], names: &[&str], p: &Params) -> Model {
    let fit_all = |rows: &[usize]| -> Vec<Binary> {
        let x: Vec<&Sparse> = rows.iter().map(|&i| &xs[i]).collect();
        (0..names.len())
            .map(|k| {
                let y: Vec<bool> = rows.iter().map(|&i| gold[i] == k).collect();
                fit(&x, &y, p)
            })
            .collect()
    };
    // Per label: (share, right) of out-of-fold rows where it was on top.
    let mut scored: Vec<Vec<(f64, bool)>> = vec![Vec::new(); names.len()];
    for f in 0..p.folds {
        let (held, kept): (Vec<usize>, Vec<usize>) = (0..xs.len()).partition(|i| i % p.folds == f);
        let models = fit_all(&kept);
        for i in held {
            let probs: Vec<f32> = models
                .iter()
                .map(|m| m.probability(&xs[i]) as f32)
                .collect();
            if let Some((k, share)) = top(&probs) {
                scored[k].push((f64::from(share), gold[i] == k));
            }
        }
    }
    let all: Vec<usize> = (0..xs.len()).collect();
    let dense = fit_all(&all)
        .into_iter()
        .zip(names)
        .zip(scored)
        .map(|((b, name), s)| Dense {
            name: (*name).to_owned(),
            bias: b.bias,
            threshold: threshold(&s, p.beta, p.min_threshold),
            gate: true,
            weights: b.weights,
        })
        .collect();
    Model::from_dense(p.bits, dense)
}

/// A skill's `train [--report]`: print `report()` with `--report`,
/// otherwise write what `train()` gives to `path` (the shipped model).
pub fn command(
    args: &[String],
    path: &std::path::Path,
    report: impl FnOnce() -> Result<String, String>,
    train: impl FnOnce() -> Result<String, String>,
) -> Result<(), String> {
    if args.iter().any(|a| a == "--report") {
        println!("{}", report()?);
        return Ok(());
    }
    let text = train()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {} ({} bytes)", path.display(), text.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Builder;

    fn vec_of(t: &str) -> Sparse {
        let mut b = Builder::new(12);
        b.text("t", t);
        b.finish()
    }

    #[test]
    fn learns_a_separable_label_and_is_deterministic() {
        let texts = [
            ("send me the deck", true),
            ("could you send the slides", true),
            ("please send over the case study", true),
            ("the weather was lovely", false),
            ("we had a good weekend", false),
            ("thanks for joining today", false),
        ];
        let xs: Vec<Sparse> = texts.iter().map(|(t, _)| vec_of(t)).collect();
        let labels = [LabelData {
            name: "ask".into(),
            rows: texts
                .iter()
                .enumerate()
                .map(|(i, (_, y))| (i, *y))
                .collect(),
        }];
        let p = Params {
            bits: 12,
            folds: 3,
            ..Params::default()
        };
        let m = fit_model(&xs, &labels, &p);
        assert_eq!(m.to_json(), fit_model(&xs, &labels, &p).to_json());
        let yes = m.probabilities(&vec_of("can you send the deck"))[0];
        let no = m.probabilities(&vec_of("lovely weather today"))[0];
        assert!(yes > no, "{yes} {no}");
    }

    #[test]
    fn threshold_is_precision_first() {
        let s = [
            (0.9, true),
            (0.8, true),
            (0.7, false),
            (0.6, true),
            (0.2, false),
        ];
        let t = threshold(&s, 0.5, 0.0);
        assert!((0.7..0.8).contains(&t), "{t}");
        assert_eq!(threshold(&[(0.4, false)], 0.5, 0.0), 1.0);
    }
}
