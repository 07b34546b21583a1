//! Whole sales calls against their recorded outcomes: each call's transcript
//! (the normalized JSON Lines of `shared/data/transcripts/normalized/`) runs
//! through an intent-detection skill, and what it finds is set against what
//! the call's outcome implies: a call that ended with a meeting booked
//! should yield a `commitment:schedule_meeting`; one with "no next step"
//! should yield no commitment to a next step at all. A contract sent is not
//! a proposal (the labelling rules count legal documents out), so such an
//! outcome implies no label.
//!
//! Pure: parsing, the seller/buyer split, expectations and the verdict. The
//! CLI runs the skill.

use super::intents::Example;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Commitments that mean "there is a next step".
const NEXT_STEP: [&str; 3] = [
    "commitment:schedule_meeting",
    "commitment:send_proposal",
    "request:send_content",
];

/// Roles that sit on the selling side of a call.
const SELLER_ROLES: [&str; 7] = [
    "account executive",
    "sales rep",
    "sales engineer",
    "ae",
    "sdr",
    "bdr",
    "tribeai",
];

/// What a call's outcome says the transcript should contain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "labels")]
pub enum Expectation {
    /// At least one of these labels.
    AnyOf(Vec<String>),
    /// None of the next-step commitments.
    NoNextStep,
    /// The outcome implies nothing checkable.
    Unknown,
}

/// Read an outcome line such as "Demo scheduled for next week".
pub(crate) fn expectation(outcome: Option<&str>) -> Expectation {
    let Some(o) = outcome.map(str::to_lowercase) else {
        return Expectation::Unknown;
    };
    let has = |w: &str| o.contains(w);
    if has("no next step") || has("not interested") || has("lost") {
        Expectation::NoNextStep
    } else if has("scheduled") || has("booked") {
        Expectation::AnyOf(vec!["commitment:schedule_meeting".into()])
    } else if has("proposal") || has("quote") || has("pricing") {
        Expectation::AnyOf(vec!["commitment:send_proposal".into()])
    } else if has("moving to") || has("moved forward") || has("pilot") {
        Expectation::AnyOf(NEXT_STEP.iter().map(|s| s.to_string()).collect())
    } else {
        Expectation::Unknown
    }
}

/// One call, ready to run.
#[derive(Debug, Clone)]
pub struct Call {
    pub id: String,
    pub outcome: Option<String>,
    pub examples: Vec<Example>,
    /// Utterances whose speaker is not a participant (headers, notes).
    pub skipped: usize,
}

/// The participants of a call as `(first name, seller?)`, from the
/// metadata's `participants` list or `attendees` line.
fn sides(meta: &Value) -> Vec<(String, bool)> {
    let list: Vec<String> = match (&meta["participants"], meta["attendees"].as_str()) {
        (Value::Array(a), _) => a
            .iter()
            .filter_map(|p| p.as_str().map(str::to_owned))
            .collect(),
        (_, Some(line)) => split_attendees(line),
        _ => Vec::new(),
    };
    list.iter()
        .filter_map(|p| {
            let first = p.split_whitespace().next()?.to_owned();
            let role = p
                .split_once('(')
                .map(|(_, r)| r.trim_end_matches(')').to_lowercase())
                .unwrap_or_default();
            let seller = role
                .split([',', ' '])
                .map(str::trim)
                .any(|w| SELLER_ROLES.contains(&w))
                || SELLER_ROLES
                    .iter()
                    .any(|r| r.contains(' ') && role.contains(r));
            Some((first, seller))
        })
        .collect()
}

/// "A (x, y), B (z)" → ["A (x, y)", "B (z)"]: commas inside brackets stay.
fn split_attendees(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth) = (Vec::new(), String::new(), 0u32);
    for c in line.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur).trim().to_owned());
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_owned());
    }
    out
}

/// A call from its JSON Lines text and its metadata entry.
pub fn parse_call(id: &str, text: &str, meta: &Value) -> Result<Call, String> {
    let people = sides(meta);
    if !people.iter().any(|(_, s)| *s) || !people.iter().any(|(_, s)| !*s) {
        return Err(format!("{id}: the metadata names no seller and buyer"));
    }
    let mut examples = Vec::new();
    let mut skipped = 0;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: Value =
            serde_json::from_str(line).map_err(|e| format!("{id}: line {}: {e}", n + 1))?;
        let speaker = row["speaker"].as_str().unwrap_or_default();
        let Some((_, seller)) = people.iter().find(|(p, _)| p == speaker) else {
            skipped += 1;
            continue;
        };
        examples.push(Example {
            id: format!("{id}:{n}"),
            speaker: if *seller { "rep" } else { "prospect" }.to_owned(),
            text: row["text"].as_str().unwrap_or_default().to_owned(),
            labels: Default::default(),
        });
    }
    if examples.is_empty() {
        return Err(format!("{id}: no utterance by a participant"));
    }
    Ok(Call {
        id: id.to_owned(),
        outcome: meta["outcome"].as_str().map(str::to_owned),
        examples,
        skipped,
    })
}

/// What one call yielded.
#[derive(Debug, Clone, Serialize)]
pub struct CallReport {
    pub id: String,
    pub outcome: Option<String>,
    pub utterances: usize,
    pub expected: Expectation,
    /// Label → how many times it was detected.
    pub found: BTreeMap<String, usize>,
    /// `true` agrees, `false` contradicts, `null` nothing to check.
    pub agrees: Option<bool>,
}

/// Set the detected labels (one set per utterance) against the outcome.
pub fn report(call: &Call, detected: &[std::collections::BTreeSet<String>]) -> CallReport {
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    for set in detected {
        for l in set {
            *found.entry(l.clone()).or_default() += 1;
        }
    }
    let expected = expectation(call.outcome.as_deref());
    let agrees = match &expected {
        Expectation::AnyOf(labels) => Some(labels.iter().any(|l| found.contains_key(l))),
        Expectation::NoNextStep => Some(!NEXT_STEP.iter().any(|l| found.contains_key(*l))),
        Expectation::Unknown => None,
    };
    CallReport {
        id: call.id.clone(),
        outcome: call.outcome.clone(),
        utterances: call.examples.len(),
        expected,
        found,
        agrees,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn outcomes_become_expectations() {
        assert_eq!(
            expectation(Some("Demo scheduled for next week")),
            Expectation::AnyOf(vec!["commitment:schedule_meeting".into()])
        );
        assert_eq!(expectation(Some("No next step")), Expectation::NoNextStep);
        assert_eq!(
            expectation(Some("Custom proposal sent")),
            Expectation::AnyOf(vec!["commitment:send_proposal".into()])
        );
        assert_eq!(
            expectation(Some("Contract sent, moving to final approval")),
            Expectation::AnyOf(NEXT_STEP.iter().map(|s| s.to_string()).collect())
        );
        assert_eq!(
            expectation(Some("Deal closed, contract signed")),
            Expectation::Unknown
        );
        assert_eq!(expectation(None), Expectation::Unknown);
    }

    #[test]
    fn sellers_and_buyers_from_either_metadata_layout() {
        let tribe = json!({ "participants": ["Maria (TribeAI Account Executive)", "Susan Park (CFO, ScaleUp Inc)"] });
        assert_eq!(
            sides(&tribe),
            vec![("Maria".into(), true), ("Susan".into(), false)]
        );
        let vault = json!({ "attendees": "Sarah Chen (VP Sales, Nextera Health), David Park (AE, SixtySixTen)" });
        assert_eq!(
            sides(&vault),
            vec![("Sarah".into(), false), ("David".into(), true)]
        );
    }

    #[test]
    fn headers_are_skipped_and_verdicts_follow_the_outcome() {
        let meta = json!({ "outcome": "No next step",
                           "participants": ["Brian (TribeAI Sales Rep)", "Patricia Moore (Director of Sales, TechStart)"] });
        let text = [
            r#"{"speaker": "Call ID", "text": "CC-1"}"#,
            r#"{"speaker": "Brian", "text": "Can I send you some times?"}"#,
            r#"{"speaker": "Patricia", "text": "No thanks."}"#,
        ]
        .join("\n");
        let call = parse_call("c", &text, &meta).expect("parses");
        assert_eq!((call.examples.len(), call.skipped), (2, 1));
        assert_eq!(call.examples[0].speaker, "rep");
        let none = vec![Default::default(); 2];
        assert_eq!(report(&call, &none).agrees, Some(true));
        let booked = vec![
            ["commitment:schedule_meeting".to_owned()]
                .into_iter()
                .collect(),
            Default::default(),
        ];
        assert_eq!(report(&call, &booked).agrees, Some(false));
    }
}
