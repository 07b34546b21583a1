//! One sequence file to a [`Sequence`]: the TOML read with spans (serde
//! refuses unknown fields and values), each step checked by `validate.rs`,
//! and every problem turned into a [`SequenceError`] at its
//! `file:line:col`. It never reads the disk; `load.rs` hands it the text.

use super::raw::RawSequence;
use super::step::{Order, Step, Tier};
use super::{Sequence, SequenceError, validate};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

/// Default time a person has to answer a gate.
const DEFAULT_EXPIRY: Duration = Duration::from_secs(24 * 3600);

/// Parse and validate one sequence file.
pub fn parse(file: &Path, text: &str) -> Result<Sequence, SequenceError> {
    let at = |offset: usize, message: String| {
        let (line, column) = line_col(text, offset);
        SequenceError {
            file: file.to_owned(),
            line,
            column,
            message,
        }
    };
    let raw: RawSequence = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        at(offset, e.message().trim().to_owned())
    })?;
    let event = raw.event.get_ref();
    if !validate::is_event_name(event) {
        return Err(at(
            raw.event.span().start,
            format!("event `{event}` must be lowercase letters, digits and `_`"),
        ));
    }
    let payload_schema = match &raw.payload_schema {
        Some(p) if !is_inside(p.get_ref()) => {
            return Err(at(
                p.span().start,
                format!(
                    "payload_schema `{}` must be a `.json` file inside the sequences folder \
                     (a relative path without `..`)",
                    p.get_ref()
                ),
            ));
        }
        Some(p) => Some(p.get_ref().clone()),
        None => None,
    };
    if raw.step.is_empty() {
        return Err(at(0, "a sequence needs at least one [[step]]".into()));
    }
    let step_estimate_micros = match raw.step_estimate {
        None => 0,
        Some(d) if d.is_finite() && d >= 0.0 => (d * 1e6).round() as i64,
        Some(d) => {
            return Err(at(
                0,
                format!("step_estimate {d} must be a dollar amount ≥ 0"),
            ));
        }
    };
    let raw_order = raw.order;
    let mut steps: Vec<Step> = Vec::new();
    // Names a step reads by condition or `after`, checked once every step
    // is read (under flow they may name a step listed later).
    let mut reads: Vec<(usize, String)> = Vec::new();
    let mut pending: Vec<(usize, String, String)> = Vec::new();
    let mut groups_closed = BTreeSet::new();
    for spanned in raw.step {
        let step_at = spanned.span().start;
        let raw = spanned.into_inner();
        let skill = raw.skill.get_ref().clone();
        if !validate::is_skill_name(&skill) {
            return Err(at(
                raw.skill.span().start,
                format!("skill `{skill}` is not a skill name (lowercase letters, digits, `-`)"),
            ));
        }
        let name = match &raw.name {
            Some(n) => n.get_ref().clone(),
            None => skill.clone(),
        };
        if steps.iter().any(|s| s.name == name) {
            let offset = raw.name.as_ref().map_or(step_at, |n| n.span().start);
            return Err(at(
                offset,
                format!("a step named `{name}` comes earlier; give this one a distinct `name`"),
            ));
        }
        let mut context = Vec::new();
        for t in &raw.context {
            context.push(Tier::parse(t.get_ref()).map_err(|m| at(t.span().start, m))?);
        }
        let on_failure =
            validate::on_failure(&raw).map_err(|(o, m)| at(o.unwrap_or(step_at), m))?;
        let condition = match &raw.condition {
            None => None,
            Some(src) => Some(
                validate::condition(src, raw.group.as_deref(), &steps, raw_order)
                    .map_err(|(o, m)| at(o, m))?,
            ),
        };
        if let Some(first) = raw.after.first()
            && raw_order != Order::Flow
        {
            return Err(at(
                first.span().start,
                "`after` needs order = \"flow\" (listed steps already run in order)".into(),
            ));
        }
        for a in &raw.after {
            reads.push((a.span().start, a.get_ref().clone()));
        }
        if let (Some(c), Some(src)) = (&condition, &raw.condition) {
            for path in c.paths() {
                if path.first().map(String::as_str) == Some("steps")
                    && let Some(target) = path.get(1)
                {
                    reads.push((src.span().start + 1, target.clone()));
                }
            }
        }
        validate::group(raw.group.as_deref(), &steps, &mut groups_closed)
            .map_err(|m| at(step_at, m))?;
        if raw.fuel == Some(0) || raw.timeout_ms == Some(0) {
            return Err(at(step_at, "fuel and timeout_ms must be positive".into()));
        }
        let params_at = raw
            .params
            .as_ref()
            .map_or((line_col(text, step_at).0, 1), |t| {
                line_col(text, t.span().start)
            });
        let params = match raw.params {
            Some(t) => serde_json::to_value(t.into_inner())
                .map_err(|e| at(step_at, format!("params: {e}")))?,
            None => Value::Object(Default::default()),
        };
        steps.push(Step {
            name,
            skill,
            context,
            approval: raw.approval,
            on_failure,
            condition,
            fuel: raw.fuel,
            timeout: raw.timeout_ms.map(Duration::from_millis),
            params,
            group: raw.group,
            after: raw.after.iter().map(|a| a.get_ref().clone()).collect(),
            stage: None,
            waits_on: Vec::new(),
            expires_after: raw.expires_after_minutes.map_or(DEFAULT_EXPIRY, |m| {
                Duration::from_secs(m.saturating_mul(60))
            }),
            on_expiry: raw.on_expiry,
            line: line_col(text, step_at).0,
            skill_line: line_col(text, raw.skill.span().start).0,
            params_at,
        });
        if raw_order == Order::Flow {
            let me = name_of(&steps);
            for (offset, target) in reads.drain(..) {
                pending.push((offset, me.clone(), target));
            }
        }
        reads.clear();
    }
    for (offset, me, target) in pending {
        if target == me || !steps.iter().any(|s| s.name == target) {
            let others: Vec<String> = steps
                .iter()
                .filter(|s| s.name != me)
                .map(|s| format!("`{}`", s.name))
                .collect();
            return Err(at(
                offset,
                format!(
                    "step `{me}` reads `{target}`, which is not another step of this sequence (steps: {})",
                    others.join(", ")
                ),
            ));
        }
    }
    Ok(Sequence {
        event: event.clone(),
        description: raw.description,
        dedupe_key: raw.dedupe_key,
        payload_schema,
        payload: None,
        step_estimate_micros,
        pin: raw.pin,
        order: raw_order,
        steps,
        hash: hex::encode(Sha256::digest(text.as_bytes())),
        file_hash: hex::encode(Sha256::digest(text.as_bytes())),
        source: std::sync::Arc::from(text),
        version: None,
        file: file.to_owned(),
    })
}

/// The name of the last step read.
fn name_of(steps: &[Step]) -> String {
    steps.last().map(|s| s.name.clone()).unwrap_or_default()
}

/// Whether `path` names a `.json` file below the sequences folder.
fn is_inside(path: &str) -> bool {
    let p = Path::new(path);
    path.ends_with(".json")
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// 1-based line and column of a byte offset (also the line an app's own
/// TOML documents report errors at).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::super::parse_test as p;
    use super::super::{Approval, OnFailure, Pin, Tier};
    use std::path::Path;
    use std::time::Duration;

    #[test]
    fn pin_is_step_unless_the_file_says_job() {
        let step = "[[step]]\nskill = \"a\"\n";
        assert_eq!(p(&format!("event = \"x\"\n{step}")).unwrap().pin, Pin::Step);
        let job = p(&format!("event = \"x\"\npin = \"job\"\n{step}")).unwrap();
        assert_eq!(job.pin, Pin::Job);
        let bad = p(&format!("event = \"x\"\npin = \"forever\"\n{step}")).unwrap_err();
        assert_eq!((bad.line, bad.column), (2, 7), "{bad}");
        assert!(bad.message.contains("job"), "{bad}");
    }

    #[test]
    fn a_full_sequence_parses() {
        let seq = p(r#"
event = "email_received"
description = "Classify, then branch."
dedupe_key = "message_id"

[[step]]
skill = "classify-email-intent"
context = ["org"]
on_failure = "retry"
max_attempts = 3
backoff_ms = 200

[[step]]
name = "enrich-a"
skill = "enrich"
group = "enrich"
context = ["external:apollo"]
on_failure = "continue"

[[step]]
name = "enrich-b"
skill = "enrich"
group = "enrich"

[[step]]
skill = "draft-reply"
approval = "confirm"
condition = 'steps.classify-email-intent.data.intent == "needs_response"'
params = { tone = "warm" }
"#)
        .unwrap();
        assert_eq!(seq.event, "email_received");
        assert_eq!(seq.steps.len(), 4);
        assert_eq!(seq.stages(), vec![0..1, 1..3, 3..4]);
        assert_eq!(
            seq.steps[0].on_failure,
            OnFailure::Retry {
                max_attempts: 3,
                backoff: Duration::from_millis(200)
            }
        );
        assert_eq!(seq.steps[1].context, vec![Tier::External("apollo".into())]);
        assert_eq!(seq.steps[3].params["tone"], "warm");
        assert_eq!(seq.steps[3].approval, Approval::Confirm);
    }

    #[test]
    fn an_unknown_field_names_file_line_and_field() {
        let e = p("event = \"x\"\n\n[[step]]\nskill = \"a\"\nretries = 3\n").unwrap_err();
        assert_eq!((e.line, e.file.as_path()), (5, Path::new("seq.toml")));
        assert!(e.message.contains("retries"), "{e}");
        assert!(e.to_string().starts_with("seq.toml:5:"), "{e}");
    }
}
