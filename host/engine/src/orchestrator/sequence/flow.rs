//! A sequence with `order = "flow"` laid out in stages: each step after the
//! steps producing what its skill `needs` or `uses` (the skills' declared
//! [`Flow`]), the steps it names in `after` and the steps its condition
//! reads; a `group` kept together as one. Steps nothing orders run side by
//! side, and each runs as late as what reads it allows, so the steps no
//! other step reads (the deliveries, the drafts waiting for a person) share
//! the last stage and no gate holds up a step that does not read its step.
//!
//! A need no step produces, a step reading its own group, and a cycle are
//! refused, naming the steps. Pure: the skills' flows come in as a function.

use super::{Order, Sequence, SequenceError, WaitsOn};
use baton_types::flow::Flow;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

impl Sequence {
    /// This sequence with its steps in stage order and each step's `stage`
    /// set, when its order is `flow` (as it is otherwise). `flow_of` gives a
    /// skill's declared flow (`None`: not installed, read as declaring
    /// nothing). Problems name the steps, at their lines.
    pub fn lay_out(
        &self,
        flow_of: impl Fn(&str) -> Option<Flow>,
    ) -> Result<Sequence, Vec<SequenceError>> {
        if self.order != Order::Flow {
            return Ok(self.clone());
        }
        let mut steps = self.steps.clone();
        // As listed, whatever an earlier lay-out did.
        steps.sort_by_key(|s| s.line);
        let error = |line: usize, message: String| SequenceError {
            file: self.file.clone(),
            line,
            column: 1,
            message,
        };
        let flows: Vec<Flow> = steps
            .iter()
            .map(|s| flow_of(&s.skill).unwrap_or_default())
            .collect();
        let mut producers: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, f) in flows.iter().enumerate() {
            for p in &f.produces {
                producers.entry(p.as_str()).or_default().push(i);
            }
        }
        // A group is one node; any other step is a node of its own.
        let mut node_of = Vec::with_capacity(steps.len());
        let mut groups: BTreeMap<&str, usize> = BTreeMap::new();
        let mut nodes: Vec<Vec<usize>> = Vec::new();
        for (i, s) in steps.iter().enumerate() {
            let n = match s.group.as_deref() {
                Some(g) => *groups.entry(g).or_insert_with(|| {
                    nodes.push(Vec::new());
                    nodes.len() - 1
                }),
                None => {
                    nodes.push(Vec::new());
                    nodes.len() - 1
                }
            };
            nodes[n].push(i);
            node_of.push(n);
        }
        let mut problems = Vec::new();
        let mut deps: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); nodes.len()];
        let mut waits_on: Vec<Vec<WaitsOn>> = Vec::with_capacity(steps.len());
        for (i, s) in steps.iter().enumerate() {
            let mut on: Vec<(usize, String)> = Vec::new();
            for need in &flows[i].needs {
                let from: Vec<usize> = producers
                    .get(need.as_str())
                    .map(|p| p.iter().copied().filter(|&j| j != i).collect())
                    .unwrap_or_default();
                if from.is_empty() {
                    problems.push(error(
                        s.line,
                        format!(
                            "step `{}` (skill `{}`) needs `{need}`, which no other step of \
                             this sequence produces",
                            s.name, s.skill
                        ),
                    ));
                }
                on.extend(from.into_iter().map(|j| (j, format!("reads `{need}` of"))));
            }
            for used in &flows[i].uses {
                for &j in producers.get(used.as_str()).into_iter().flatten() {
                    if j != i {
                        on.push((j, format!("reads `{used}` of")));
                    }
                }
            }
            for name in &s.after {
                if let Some(j) = steps.iter().position(|t| &t.name == name) {
                    on.push((j, "runs after".into()));
                }
            }
            for name in condition_reads(s) {
                if let Some(j) = steps.iter().position(|t| t.name == name) {
                    on.push((j, "has a condition on".into()));
                }
            }
            let mut waits: Vec<WaitsOn> = Vec::new();
            for (j, how) in &on {
                let because = how.trim_end_matches(" of").to_owned();
                match waits.iter_mut().find(|w| w.step == steps[*j].name) {
                    Some(w) if !w.because.contains(&because) => {
                        w.because = format!("{}; {because}", w.because);
                    }
                    Some(_) => {}
                    None => waits.push(WaitsOn {
                        step: steps[*j].name.clone(),
                        because,
                    }),
                }
            }
            waits_on.push(waits);
            for (j, how) in on {
                if node_of[j] == node_of[i] {
                    problems.push(error(
                        s.line,
                        format!(
                            "step `{}` {how} `{}`, in its own group `{}`; steps of one group \
                             run side by side",
                            s.name,
                            steps[j].name,
                            s.group.as_deref().unwrap_or_default()
                        ),
                    ));
                } else {
                    deps[node_of[i]].insert(node_of[j]);
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let Some(topo) = topological(&deps) else {
            let cycle = cycle(&deps);
            let names: Vec<String> = cycle
                .iter()
                .map(|&n| format!("`{}`", steps[nodes[n][0]].name))
                .collect();
            let first = nodes[cycle[0]][0];
            return Err(vec![error(
                steps[first].line,
                format!(
                    "steps wait on each other in a cycle: {} (each reads or runs after the next)",
                    names.join(" → ")
                ),
            )]);
        };
        // As late as what reads it allows: the height of a node is its
        // longest path to a node nothing reads.
        let mut height = vec![0usize; nodes.len()];
        for &n in topo.iter().rev() {
            for &d in &deps[n] {
                height[d] = height[d].max(height[n] + 1);
            }
        }
        let top = height.iter().copied().max().unwrap_or(0);
        let mut laid: Vec<(usize, usize)> = (0..steps.len())
            .map(|i| (top - height[node_of[i]], i))
            .collect();
        laid.sort();
        let mut out = self.clone();
        out.steps = laid
            .iter()
            .map(|&(stage, i)| {
                let mut s = steps[i].clone();
                s.stage = Some(stage);
                s.waits_on = waits_on[i].clone();
                s
            })
            .collect();
        let layout: Vec<String> = out
            .steps
            .iter()
            .map(|s| format!("{}:{}", s.stage.unwrap_or(0), s.name))
            .collect();
        out.hash = hex::encode(Sha256::digest(
            format!("{}\n{}", self.file_hash, layout.join(",")).as_bytes(),
        ));
        Ok(out)
    }
}

/// The steps a step's condition reads.
fn condition_reads(step: &super::Step) -> Vec<String> {
    let Some(c) = &step.condition else {
        return Vec::new();
    };
    c.paths()
        .into_iter()
        .filter(|p| p.first().map(String::as_str) == Some("steps"))
        .filter_map(|p| p.get(1).cloned())
        .collect()
}

/// The nodes in an order where each comes after its `deps`, or `None` when
/// some wait on each other.
fn topological(deps: &[BTreeSet<usize>]) -> Option<Vec<usize>> {
    let mut placed = vec![false; deps.len()];
    let mut out = Vec::with_capacity(deps.len());
    while out.len() < deps.len() {
        let ready: Vec<usize> = (0..deps.len())
            .filter(|&n| !placed[n] && deps[n].iter().all(|&d| placed[d]))
            .collect();
        if ready.is_empty() {
            return None;
        }
        for n in ready {
            placed[n] = true;
            out.push(n);
        }
    }
    Some(out)
}

/// One cycle among `deps` (which has one), in order: each node waits on
/// the next, the last on the first.
fn cycle(deps: &[BTreeSet<usize>]) -> Vec<usize> {
    // Drop what can be placed: every node left waits on another left.
    let mut left: BTreeSet<usize> = (0..deps.len()).collect();
    loop {
        let free: Vec<usize> = left
            .iter()
            .copied()
            .filter(|&n| deps[n].iter().all(|d| !left.contains(d)))
            .collect();
        if free.is_empty() {
            break;
        }
        for n in free {
            left.remove(&n);
        }
    }
    let Some(&start) = left.iter().next() else {
        return Vec::new();
    };
    let mut path = vec![start];
    loop {
        let last = path[path.len() - 1];
        let Some(&next) = deps[last].iter().find(|d| left.contains(d)) else {
            return path;
        };
        if let Some(at) = path.iter().position(|&p| p == next) {
            let mut c = path.split_off(at);
            // Written as "each waits on the next", reversed to read in
            // the order the steps would run.
            c.reverse();
            return c;
        }
        path.push(next);
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_test as p;
    use super::*;

    fn flow(needs: &[&str], uses: &[&str], produces: &[&str]) -> Flow {
        let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        Flow {
            needs: v(needs),
            uses: v(uses),
            produces: v(produces),
        }
    }

    /// The meeting chain's shape: two sources, a step reading both, a
    /// coach, and five steps nothing reads.
    fn skills(name: &str) -> Option<Flow> {
        Some(match name {
            "extract" => flow(&[], &[], &["m.items"]),
            "detect" => flow(&[], &[], &["m.intents"]),
            "suggest" => flow(&["m.items"], &["m.intents"], &["m.next"]),
            "coach" => flow(&[], &[], &["m.review"]),
            "draft" => flow(&["m.items"], &["m.intents"], &[]),
            "summary" => flow(&[], &["m.items", "m.next"], &[]),
            "feedback" => flow(&["m.review"], &[], &[]),
            "loop-a" => flow(&["x.b"], &[], &["x.a"]),
            "loop-b" => flow(&["x.a"], &[], &["x.b"]),
            _ => return None,
        })
    }

    fn stages(seq: &Sequence) -> Vec<Vec<&str>> {
        seq.stages()
            .into_iter()
            .map(|r| seq.steps[r].iter().map(|s| s.name.as_str()).collect())
            .collect()
    }

    #[test]
    fn steps_run_after_what_they_read_and_as_late_as_their_readers_allow() {
        let seq = p(r#"
event = "m"
order = "flow"
[[step]]
skill = "draft"
approval = "confirm"
[[step]]
skill = "summary"
[[step]]
skill = "feedback"
condition = 'steps.coach.status == "completed"'
[[step]]
skill = "coach"
[[step]]
skill = "suggest"
[[step]]
skill = "extract"
[[step]]
skill = "detect"
"#)
        .unwrap();
        let laid = seq.lay_out(skills).unwrap();
        assert_eq!(
            stages(&laid),
            vec![
                vec!["extract", "detect"],
                vec!["coach", "suggest"],
                vec!["draft", "summary", "feedback"],
            ]
        );
        assert_ne!(laid.hash, seq.hash);
        // Laying out again gives the same sequence.
        let again = laid.lay_out(skills).unwrap();
        assert_eq!(again.hash, laid.hash);
        assert_eq!(stages(&again), stages(&laid));
    }

    #[test]
    fn groups_and_after_are_honoured() {
        let seq = p(r#"
event = "m"
order = "flow"
[[step]]
skill = "extract"
group = "g"
[[step]]
skill = "coach"
group = "g"
[[step]]
skill = "detect"
after = ["coach"]
"#)
        .unwrap();
        let laid = seq.lay_out(skills).unwrap();
        assert_eq!(
            stages(&laid),
            vec![vec!["extract", "coach"], vec!["detect"]]
        );
    }

    #[test]
    fn a_missing_producer_and_a_cycle_are_refused_naming_the_steps() {
        let missing = p("event = \"m\"\norder = \"flow\"\n[[step]]\nskill = \"extract\"\n[[step]]\nskill = \"feedback\"\n")
            .unwrap()
            .lay_out(skills)
            .unwrap_err();
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].line, 5);
        assert!(
            missing[0]
                .message
                .contains("step `feedback` (skill `feedback`) needs `m.review`"),
            "{}",
            missing[0]
        );
        let cycle = p("event = \"m\"\norder = \"flow\"\n[[step]]\nskill = \"loop-a\"\n[[step]]\nskill = \"loop-b\"\n")
            .unwrap()
            .lay_out(skills)
            .unwrap_err();
        assert!(
            cycle[0].message.contains("cycle: `loop-a` → `loop-b`")
                || cycle[0].message.contains("cycle: `loop-b` → `loop-a`"),
            "{}",
            cycle[0]
        );
        let after = p("event = \"m\"\norder = \"flow\"\n[[step]]\nskill = \"extract\"\nafter = [\"detect\"]\n[[step]]\nskill = \"detect\"\nafter = [\"extract\"]\n")
            .unwrap()
            .lay_out(skills)
            .unwrap_err();
        assert!(after[0].message.contains("cycle"), "{}", after[0]);
    }

    #[test]
    fn flow_words_are_refused_where_they_mean_nothing() {
        let e =
            p("event = \"m\"\n[[step]]\nskill = \"a\"\nafter = [\"b\"]\n[[step]]\nskill = \"b\"\n")
                .unwrap_err();
        assert!(e.message.contains("needs order = \"flow\""), "{e}");
        let e = p("event = \"m\"\norder = \"flow\"\n[[step]]\nskill = \"a\"\nafter = [\"c\"]\n[[step]]\nskill = \"b\"\n")
            .unwrap_err();
        assert!(
            e.message.contains("reads `c`, which is not another step"),
            "{e}"
        );
        assert_eq!(e.line, 5);
    }
}
