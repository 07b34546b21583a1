//! PLACEHOLDER until the condition module lands.
use serde_json::Value;
#[derive(Debug, Clone)]
pub struct Condition {
    src: String,
}
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct ConditionError {
    pub column: usize,
    pub message: String,
}
impl Condition {
    pub fn parse(src: &str, _roots: &[&str]) -> Result<Condition, ConditionError> {
        Ok(Condition { src: src.into() })
    }
    pub fn paths(&self) -> Vec<Vec<String>> {
        vec![]
    }
    pub fn eval(&self, _scope: &Value) -> bool {
        true
    }
    pub fn source(&self) -> &str {
        &self.src
    }
}
