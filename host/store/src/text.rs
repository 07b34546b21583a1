//! Text the store can hold, one rule for both backends: Postgres refuses a
//! NUL character in text (SQLite keeps it), so NUL never reaches a text
//! column. Input from outside that carries one is refused at the door with
//! the field named ([`nul_at`]); free text a skill wrote (a gate's title, an
//! error message) is stored with each NUL shown as U+FFFD ([`storable`]).
//! JSON columns need nothing: JSON text escapes NUL as `\u0000`.

use serde_json::Value;
use std::borrow::Cow;

/// Whether `s` holds a NUL character.
pub fn has_nul(s: &str) -> bool {
    s.contains('\0')
}

/// The path (e.g. `payload.extra.title`, `attendees[2]`) of the first
/// string or object key in `v` that holds a NUL character, under `root`.
pub fn nul_at(v: &Value, root: &str) -> Option<String> {
    // Almost no document holds one: look without building paths first.
    if !holds_nul(v) {
        return None;
    }
    match v {
        Value::String(s) if has_nul(s) => Some(root.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, x)| nul_at(x, &format!("{root}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, x)| {
            let path = if root.is_empty() {
                k.clone()
            } else {
                format!("{root}.{k}")
            };
            if has_nul(k) {
                Some(path.replace('\0', "\\u0000"))
            } else {
                nul_at(x, &path)
            }
        }),
        _ => None,
    }
}

/// Whether any string or object key in `v` holds a NUL character.
fn holds_nul(v: &Value) -> bool {
    match v {
        Value::String(s) => has_nul(s),
        Value::Array(items) => items.iter().any(holds_nul),
        Value::Object(map) => map.iter().any(|(k, x)| has_nul(k) || holds_nul(x)),
        _ => false,
    }
}

/// The message for a field holding a NUL character.
pub fn nul_message(field: &str) -> String {
    let field = if field.is_empty() { "the body" } else { field };
    format!("`{field}` contains a NUL character (\\u0000), which baton does not accept in text")
}

/// `s` with each NUL character replaced by U+FFFD, borrowed when it has none.
pub fn storable(s: &str) -> Cow<'_, str> {
    if has_nul(s) {
        Cow::Owned(s.replace('\0', "\u{FFFD}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// [`storable`] for optional text.
pub(crate) fn storable_opt(s: Option<&str>) -> Option<Cow<'_, str>> {
    s.map(storable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_the_first_field_holding_a_nul() {
        let v = json!({ "a": "ok", "extra": { "title": "x\u{0}y" } });
        assert_eq!(
            nul_at(&v, "payload").as_deref(),
            Some("payload.extra.title")
        );
        let v = json!({ "list": ["fine", "bad\u{0}"] });
        assert_eq!(nul_at(&v, "").as_deref(), Some("list[1]"));
        let v = json!({ "k\u{0}": 1 });
        assert_eq!(nul_at(&v, "").as_deref(), Some("k\\u0000"));
        assert_eq!(nul_at(&json!({ "a": ["b", { "c": 1 }] }), ""), None);
    }

    #[test]
    fn storable_text_shows_nul_as_replacement_character() {
        assert_eq!(storable("a\u{0}b"), "a\u{FFFD}b");
        assert!(matches!(storable("plain"), Cow::Borrowed("plain")));
    }
}
