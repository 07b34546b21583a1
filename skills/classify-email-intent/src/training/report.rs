//! The grouped evaluation's report (`--report`) and the list of one set's
//! emails judged wrong (`--misses`). Each set is held out in turn: the
//! model is trained and its gate decided on the other sets only, then the
//! held-out set is scored as written and as typed on a phone
//! ([`textmodel::transform::mobile`], the robustness rows).

use super::{
    Evidence, Line, Set, all_but, gate_evidence, index, load, params, predict, sets_dir, train,
};
use crate::classify::Intent;
use textmodel::score::{Single, single_table};
use textmodel::train::Params;
use textmodel::{Model, gate, transform};

/// A rewrite of a body (see [`textmodel::transform`]).
type Style = fn(&str) -> String;

fn as_written(t: &str) -> String {
    t.to_owned()
}

/// The forms each held-out set is scored in.
pub const STYLES: [(&str, Style); 2] = [("as written", as_written), ("mobile", transform::mobile)];

/// The held-out `k`-th set's model: trained on the others, gated by the
/// grouped evaluation over the others.
struct HeldOut {
    /// Every gate open.
    open: Model,
    gated: Model,
}

fn held_out(sets: &[&Set], k: usize, p: &Params) -> HeldOut {
    let open = train(&all_but(sets, k), p);
    let others: Vec<&Set> = sets
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != k)
        .map(|(_, s)| *s)
        .collect();
    let gates: Vec<bool> = gate_evidence(&others, p)
        .iter()
        .map(Evidence::open)
        .collect();
    let mut gated = open.clone();
    gated.set_gates(&gates);
    HeldOut { open, gated }
}

fn names() -> Vec<&'static str> {
    Intent::ALL.iter().map(|i| i.as_str()).collect()
}

fn open_list(model: &Model) -> String {
    let open = model.open_labels();
    if open.is_empty() {
        "none (rules alone)".to_owned()
    } else {
        open.join(", ")
    }
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
    let owned = load(&sets_dir(), p.bits)?;
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
        let others: Vec<&str> = sets
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .map(|(_, s)| s.name.as_str())
            .collect();
        out.push_str(&format!(
            "### held out: {} ({} emails), trained on {}\n\nGate decided on {}: open for {}.\n\n",
            held.name,
            held.lines.len(),
            others.join(", "),
            others.join(", "),
            open_list(&h.gated)
        ));
        for (s, (style, rewrite)) in STYLES.iter().enumerate() {
            let restyled;
            let lines: Vec<&Line> = if s == 0 {
                held.lines.iter().collect()
            } else {
                restyled = held.restyled(rewrite, p.bits);
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
    let owned = load(&sets_dir(), p.bits)?;
    let sets: Vec<&Set> = owned.iter().collect();
    let k = sets
        .iter()
        .position(|s| s.name == name)
        .ok_or_else(|| format!("no set named {name}"))?;
    let h = held_out(&sets, k, &p);
    let rewrite: Style = match style {
        None => as_written,
        Some("mobile") => transform::mobile,
        Some(other) => return Err(format!("unknown style {other}")),
    };
    let set = sets[k].restyled(rewrite, p.bits);
    let mut out = format!("gate open for {}\n", open_list(&h.gated));
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
