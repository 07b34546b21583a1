//! Helper guest: strict params and output schemas, and an output that
//! breaks its own schema when its params say so.
//!
//! - params: `{ "due": <any JSON> }`, `due` required, nothing else allowed;
//! - data: `{ "actions": [{ "title": "Call back", "due": <due> }] }`, whose
//!   schema wants `due` to be an integer: `due = "tomorrow"` breaks it.
use baton_sdk::prelude::*;

struct OffSchema;

impl Skill for OffSchema {
    fn manifest() -> Manifest {
        Manifest::new(
            "off-schema",
            "0.1.0",
            "Writes what its params say, schema or not (tests).",
        )
        .default_fuel(5_000_000)
        .input_schema(json!({
            "type": "object",
            "required": ["due"],
            "additionalProperties": false,
            "properties": { "due": true }
        }))
        .output_schema(json!({
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
    }

    fn run(input: Input) -> Result<Output, SkillError> {
        let due = input.params.get("due").cloned().unwrap_or(Value::Null);
        Ok(Output::new(
            json!({ "actions": [{ "title": "Call back", "due": due }] }),
        ))
    }
}

export_skill!(OffSchema);
