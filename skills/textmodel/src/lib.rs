//! The skills' learned component, shared by `detect-intents` and
//! `classify-email-intent` so features at training and at inference are the
//! same code:
//!
//! - [`features`]: text normalised (lower case, fillers such as "um"/"er"
//!   dropped, stuttered repeats collapsed), hashed word 1–2-grams and
//!   character 3–5-grams, plus named cues a skill's rules report.
//! - [`model`]: the shipped model file (per-label logistic regression
//!   weights, sparse and quantised, with a precision-first threshold each)
//!   and inference.
//! - [`train`]: L2-regularised logistic regression by deterministic SGD, and
//!   thresholds chosen on out-of-fold scores inside the training data.
//! - [`grouped`]: one author's set per file, held out in turn.
//! - [`score`]: the figures the grouped evaluation reports.
//! - [`gate`]: per label, whether the grouped evaluation lets the model use
//!   it at all (shipped in the model file).
//! - [`transform`]: mechanical rewrites of labelled text (transcript,
//!   homophones, mobile mail) for the robustness rows.
//!
//! Plain Rust, no ML crate: the models are small (a few hundred labelled
//! lines) and must build for `wasm32-wasip2`.

pub mod b64;
pub mod features;
pub mod gate;
pub mod grouped;
pub mod model;
pub mod score;
pub mod sets;
pub mod train;
pub mod transform;

pub use features::{Builder, Sparse};
pub use model::{LabelModel, Model, ModelError};
pub use serde_json;
