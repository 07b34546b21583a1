//! The grouped evaluation's report (`--report`) and the list of one set's
//! emails judged wrong (`--misses`). Each set is held out in turn: the
//! model is trained and its gate decided on the other sets only, then the
//! held-out set is scored as written and as typed on a phone
//! ([`textmodel::transform::mobile`], the robustness rows).

use super::{
    Evidence, Line, Set, gate_evidence, index, load, params, predict, restyled, sets_dirs, train,
};
use crate::classify::Intent;
use textmodel::gate;
use textmodel::grouped::{
    HeldOut, Style, all_but, as_written, others, others_named, position, style_named,
};
use textmodel::score::{Single, single_table};
use textmodel::train::Params;
use textmodel::transform;

/// The forms each held-out set is scored in; `--misses SET STYLE` takes
/// the names after the first.
pub const STYLES: [(&str, Style); 2] = [("as written", as_written), ("mobile", transform::mobile)];

/// The held-out `k`-th set's models.
fn held_out(sets: &[&Set], k: usize, p: &Params) -> HeldOut {
    let gates: Vec<bool> = gate_evidence(&others(sets, k), p)
        .iter()
        .map(Evidence::open)
        .collect();
    HeldOut::new(train(&all_but(sets, k), p), &gates)
}

fn names() -> Vec<&'static str> {
    Intent::ALL.iter().map(|i| i.as_str()).collect()
}

/// Gold, rules and rules+model labels, for pooling.
#[derive(Default)]
struct Pool {
    gold: Vec<usize>,
    rules: Vec<usize>,
    open: Vec<usize>,
    gated: Vec<usize>,
}

impl Pool {
    fn add(&mut self, h: &HeldOut, lines: &[&Line]) {
        self.gold.extend(lines.iter().map(|l| index(l.gold)));
        let (r, o) = predict(&h.open, lines);
        let (_, g) = predict(&h.gated, lines);
        self.rules.extend(r);
        self.open.extend(o);
        self.gated.extend(g);
    }

    /// Rules, rules+model (every label), rules+gated model.
    fn score(&self) -> [Single; 3] {
        let n = Intent::ALL.len();
        [&self.rules, &self.open, &self.gated].map(|p| Single::score(&self.gold, p, n))
    }
}

fn accuracy_cell(s: &Single) -> String {
    format!("{:.3} ({}/{})", s.accuracy(), s.right, s.total)
}

/// The grouped evaluation: for each set, train and gate on the others and
/// score on it, as written and on a phone; then every held-out email
/// pooled; then the gate of the shipped model, over every set.
pub fn report() -> Result<String, String> {
    let p = params();
    let owned = load(&sets_dirs(), p.bits)?;
    let sets: Vec<&Set> = owned.iter().collect();
    if sets.len() < 2 {
        return Err("the grouped evaluation needs at least two sets".into());
    }
    let names = names();
    let mut out = String::from(
        "## classify-email-intent: grouped by set (train on the others, score on the one held out)\n\n\
         Columns: the rules alone; rules+model with every label; rules+model with only the \
         labels its gate opens, the gate decided by the same grouped evaluation inside the \
         training sets.\n\n",
    );
    let mut pooled: Vec<Pool> = STYLES.iter().map(|_| Pool::default()).collect();
    let mut robustness = String::from(
        "| held out | form | rules accuracy | rules+gated model accuracy |\n|---|---|---|---|\n",
    );
    for (k, held) in sets.iter().enumerate() {
        let h = held_out(&sets, k, &p);
        let others = others_named(&sets, k);
        out.push_str(&format!(
            "### held out: {} ({} emails), trained on {}\n\nGate decided on {}: open for {}.\n\n",
            held.name,
            held.lines.len(),
            others,
            others,
            h.open_list()
        ));
        for (s, (style, rewrite)) in STYLES.iter().enumerate() {
            let restyled;
            let lines: Vec<&Line> = if s == 0 {
                held.lines.iter().collect()
            } else {
                restyled = super::restyled(held, rewrite, p.bits);
                restyled.lines.iter().collect()
            };
            let mut one = Pool::default();
            one.add(&h, &lines);
            pooled[s].add(&h, &lines);
            let [r, m, g] = one.score();
            if s == 0 {
                out.push_str(&single_table(
                    &names,
                    &[
                        ("rules", &r),
                        ("rules+model", &m),
                        ("rules+gated model", &g),
                    ],
                ));
                out.push('\n');
            }
            robustness.push_str(&format!(
                "| {} | {style} | {} | {} |\n",
                held.name,
                accuracy_cell(&r),
                accuracy_cell(&g)
            ));
        }
    }
    let [r, m, g] = pooled[0].score();
    out.push_str(&format!(
        "### all held-out emails pooled ({} emails)\n\n",
        pooled[0].gold.len()
    ));
    out.push_str(&single_table(
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
            accuracy_cell(&r),
            accuracy_cell(&g)
        ));
    }
    out.push_str(&format!(
        "\n### robustness: each held-out set as typed on a phone (`textmodel::transform::mobile`)\n\n{robustness}"
    ));
    out.push_str("\n### the shipped model's gate (every set held out in turn)\n\n");
    out.push_str("| label | per held-out set; F1 pooled: verdict | emails right, rules → model |\n|---|---|---|\n");
    for (name, ev) in names.iter().zip(gate_evidence(&sets, &p)) {
        out.push_str(&format!(
            "| {name} | {} | {} → {}{} |\n",
            gate::describe(&ev.folds),
            ev.right_rules,
            ev.right_model,
            if ev.open() { "" } else { " (shut)" }
        ));
    }
    Ok(out)
}

/// The emails of the set named `name` that the rules or rules+gated model
/// (trained and gated on the other sets) judge wrong, as written or
/// `mobile`.
pub fn misses(name: &str, style: Option<&str>) -> Result<String, String> {
    let p = params();
    let owned = load(&sets_dirs(), p.bits)?;
    let sets: Vec<&Set> = owned.iter().collect();
    let k = position(&sets, name)?;
    let h = held_out(&sets, k, &p);
    let set = restyled(sets[k], style_named(&STYLES, style)?, p.bits);
    let mut out = format!("gate open for {}\n", h.open_list());
    let names = names();
    for l in &set.lines {
        let (r, g) = predict(&h.gated, &[l]);
        let gold = index(l.gold);
        if r[0] != gold || g[0] != gold {
            out.push_str(&format!(
                "{} gold {} rules {} model {} {:?}\n  subject: {}\n  {}\n",
                l.id,
                names[gold],
                names[r[0]],
                names[g[0]],
                l.rules.reasons,
                l.subject,
                l.rules.newest.replace('\n', "\n  ")
            ));
        }
    }
    Ok(out)
}
