//! A skill's manifest as the host holds it, validated once at load.

use crate::{CapabilitySet, Schema};
use baton_types::flow::Flow;
use serde::Serialize;
use serde_json::Value;

/// A validated manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manifest {
    pub name: String,
    pub version: semver::Version,
    pub summary: String,
    #[serde(serialize_with = "caps_as_strings")]
    pub capabilities: CapabilitySet,
    pub default_fuel: u64,
    pub input_schema: Value,
    pub output_schema: Value,
    /// What it reads from earlier steps and produces for later ones, as
    /// its schemas' `x-baton-*` keywords declare.
    pub flow: Flow,
}

fn caps_as_strings<S: serde::Serializer>(caps: &CapabilitySet, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(caps.to_strings())
}

/// Why a manifest was refused; the message names the field and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid manifest: {0}")]
pub struct ManifestError(pub String);

/// Longest accepted skill name.
const MAX_NAME: usize = 64;
/// Longest accepted summary.
const MAX_SUMMARY: usize = 300;

/// A skill name: 1-64 characters of a-z, 0-9 and `-`, starting with a letter.
pub(super) fn check_name(name: &str) -> Result<(), ManifestError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        return Ok(());
    }
    Err(ManifestError(format!(
        "name `{}` must be 1-{MAX_NAME} characters of a-z, 0-9 and `-`, starting with a letter",
        name.escape_debug()
    )))
}

impl Manifest {
    /// Validate the raw fields returned by `describe`.
    pub fn validate(raw: crate::RawManifest) -> Result<Manifest, ManifestError> {
        let err = |m: String| Err(ManifestError(m));
        let name = raw.name;
        check_name(&name)?;
        let version = match semver::Version::parse(&raw.version) {
            Ok(v) => v,
            Err(e) => {
                return err(format!(
                    "version `{}` of `{name}` is not semver: {e}",
                    raw.version.escape_debug()
                ));
            }
        };
        let summary = raw.summary.trim().to_owned();
        if summary.is_empty() || summary.len() > MAX_SUMMARY {
            return err(format!(
                "summary of `{name}` must be 1-{MAX_SUMMARY} characters"
            ));
        }
        let capabilities = CapabilitySet::parse(&raw.capabilities)
            .map_err(|e| ManifestError(format!("`{name}` declares an {e}")))?;
        if raw.default_fuel == 0 {
            return err(format!("default-fuel of `{name}` must be positive"));
        }
        let schema = |what: &str, text: &str| -> Result<Value, ManifestError> {
            match serde_json::from_str::<Value>(text) {
                Ok(v @ Value::Object(_)) => Ok(v),
                Ok(Value::Bool(b)) => Ok(Value::Bool(b)),
                Ok(_) => Err(ManifestError(format!(
                    "{what} of `{name}` must be a JSON Schema object"
                ))),
                Err(e) => Err(ManifestError(format!(
                    "{what} of `{name}` is not JSON: {e}"
                ))),
            }
        };
        let input_schema = schema("input-schema", &raw.input_schema)?;
        let output_schema = schema("output-schema", &raw.output_schema)?;
        let flow = Flow::from_schemas(&input_schema, &output_schema)
            .map_err(|e| ManifestError(format!("the data flow of `{name}`: {e}")))?;
        Ok(Manifest {
            input_schema,
            output_schema,
            flow,
            name,
            version,
            summary,
            capabilities,
            default_fuel: raw.default_fuel,
        })
    }

    /// Compile the params and the output schema, in that order; a schema
    /// that does not compile refuses the skill.
    pub(crate) fn compile_schemas(&self) -> Result<(Schema, Schema), ManifestError> {
        let compile = |what: &str, schema: &Value| {
            Schema::compile(schema).map_err(|e| {
                ManifestError(format!(
                    "{what} of `{}` is not a usable JSON Schema: {e}",
                    self.name
                ))
            })
        };
        Ok((
            compile("input-schema", &self.input_schema)?,
            compile("output-schema", &self.output_schema)?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn manifest(input_schema: Value, output_schema: Value) -> Manifest {
        Manifest {
            name: "x".into(),
            version: semver::Version::new(0, 1, 0),
            summary: "x".into(),
            capabilities: CapabilitySet::default(),
            default_fuel: 1,
            input_schema,
            output_schema,
            flow: Flow::default(),
        }
    }

    #[test]
    fn both_schemas_compile() {
        let (params, output) = manifest(json!({ "type": "object" }), json!(true))
            .compile_schemas()
            .unwrap();
        assert!(params.check(&json!({})).is_ok());
        assert!(params.check(&json!([])).is_err());
        assert!(output.check(&json!("anything")).is_ok());
    }

    #[test]
    fn a_schema_that_does_not_compile_names_which_and_whose() {
        let e = manifest(json!({}), json!({ "type": 7 }))
            .compile_schemas()
            .unwrap_err();
        assert!(
            e.0.starts_with("output-schema of `x` is not a usable JSON Schema: "),
            "{e}"
        );
    }
}
