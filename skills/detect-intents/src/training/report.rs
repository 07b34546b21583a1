//! The grouped evaluation's report (`--report`) and the list of one set's
//! lines judged wrong (`--misses`). Each set is held out in turn: the
//! model is trained and its gate decided on the other sets only, then the
//! held-out set is scored as written and in the mechanical forms of
//! [`STYLES`] (the robustness rows).

use super::{Line, Set, as_gold, evaluate, gate_folds, load, params, restyled, sets_dirs, train};
use crate::rules::Label;
use textmodel::gate::{self, Fold};
use textmodel::grouped::{
    HeldOut, Style, all_but, as_written, others, others_named, position, style_named,
};
use textmodel::score::{Multi, multi_table};
use textmodel::train::Params;
use textmodel::transform;

fn transcript_homophones(t: &str) -> String {
    transform::homophones(&transform::transcript(t))
}

/// The forms each held-out set is scored in; `--misses SET STYLE` takes
/// the names after the first.
pub const STYLES: [(&str, Style); 3] = [
    ("as written", as_written),
    ("transcript", transform::transcript),
    ("transcript+homophones", transcript_homophones),
];

/// The held-out `k`-th set's models.
fn held_out(sets: &[&Set], k: usize, p: &Params) -> HeldOut {
    let gates: Vec<bool> = gate_folds(&others(sets, k), p)
        .iter()
        .map(|f| gate::open(f))
        .collect();
    HeldOut::new(train(&all_but(sets, k), p), &gates)
}

fn names() -> Vec<&'static str> {
    Label::ALL.iter().map(|l| l.as_str()).collect()
}

/// `P / R / F1 | FP` of one method's micro figures.
fn micro_cells(m: &Multi) -> String {
    format!(
        "{:.3} / {:.3} / {:.3} | {:.1}% ({})",
        m.micro.precision(),
        m.micro.recall(),
        m.micro.f1(),
        100.0 * m.false_positive_rate(),
        m.empty_flagged
    )
}

/// Gold, rules and rules+model labels of `lines`, for pooling.
#[derive(Default)]
struct Pool {
    gold: Vec<Vec<bool>>,
    rules: Vec<Vec<bool>>,
    open: Vec<Vec<bool>>,
    gated: Vec<Vec<bool>>,
}

impl Pool {
    fn add(&mut self, h: &HeldOut, lines: &[&Line]) {
        self.gold.extend(lines.iter().map(|l| l.gold.clone()));
        self.rules.extend(lines.iter().map(|l| as_gold(&l.rules)));
        self.open.extend(super::with_model(&h.open, lines));
        self.gated.extend(super::with_model(&h.gated, lines));
    }

    /// Rules, rules+model (every label), rules+gated model.
    fn score(&self) -> [Multi; 3] {
        let n = Label::ALL.len();
        [&self.rules, &self.open, &self.gated].map(|p| Multi::score(&self.gold, p, n))
    }
}

/// The grouped evaluation: for each set, train and gate on the others and
/// score on it, as written and restyled; then every held-out line pooled;
/// then the gate of the shipped model, over every set.
pub fn report() -> Result<String, String> {
    let p = params();
    let owned = load(&sets_dirs(), p.bits)?;
    let sets: Vec<&Set> = owned.iter().collect();
    if sets.len() < 2 {
        return Err("the grouped evaluation needs at least two sets".into());
    }
    let names = names();
    let mut out = String::from(
        "## detect-intents: grouped by set (train on the others, score on the one held out)\n\n\
         Columns: the rules alone; rules+model with every label; rules+model with only the \
         labels its gate opens, the gate decided by the same grouped evaluation inside the \
         training sets (what would ship if they were all the sets).\n\n",
    );
    let mut pooled: Vec<Pool> = STYLES.iter().map(|_| Pool::default()).collect();
    let mut robustness = String::from(
        "| held out | form | rules P / R / F1 \\| FP | rules+gated model P / R / F1 \\| FP |\n|---|---|---|---|\n",
    );
    let mut shipped_folds = vec![Vec::new(); Label::ALL.len()];
    for (k, held) in sets.iter().enumerate() {
        let h = held_out(&sets, k, &p);
        let others = others_named(&sets, k);
        let test: Vec<&Line> = held.lines.iter().collect();
        let (r, m) = evaluate(&h.open, &test);
        let (_, g) = evaluate(&h.gated, &test);
        for (f, (rules, model)) in shipped_folds.iter_mut().zip(r.labels.iter().zip(&m.labels)) {
            f.push(Fold {
                rules: *rules,
                model: *model,
            });
        }
        out.push_str(&format!(
            "### held out: {} ({} lines), trained on {}\n\nGate decided on {}: open for {}.\n\n",
            held.name,
            test.len(),
            others,
            others,
            h.open_list()
        ));
        out.push_str(&multi_table(
            &names,
            &[
                ("rules", &r),
                ("rules+model", &m),
                ("rules+gated model", &g),
            ],
        ));
        out.push('\n');
        for (s, (style, rewrite)) in STYLES.iter().enumerate() {
            let restyled;
            let lines: Vec<&Line> = if s == 0 {
                test.clone()
            } else {
                restyled = super::restyled(held, rewrite, p.bits);
                restyled.lines.iter().collect()
            };
            pooled[s].add(&h, &lines);
            let (r, g) = evaluate(&h.gated, &lines);
            robustness.push_str(&format!(
                "| {} | {style} | {} | {} |\n",
                held.name,
                micro_cells(&r),
                micro_cells(&g)
            ));
        }
    }
    let total = pooled[0].gold.len();
    let [r, m, g] = pooled[0].score();
    out.push_str(&format!(
        "### all held-out lines pooled ({total} lines)\n\n"
    ));
    out.push_str(&multi_table(
        &names,
        &[
            ("rules", &r),
            ("rules+model", &m),
            ("rules+gated model", &g),
        ],
    ));
    for (s, (style, _)) in STYLES.iter().enumerate() {
        let [r, _, g] = pooled[s].score();
        robustness.push_str(&format!(
            "| pooled | {style} | {} | {} |\n",
            micro_cells(&r),
            micro_cells(&g)
        ));
    }
    out.push_str(&format!(
        "\n### robustness: each held-out set rewritten (`textmodel::transform`)\n\n{robustness}"
    ));
    out.push_str("\n### the shipped model's gate (every set held out in turn)\n\n");
    out.push_str("| label | per held-out set; F1 pooled: verdict |\n|---|---|\n");
    for (name, folds) in names.iter().zip(&shipped_folds) {
        out.push_str(&format!("| {name} | {} |\n", gate::describe(folds)));
    }
    Ok(out)
}

fn labels_of(v: &[bool]) -> String {
    let l: Vec<&str> = Label::ALL
        .iter()
        .zip(v)
        .filter(|(_, on)| **on)
        .map(|(l, _)| l.as_str())
        .collect();
    format!("[{}]", l.join(", "))
}

/// The lines of the set named `name` that the rules or rules+gated model
/// (trained and gated on the other sets) judge wrong, optionally in a
/// style of [`STYLES`] ("transcript", "transcript+homophones").
pub fn misses(name: &str, style: Option<&str>) -> Result<String, String> {
    let p = params();
    let owned = load(&sets_dirs(), p.bits)?;
    let sets: Vec<&Set> = owned.iter().collect();
    let k = position(&sets, name)?;
    let h = held_out(&sets, k, &p);
    let set = restyled(sets[k], style_named(&STYLES, style)?, p.bits);
    let mut out = format!("gate open for {}\n", h.open_list());
    for l in &set.lines {
        let rules = as_gold(&l.rules);
        let judged = super::with_model(&h.gated, &[l]).remove(0);
        if rules != l.gold || judged != l.gold {
            out.push_str(&format!(
                "{} {:?}: {}\n  gold {}\n  rules {}  model {}\n",
                l.id,
                l.speaker,
                l.text,
                labels_of(&l.gold),
                labels_of(&rules),
                labels_of(&judged)
            ));
        }
    }
    Ok(out)
}
