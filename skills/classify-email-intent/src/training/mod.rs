//! Training, the per-label gate and the grouped evaluation (`cargo xtask
//! train [--report]`, which runs `examples/train.rs` natively). The
//! labelled sets are every `emails-*.jsonl` in `tests/data/shared/eval/`,
//! one file per author; each email is judged as `baton eval emails` does
//! (no headers, no tier 2).
//!
//! The shipped model is trained on every set; the model may override the
//! rules with a label only where the grouped evaluation over the same sets
//! shows it raises that label's F1, lowers its precision in no held-out
//! set and costs no accuracy ([`textmodel::gate`]). The report
//! ([`report`]) holds each set out in turn and repeats the whole of
//! training, the gate included, on the others only.

mod report;

use crate::classify::{Classification, Email, Intent, Relationship, classify};
use crate::judge;
pub use report::{misses, report};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use textmodel::gate::{self, Fold};
use textmodel::grouped::{self, all_but};
use textmodel::score::Single;
use textmodel::serde_json::{self, Value};
use textmodel::train::{Params, fit_single};
use textmodel::{Model, Sparse};

/// The training settings of the shipped model.
pub fn params() -> Params {
    Params::default()
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

/// One labelled email with the rules' verdict.
pub struct Line {
    pub id: String,
    pub subject: String,
    pub body: String,
    pub gold: Intent,
    pub rules: Classification,
    pub x: Sparse,
}

impl Line {
    /// The email with the rules' verdict and the model's features.
    fn new(id: String, subject: String, body: String, gold: Intent, bits: u32) -> Line {
        let headers = BTreeMap::new();
        let email = Email {
            subject: &subject,
            body: &body,
            headers: &headers,
        };
        let rules = classify(&email, Relationship::Unknown);
        let x = judge::features(bits, &email, &rules);
        Line {
            id,
            subject,
            body,
            gold,
            rules,
            x,
        }
    }

    fn email<'a>(&'a self, headers: &'a BTreeMap<String, String>) -> Email<'a> {
        Email {
            subject: &self.subject,
            body: &self.body,
            headers,
        }
    }
}

/// One author's set.
pub type Set = grouped::Set<Line>;

/// The same emails and labels with each body rewritten by `style` (see
/// [`textmodel::transform`]).
pub fn restyled(set: &Set, style: impl Fn(&str) -> String, bits: u32) -> Set {
    set.map(|l| {
        Line::new(
            l.id.clone(),
            l.subject.clone(),
            style(&l.body),
            l.gold,
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
    let gold = Intent::parse(&field("label")?).ok_or_else(|| format!("line {n}: unknown label"))?;
    Ok(Line::new(
        field("id")?,
        field("subject")?,
        field("body")?,
        gold,
        bits,
    ))
}

/// Reads and featurises every set.
pub fn load(dirs: &[PathBuf], bits: u32) -> Result<Vec<Set>, String> {
    Ok(
        textmodel::sets::parsed(dirs, "emails", |n, l| parse_line(n, l, bits))?
            .into_iter()
            .map(|(name, lines)| Set { name, lines })
            .collect(),
    )
}

/// Trains one-vs-rest on `lines` (see [`textmodel::train::fit_single`]).
/// Every gate is open (see [`train_gated`]).
pub fn train(lines: &[&Line], p: &Params) -> Model {
    let xs: Vec<Sparse> = lines.iter().map(|l| l.x.clone()).collect();
    let gold: Vec<usize> = lines.iter().map(|l| index(l.gold)).collect();
    let names: Vec<&str> = Intent::ALL.iter().map(|i| i.as_str()).collect();
    fit_single(&xs, &gold, &names, p)
}

fn index(i: Intent) -> usize {
    Intent::ALL.iter().position(|x| *x == i).unwrap_or(0)
}

/// The rules' and the rules+model's label of each line (as `model`'s
/// gates allow).
pub fn predict(model: &Model, lines: &[&Line]) -> (Vec<usize>, Vec<usize>) {
    let headers = BTreeMap::new();
    lines
        .iter()
        .map(|l| {
            let judged = judge::decide(
                model,
                &l.email(&headers),
                l.rules.clone(),
                Relationship::Unknown,
            );
            (index(l.rules.intent), index(judged.intent))
        })
        .unzip()
}

/// One label's evidence over the sets held out in turn: its counts with
/// the rules and with the model allowed to override with it alone, and the
/// emails right either way.
#[derive(Default, Clone)]
pub struct Evidence {
    pub folds: Vec<Fold>,
    pub right_rules: usize,
    pub right_model: usize,
}

impl Evidence {
    /// The gate's verdict: [`gate::open`], and no accuracy lost.
    pub fn open(&self) -> bool {
        gate::open(&self.folds) && self.right_model >= self.right_rules
    }
}

/// Per label, the evidence of each set held out of `sets` (trained on the
/// others, only that label able to override).
pub fn gate_evidence(sets: &[&Set], p: &Params) -> Vec<Evidence> {
    let n = Intent::ALL.len();
    let mut out = vec![Evidence::default(); n];
    if sets.len() < 2 {
        return out;
    }
    for (k, held) in sets.iter().enumerate() {
        let model = train(&all_but(sets, k), p);
        let lines: Vec<&Line> = held.lines.iter().collect();
        let gold: Vec<usize> = lines.iter().map(|l| index(l.gold)).collect();
        for (label, ev) in out.iter_mut().enumerate() {
            let mut only = model.clone();
            let gates: Vec<bool> = (0..n).map(|j| j == label).collect();
            only.set_gates(&gates);
            let (r, m) = predict(&only, &lines);
            let (rs, ms) = (Single::score(&gold, &r, n), Single::score(&gold, &m, n));
            ev.folds.push(Fold {
                rules: rs.labels[label],
                model: ms.labels[label],
            });
            ev.right_rules += rs.right;
            ev.right_model += ms.right;
        }
    }
    out
}

/// The model trained on every line of `sets`, each label's gate decided by
/// the grouped evaluation over `sets` ([`gate_evidence`]).
pub fn train_gated(sets: &[&Set], p: &Params) -> Model {
    let lines: Vec<&Line> = sets.iter().flat_map(|s| &s.lines).collect();
    let mut model = train(&lines, p);
    let gates: Vec<bool> = gate_evidence(sets, p).iter().map(Evidence::open).collect();
    model.set_gates(&gates);
    model
}

/// The shipped model's file: trained on every set.
pub fn train_shipped() -> Result<String, String> {
    let p = params();
    let sets = load(&sets_dirs(), p.bits)?;
    let sets: Vec<&Set> = sets.iter().collect();
    Ok(train_gated(&sets, &p).to_json())
}

/// `train [--report | --misses SET [mobile]]`: rewrite the shipped model,
/// print the grouped evaluation, or list one set's emails judged wrong.
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
