//! Lenient field readers for data the host hands over as it stands (context
//! tiers): a field of the wrong type reads as absent, as indexing the JSON
//! (`c["contact"]["name"].as_str()`) did, instead of failing the whole read.
//! Event payloads are not read this way: a payload of the wrong shape is
//! `invalid-input`.

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};
use serde_json::Value;

/// `Some(T)` when the field holds a `T`, `None` when it is absent, null or of
/// another type. Use with `#[serde(default, deserialize_with = "…")]`.
pub(crate) fn option<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let v = Value::deserialize(d)?;
    Ok(T::deserialize(v).ok())
}

/// The array's elements, each read as `T` or, when it is not one, as
/// `T::default()` (so counts and positions stay); empty when the field is
/// absent or not an array.
pub(crate) fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .map(|v| T::deserialize(v).unwrap_or_default())
            .collect(),
        _ => Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Deserialize, Default, Debug, PartialEq)]
    struct Row {
        #[serde(default, deserialize_with = "super::option")]
        name: Option<String>,
        #[serde(default, deserialize_with = "super::list")]
        tags: Vec<String>,
    }

    #[test]
    fn wrong_types_read_as_absent() {
        let r: Row = serde_json::from_value(json!({ "name": 5, "tags": ["a", 1] })).expect("reads");
        assert_eq!(
            r,
            Row {
                name: None,
                tags: vec!["a".into(), String::new()]
            }
        );
        let r: Row = serde_json::from_value(json!({ "tags": "x" })).expect("reads");
        assert_eq!(r, Row::default());
    }
}
