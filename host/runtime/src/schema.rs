//! A JSON Schema compiled once, and where a value breaks it. The registry
//! compiles a skill's params and output schemas when it loads the skill;
//! a call's output data and a sequence step's params are checked against
//! them. A leaf: it knows no other module.

use serde::Serialize;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// Violations named in a message; the rest are counted.
const MAX_SHOWN: usize = 3;
/// Longest message kept per violation (it may quote the value).
const MAX_MESSAGE: usize = 160;

/// A compiled JSON Schema, cheap to clone.
#[derive(Clone)]
pub struct Schema(Arc<jsonschema::Validator>);

impl Schema {
    /// Compile `schema` (draft 2020-12 unless it names another through
    /// `$schema`). Remote `$ref`s are not fetched: a schema that needs one
    /// does not compile.
    pub fn compile(schema: &Value) -> Result<Schema, String> {
        jsonschema::validator_for(schema)
            .map(|v| Schema(Arc::new(v)))
            .map_err(|e| bounded(e.to_string()))
    }

    /// Check `value`: `Err` names the first violations by JSON pointer.
    pub fn check(&self, value: &Value) -> Result<(), Violations> {
        if self.0.is_valid(value) {
            return Ok(());
        }
        let mut first = Vec::new();
        let mut total = 0;
        for e in self.0.iter_errors(value) {
            total += 1;
            if first.len() < MAX_SHOWN {
                first.push(Violation {
                    path: e.instance_path().to_string(),
                    message: bounded(e.to_string()),
                });
            }
        }
        Err(Violations { first, total })
    }
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Schema(..)")
    }
}

/// One place a value breaks a schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// JSON pointer to the offending value (`/actions/0/due`; `` for the root).
    pub path: String,
    /// What is wrong there (`"tomorrow" is not of type "integer"`).
    pub message: String,
}

/// Where a value breaks a schema: the first few violations and how many in
/// all. Shown as `/actions/0/due: "tomorrow" is not of type "integer"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violations {
    pub first: Vec<Violation>,
    pub total: usize,
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.first.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            let path = if v.path.is_empty() { "/" } else { &v.path };
            write!(f, "{path}: {}", v.message)?;
        }
        let more = self.total.saturating_sub(self.first.len());
        if more > 0 {
            write!(f, " (and {more} more)")?;
        }
        Ok(())
    }
}

/// `text` cut to [`MAX_MESSAGE`] characters, marked when cut.
fn bounded(text: String) -> String {
    match text.char_indices().nth(MAX_MESSAGE) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Schema {
        Schema::compile(&json!({
            "type": "object",
            "required": ["actions"],
            "properties": {
                "actions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["title", "due"],
                        "properties": {
                            "title": { "type": "string" },
                            "due": { "type": "integer" }
                        }
                    }
                }
            }
        }))
        .unwrap()
    }

    #[test]
    fn a_conforming_value_passes() {
        let ok = json!({ "actions": [{ "title": "Call", "due": 3 }] });
        assert_eq!(schema().check(&ok), Ok(()));
    }

    #[test]
    fn a_violation_is_named_by_its_json_pointer() {
        let bad = json!({ "actions": [{ "title": "Call", "due": "tomorrow" }] });
        let v = schema().check(&bad).unwrap_err();
        assert_eq!(v.total, 1);
        assert_eq!(v.first[0].path, "/actions/0/due");
        assert_eq!(
            v.to_string(),
            r#"/actions/0/due: "tomorrow" is not of type "integer""#
        );
    }

    #[test]
    fn the_first_violations_are_shown_and_the_rest_counted() {
        let bad = json!({ "actions": [1, 2, 3, 4, 5] });
        let v = schema().check(&bad).unwrap_err();
        assert_eq!((v.first.len(), v.total), (MAX_SHOWN, 5));
        assert!(v.to_string().ends_with(" (and 2 more)"), "{v}");
        assert!(v.to_string().starts_with("/actions/0: "), "{v}");
    }

    #[test]
    fn a_violation_at_the_root_is_shown_as_slash() {
        let v = schema().check(&json!("text")).unwrap_err();
        assert!(v.to_string().starts_with("/: "), "{v}");
    }

    #[test]
    fn a_long_value_is_cut_in_the_message() {
        let long = "x".repeat(1000);
        let v = schema().check(&json!({ "actions": long })).unwrap_err();
        assert!(v.first[0].message.chars().count() <= MAX_MESSAGE + 1);
        assert!(v.first[0].message.ends_with('…'));
    }

    #[test]
    fn a_schema_that_is_not_a_schema_does_not_compile() {
        let e = Schema::compile(&json!({ "type": "no-such-type" })).unwrap_err();
        assert!(e.contains("no-such-type"), "{e}");
    }
}
