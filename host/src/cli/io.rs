//! How commands read JSON arguments and print JSON results. A leaf beside
//! `exit`: every command uses it, it uses no command.

use super::exit::{Exit, Failure};

/// Print `value` as pretty JSON on stdout.
pub(crate) fn print_json(value: &impl serde::Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::new(Exit::Internal, format!("cannot print JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

/// JSON given inline or as `@FILE`; must be an object.
pub(crate) fn read_arg(value: &str, what: &str) -> Result<serde_json::Value, Failure> {
    let value = read_arg_any(value, what)?;
    if !value.is_object() {
        return Err(Failure::usage(format!("{what} must be a JSON object")));
    }
    Ok(value)
}

/// Any JSON value given inline or as `@FILE`.
pub(crate) fn read_arg_any(value: &str, what: &str) -> Result<serde_json::Value, Failure> {
    let text = match value.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| Failure::usage(format!("{what}: cannot read {path}: {e}")))?,
        None => value.to_owned(),
    };
    serde_json::from_str(&text)
        .map_err(|e| Failure::usage(format!("{what} is not valid JSON: {e}")))
}
