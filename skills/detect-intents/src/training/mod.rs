//! Training, the per-label gate and the grouped evaluation (`cargo xtask
//! train [--report]`, which runs `examples/train.rs` natively). The
//! labelled sets are every `intents-*.jsonl` in `tests/data/shared/eval/`,
//! one file per author.
//!
//! The shipped model is trained on every set; each label's gate is decided
//! by the grouped evaluation over the same sets ([`textmodel::gate`]).
//! The report ([`report`]) holds each set out in turn and repeats the
//! whole of training, the gate included, on the others only.

mod report;

use crate::judge::{self, allowed};
use crate::rules::{self, Detection, Label, Speaker};
pub use report::{misses, report};
use std::path::{Path, PathBuf};
use textmodel::gate::{self, Fold};
use textmodel::grouped::{self, all_but};
use textmodel::score::Multi;
use textmodel::serde_json::{self, Value};
use textmodel::train::{LabelData, Params, fit_model};
use textmodel::{Model, Sparse};

/// The training settings of the shipped model: precision-first thresholds
/// (F0.3 on out-of-fold scores, never below 0.7), since the model only adds
/// labels to the rules'.
pub fn params() -> Params {
    Params {
        beta: 0.3,
        min_threshold: 0.7,
        ..Params::default()
    }
}

/// The folders of labelled sets, beside the repository's tests: the
/// shared authors' (`tests/data/shared/eval`) and our own
/// (`tests/data/own`).
pub fn sets_dirs() -> Vec<PathBuf> {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data");
    vec![tests.join("shared/eval"), tests.join("own")]
}

/// The shipped model file.
pub fn model_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/model.json")
}

/// One labelled utterance with what the rules make of it.
pub struct Line {
    pub id: String,
    pub speaker: Speaker,
    pub text: String,
    /// Per label of [`Label::ALL`].
    pub gold: Vec<bool>,
    pub rules: Vec<Detection>,
    pub x: Sparse,
}

impl Line {
    /// The line with the rules' reading and the model's features of `text`.
    fn new(id: String, speaker: Speaker, text: String, gold: Vec<bool>, bits: u32) -> Line {
        let rules = rules::detect(speaker, &text);
        let x = judge::features(bits, speaker, &text);
        Line {
            id,
            speaker,
            text,
            gold,
            rules,
            x,
        }
    }
}

/// One author's set.
pub type Set = grouped::Set<Line>;

/// The same lines and labels with each text rewritten by `style` (see
/// [`textmodel::transform`]).
pub fn restyled(set: &Set, style: impl Fn(&str) -> String, bits: u32) -> Set {
    set.map(|l| {
        Line::new(
            l.id.clone(),
            l.speaker,
            style(&l.text),
            l.gold.clone(),
            bits,
        )
    })
}

fn parse_line(n: usize, text: &str, bits: u32) -> Result<Line, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("line {n}: {e}"))?;
    let field = |k: &str| {
        v[k].as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("line {n}: no `{k}`"))
    };
    let speaker = Speaker::parse(&field("speaker")?)
        .ok_or_else(|| format!("line {n}: speaker is not `rep` or `prospect`"))?;
    let mut gold = vec![false; Label::ALL.len()];
    for l in v["labels"]
        .as_array()
        .ok_or_else(|| format!("line {n}: no `labels`"))?
    {
        let label = l
            .as_str()
            .and_then(Label::parse)
            .ok_or_else(|| format!("line {n}: unknown label {l}"))?;
        gold[label as usize] = true;
    }
    Ok(Line::new(field("id")?, speaker, field("text")?, gold, bits))
}

/// Reads and featurises every set.
pub fn load(dirs: &[PathBuf], bits: u32) -> Result<Vec<Set>, String> {
    Ok(
        textmodel::sets::parsed(dirs, "intents", |n, l| parse_line(n, l, bits))?
            .into_iter()
            .map(|(name, lines)| Set { name, lines })
            .collect(),
    )
}

/// Trains on `lines`: one binary model per label, on the lines of the
/// speakers it applies to. Every gate is open (see [`train_gated`]).
pub fn train(lines: &[&Line], p: &Params) -> Model {
    let xs: Vec<Sparse> = lines.iter().map(|l| l.x.clone()).collect();
    let labels: Vec<LabelData> = Label::ALL
        .into_iter()
        .map(|label| LabelData {
            name: label.as_str().to_owned(),
            rows: lines
                .iter()
                .enumerate()
                .filter(|(_, l)| allowed(label, l.speaker))
                .map(|(i, l)| (i, l.gold[label as usize]))
                .collect(),
        })
        .collect();
    fit_model(&xs, &labels, p)
}

/// Per label, its counts in each set held out of `sets` (trained on the
/// others, every gate open): the evidence [`gate::open`] judges.
pub fn gate_folds(sets: &[&Set], p: &Params) -> Vec<Vec<Fold>> {
    let mut folds = vec![Vec::new(); Label::ALL.len()];
    if sets.len() < 2 {
        return folds;
    }
    for (k, held) in sets.iter().enumerate() {
        let model = train(&all_but(sets, k), p);
        let lines: Vec<&Line> = held.lines.iter().collect();
        let (r, m) = evaluate(&model, &lines);
        for (f, (rules, model)) in folds.iter_mut().zip(r.labels.iter().zip(&m.labels)) {
            f.push(Fold {
                rules: *rules,
                model: *model,
            });
        }
    }
    folds
}

/// The model trained on every line of `sets`, each label's gate decided by
/// the grouped evaluation over `sets` ([`gate_folds`]).
pub fn train_gated(sets: &[&Set], p: &Params) -> Model {
    let lines: Vec<&Line> = sets.iter().flat_map(|s| &s.lines).collect();
    let mut model = train(&lines, p);
    let gates: Vec<bool> = gate_folds(sets, p).iter().map(|f| gate::open(f)).collect();
    model.set_gates(&gates);
    // Each label is judged on its own: a shut label's weights are never
    // read, so they are not shipped.
    model.drop_shut_weights();
    model
}

/// The shipped model's file: trained on every set.
pub fn train_shipped() -> Result<String, String> {
    let p = params();
    let sets = load(&sets_dirs(), p.bits)?;
    let sets: Vec<&Set> = sets.iter().collect();
    Ok(train_gated(&sets, &p).to_json())
}

/// One verdict per label of [`Label::ALL`].
pub(crate) fn as_gold(found: &[Detection]) -> Vec<bool> {
    let mut out = vec![false; Label::ALL.len()];
    for d in found {
        out[d.label as usize] = true;
    }
    out
}

/// The labels of rules+model (as `model`'s gates allow) for each line.
pub(crate) fn with_model(model: &Model, lines: &[&Line]) -> Vec<Vec<bool>> {
    lines
        .iter()
        .map(|l| as_gold(&judge::decide(model, l.speaker, &l.text, l.rules.clone())))
        .collect()
}

/// Rules alone and rules+model on `lines`.
pub fn evaluate(model: &Model, lines: &[&Line]) -> (Multi, Multi) {
    let gold: Vec<Vec<bool>> = lines.iter().map(|l| l.gold.clone()).collect();
    let by_rules: Vec<Vec<bool>> = lines.iter().map(|l| as_gold(&l.rules)).collect();
    let n = Label::ALL.len();
    (
        Multi::score(&gold, &by_rules, n),
        Multi::score(&gold, &with_model(model, lines), n),
    )
}

/// `train [--report | --misses SET]`: rewrite the shipped model, print the
/// grouped evaluation, or list one set's lines judged wrong.
pub fn main(args: &[String]) -> Result<(), String> {
    if let Some(i) = args.iter().position(|a| a == "--misses") {
        let set = args.get(i + 1).ok_or("--misses needs a set's file name")?;
        let style = args.get(i + 2).map(String::as_str);
        print!("{}", misses(set, style)?);
        return Ok(());
    }
    textmodel::train::command(args, &model_file(), report, train_shipped)
}

#[cfg(test)]
mod tests;
