//! The model file and inference. One logistic regression per label over a
//! shared list of used feature slots; weights quantised to `i16` with a
//! per-label scale and packed as base64, so the file stays small and
//! parses quickly inside a skill. A skill reads the file on every call (each
//! call is a fresh instance), so reading borrows the packed strings from
//! the text and inference finds a feature's weights through a bitmap of
//! the used slots rather than a search.

use crate::b64;
use crate::features::Sparse;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The format tag written into every model file.
pub const FORMAT: &str = "baton-textmodel/2";

/// Why a model file could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelError {
    /// Not JSON of the expected shape.
    Json(String),
    /// A format other than [`FORMAT`].
    Format(String),
    /// A packed array that does not decode or has the wrong length.
    Packed(String),
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelError::Json(e) => write!(f, "model file is not valid: {e}"),
            ModelError::Format(v) => write!(f, "model format `{v}` is not `{FORMAT}`"),
            ModelError::Packed(what) => write!(f, "model file: {what} does not decode"),
        }
    }
}

impl std::error::Error for ModelError {}

/// One label's classifier.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelModel {
    /// The label's wire name.
    pub name: String,
    pub bias: f32,
    /// The label applies when its probability is at least this.
    pub threshold: f32,
    /// Whether the skill may use this label's verdict at all: training
    /// opens the gate only where the grouped evaluation showed the model
    /// raises the label's F1 without lowering its precision
    /// ([`crate::gate`]).
    pub gate: bool,
    /// A weight is `q * scale`.
    scale: f32,
    /// One quantised weight per entry of the model's slots, `i16`
    /// little-endian: the file's bytes as decoded, read where used.
    q: Vec<u8>,
}

impl LabelModel {
    /// The quantised weight of the model's `k`-th slot.
    fn weight(&self, k: usize) -> i16 {
        i16::from_le_bytes([self.q[2 * k], self.q[2 * k + 1]])
    }
}

/// A trained model: labels over one hashed feature space.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The feature space has `2^bits` slots.
    pub bits: u32,
    /// The slots with a weight, sorted.
    slots: Vec<u32>,
    /// Where each of `slots` is, by slot.
    index: SlotIndex,
    pub labels: Vec<LabelModel>,
}

/// The used slots as one bit per slot of the feature space, with the count
/// of bits set before each 64-bit word: a slot's position in the sorted
/// list is that count plus the bits set below it in its word.
#[derive(Debug, Clone, PartialEq)]
struct SlotIndex {
    words: Vec<u64>,
    before: Vec<u32>,
}

impl SlotIndex {
    /// The index of `slots` (sorted, unique) in a space of `2^bits`; a slot
    /// outside the space is never looked up (features stay inside it).
    fn new(bits: u32, slots: &[u32]) -> SlotIndex {
        let mut words = vec![0u64; (1usize << bits).div_ceil(64)];
        for &s in slots {
            if let Some(w) = words.get_mut((s >> 6) as usize) {
                *w |= 1 << (s & 63);
            }
        }
        let mut before = Vec::with_capacity(words.len());
        let mut n = 0;
        for w in &words {
            before.push(n);
            n += w.count_ones();
        }
        SlotIndex { words, before }
    }

    /// The position of `slot` in the sorted slots, if it is one of them.
    fn position(&self, slot: u32) -> Option<usize> {
        let (at, bit) = ((slot >> 6) as usize, slot & 63);
        let word = *self.words.get(at)?;
        let below = word & ((1u64 << bit) - 1);
        ((word >> bit) & 1 == 1).then(|| self.before[at] as usize + below.count_ones() as usize)
    }
}

#[derive(Serialize, Deserialize)]
struct FileLabel<'a> {
    #[serde(borrow)]
    label: Cow<'a, str>,
    bias: f32,
    threshold: f32,
    gate: bool,
    scale: f32,
    /// `i16` little-endian per slot, base64.
    #[serde(borrow)]
    weights: Cow<'a, str>,
}

#[derive(Serialize, Deserialize)]
struct File<'a> {
    #[serde(borrow)]
    format: Cow<'a, str>,
    bits: u32,
    /// `u32` little-endian per slot, base64.
    #[serde(borrow)]
    slots: Cow<'a, str>,
    #[serde(borrow)]
    labels: Vec<FileLabel<'a>>,
}

/// A label as trained: dense weights over all `2^bits` slots.
pub struct Dense {
    pub name: String,
    pub bias: f64,
    pub threshold: f64,
    /// See [`LabelModel::gate`]; training decides it after fitting.
    pub gate: bool,
    pub weights: Vec<f64>,
}

/// Weights under this many steps of 32767 (3% of a label's largest) are
/// dropped: the grouped evaluation scores the same with or without them
/// (also at 6%), and the file is read on every call.
const PRUNE_STEPS: i16 = 1000;

fn quantise(weights: &[f64]) -> (f32, Vec<i16>) {
    let max = weights.iter().fold(0.0f64, |m, w| m.max(w.abs()));
    let scale = if max > 0.0 {
        (max / f64::from(i16::MAX)) as f32
    } else {
        1.0
    };
    let q = weights
        .iter()
        .map(|w| (w / f64::from(scale)).round().clamp(-32767.0, 32767.0) as i16)
        .map(|q| if q.abs() < PRUNE_STEPS { 0 } else { q })
        .collect();
    (scale, q)
}

impl Model {
    /// Quantises trained labels; a slot whose weight rounds to zero in every
    /// label is left out.
    pub fn from_dense(bits: u32, labels: Vec<Dense>) -> Model {
        let size = 1usize << bits;
        let quantised: Vec<(f32, Vec<i16>)> = labels.iter().map(|l| quantise(&l.weights)).collect();
        let slots: Vec<u32> = (0..size)
            .filter(|&s| {
                quantised
                    .iter()
                    .any(|(_, q)| q.get(s).is_some_and(|v| *v != 0))
            })
            .map(|s| s as u32)
            .collect();
        let labels = labels
            .into_iter()
            .zip(quantised)
            .map(|(l, (scale, q))| LabelModel {
                name: l.name,
                bias: l.bias as f32,
                threshold: l.threshold as f32,
                gate: l.gate,
                scale,
                q: slots
                    .iter()
                    .flat_map(|&s| q[s as usize].to_le_bytes())
                    .collect(),
            })
            .collect();
        Model::new(bits, slots, labels)
    }

    fn new(bits: u32, slots: Vec<u32>, labels: Vec<LabelModel>) -> Model {
        Model {
            bits,
            index: SlotIndex::new(bits, &slots),
            slots,
            labels,
        }
    }

    /// The model file: the same model always gives the same bytes.
    pub fn to_json(&self) -> String {
        let slots: Vec<u8> = self.slots.iter().flat_map(|s| s.to_le_bytes()).collect();
        let labels = self
            .labels
            .iter()
            .map(|l| FileLabel {
                label: Cow::Borrowed(&l.name),
                bias: l.bias,
                threshold: l.threshold,
                gate: l.gate,
                scale: l.scale,
                weights: Cow::Owned(b64::encode(&l.q)),
            })
            .collect();
        let file = File {
            format: Cow::Borrowed(FORMAT),
            bits: self.bits,
            slots: Cow::Owned(b64::encode(&slots)),
            labels,
        };
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a model file.
    pub fn from_json(text: &str) -> Result<Model, ModelError> {
        let file: File = serde_json::from_str(text).map_err(|e| ModelError::Json(e.to_string()))?;
        if file.format != FORMAT {
            return Err(ModelError::Format(file.format.into_owned()));
        }
        if file.bits > 24 {
            return Err(ModelError::Json(format!("bits {} is above 24", file.bits)));
        }
        let raw = b64::decode(&file.slots)
            .filter(|b| b.len().is_multiple_of(4))
            .ok_or_else(|| ModelError::Packed("slots".into()))?;
        let slots: Vec<u32> = raw
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if slots.windows(2).any(|w| w[0] >= w[1]) {
            return Err(ModelError::Packed("slots (not sorted)".into()));
        }
        let mut labels = Vec::with_capacity(file.labels.len());
        for l in file.labels {
            let raw = b64::decode(&l.weights)
                .filter(|b| b.len() == slots.len() * 2)
                .ok_or_else(|| ModelError::Packed(format!("weights of {}", l.label)))?;
            labels.push(LabelModel {
                name: l.label.into_owned(),
                bias: l.bias,
                threshold: l.threshold,
                gate: l.gate,
                scale: l.scale,
                q: raw,
            });
        }
        Ok(Model::new(file.bits, slots, labels))
    }

    /// Sets each label's gate, in label order (see [`LabelModel::gate`]).
    pub fn set_gates(&mut self, gates: &[bool]) {
        for (l, g) in self.labels.iter_mut().zip(gates) {
            l.gate = *g;
        }
    }

    /// Drops the weights of every label whose gate is shut, and the slots
    /// only they used: for a model whose labels are judged each on its
    /// own (not one whose labels share a softmax-like top, where every
    /// label's probability counts), the file then carries only what is used.
    pub fn drop_shut_weights(&mut self) {
        let keep: Vec<bool> = (0..self.slots.len())
            .map(|k| self.labels.iter().any(|l| l.gate && l.weight(k) != 0))
            .collect();
        for l in &mut self.labels {
            let open = l.gate;
            l.q = (0..keep.len())
                .filter(|&k| keep[k])
                .flat_map(|k| if open { l.weight(k) } else { 0 }.to_le_bytes())
                .collect();
        }
        self.slots = self
            .slots
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(s, _)| *s)
            .collect();
        self.index = SlotIndex::new(self.bits, &self.slots);
    }

    /// The labels whose gate is open, by name.
    pub fn open_labels(&self) -> Vec<&str> {
        self.labels
            .iter()
            .filter(|l| l.gate)
            .map(|l| l.name.as_str())
            .collect()
    }

    /// The label named `name`, if the model has it.
    pub fn label(&self, name: &str) -> Option<(usize, &LabelModel)> {
        self.labels.iter().enumerate().find(|(_, l)| l.name == name)
    }

    /// Each label's probability for one feature vector, in label order.
    pub fn probabilities(&self, x: &Sparse) -> Vec<f32> {
        let mut z = vec![0.0f32; self.labels.len()];
        for &(slot, value) in x {
            if let Some(k) = self.index.position(slot) {
                for (zl, l) in z.iter_mut().zip(&self.labels) {
                    *zl += f32::from(l.weight(k)) * value;
                }
            }
        }
        z.iter()
            .zip(&self.labels)
            .map(|(z, l)| sigmoid(z * l.scale + l.bias))
            .collect()
    }
}

/// The logistic function.
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        let mut w = vec![0.0; 1 << 4];
        w[3] = 2.0;
        w[7] = -1.5;
        let mut v = vec![0.0; 1 << 4];
        v[7] = 0.25;
        Model::from_dense(
            4,
            vec![
                Dense {
                    name: "a".into(),
                    bias: -0.5,
                    threshold: 0.6,
                    gate: true,
                    weights: w,
                },
                Dense {
                    name: "b".into(),
                    bias: 0.0,
                    threshold: 0.9,
                    gate: false,
                    weights: v,
                },
            ],
        )
    }

    #[test]
    fn the_file_round_trips_to_the_same_model_and_bytes() {
        let m = model();
        let text = m.to_json();
        let back = Model::from_json(&text).expect("reads");
        assert_eq!(back, m);
        assert_eq!(back.to_json(), text);
        let p = back.probabilities(&vec![(3, 1.0), (9, 5.0)]);
        assert!((p[0] - sigmoid(1.5)).abs() < 1e-3, "{p:?}");
        assert!((p[1] - 0.5).abs() < 1e-6, "{p:?}");
    }

    #[test]
    fn dropping_shut_weights_keeps_the_open_labels_verdicts() {
        let mut m = model();
        let x = vec![(3, 1.0), (7, 1.0)];
        let before = m.probabilities(&x);
        m.drop_shut_weights();
        let after = m.probabilities(&x);
        // "a" is open and keeps its verdict; shut "b" keeps only its bias.
        assert_eq!(before[0], after[0]);
        assert!((after[1] - 0.5).abs() < 1e-6);
        assert_eq!(Model::from_json(&m.to_json()).expect("reads"), m);
    }

    #[test]
    fn a_bad_file_is_an_error_not_a_panic() {
        assert!(matches!(Model::from_json("{"), Err(ModelError::Json(_))));
        let text = model().to_json().replace(FORMAT, "other/9");
        assert!(matches!(
            Model::from_json(&text),
            Err(ModelError::Format(_))
        ));
        let mut file: serde_json::Value = serde_json::from_str(&model().to_json()).expect("json");
        file["labels"][0]["weights"] = "AAAA".into();
        assert!(matches!(
            Model::from_json(&file.to_string()),
            Err(ModelError::Packed(_))
        ));
    }
}
