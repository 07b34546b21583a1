//! Each step's params against its skill's params schema. Sequences load
//! before the skills, so this runs once both are in hand; a step whose
//! skill is not installed is left to [`Sequences::missing_skills`].

use super::{SequenceError, Sequences};
use crate::runtime::Schema;

impl Sequences {
    /// For each step whose skill `schema_of` knows, a [`SequenceError`] at
    /// its `params` (the step's line when it has none) if the params break
    /// that skill's params schema, naming where.
    pub fn invalid_params(&self, schema_of: impl Fn(&str) -> Option<Schema>) -> Vec<SequenceError> {
        let mut out = Vec::new();
        for seq in self.iter() {
            for step in &seq.steps {
                // A fallback runs with the step's params too.
                for skill in std::iter::once(step.skill.as_str()).chain(step.on_failure.fallback())
                {
                    let Some(schema) = schema_of(skill) else {
                        continue;
                    };
                    if let Err(v) = schema.check(&step.params) {
                        let (line, column) = step.params_at;
                        out.push(SequenceError {
                            file: seq.file.clone(),
                            line,
                            column,
                            message: format!(
                                "params of step `{}` do not match the params schema of skill `{}` \
                             (`baton skill check` prints it): {v}",
                                step.name, skill
                            ),
                        });
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_test as p;
    use super::*;
    use serde_json::json;

    fn schema() -> Schema {
        Schema::compile(&json!({
            "type": "object",
            "additionalProperties": false,
            "properties": { "min_confidence": { "type": "number", "maximum": 1 } }
        }))
        .unwrap()
    }

    fn check(text: &str) -> Vec<SequenceError> {
        let mut all = Sequences::default();
        all.insert(p(text).unwrap());
        all.invalid_params(|s| (s == "strict").then(schema))
    }

    #[test]
    fn params_that_match_pass() {
        let bad = check(
            "event = \"x\"\n[[step]]\nskill = \"strict\"\nparams = { min_confidence = 0.5 }\n",
        );
        assert_eq!(bad, vec![]);
    }

    #[test]
    fn a_bad_param_is_reported_at_the_params_with_its_path() {
        let bad = check(
            "event = \"x\"\n[[step]]\nskill = \"strict\"\nparams = { min_confidence = 2.0 }\n",
        );
        assert_eq!(bad.len(), 1, "{bad:?}");
        assert_eq!((bad[0].line, bad[0].column), (4, 10));
        assert!(
            bad[0].message.contains("skill `strict`")
                && bad[0]
                    .message
                    .contains("/min_confidence: 2.0 is greater than"),
            "{}",
            bad[0]
        );
    }

    #[test]
    fn a_params_table_is_reported_at_its_header() {
        let bad = check(
            "event = \"x\"\n[[step]]\nskill = \"strict\"\n\n[step.params]\ntone = \"warm\"\n",
        );
        assert_eq!(bad.len(), 1, "{bad:?}");
        assert!(bad[0].line == 5 || bad[0].line == 6, "{}", bad[0]);
        assert!(bad[0].message.contains("/: "), "{}", bad[0]);
    }

    #[test]
    fn a_step_without_params_is_reported_at_its_line() {
        let mut all = Sequences::default();
        all.insert(p("event = \"x\"\n\n[[step]]\nskill = \"needy\"\n").unwrap());
        let needs = Schema::compile(&json!({ "type": "object", "required": ["tone"] })).unwrap();
        let bad = all.invalid_params(|_| Some(needs.clone()));
        assert_eq!((bad[0].line, bad[0].column), (3, 1), "{bad:?}");
        assert!(bad[0].message.contains("\"tone\" is a required property"));
    }

    #[test]
    fn steps_of_unknown_skills_are_left_to_missing_skills() {
        let bad = check("event = \"x\"\n[[step]]\nskill = \"gone\"\nparams = { a = 1 }\n");
        assert_eq!(bad, vec![]);
    }
}
