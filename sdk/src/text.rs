//! Small readings of free text that several skills make the same way: a
//! field that counts only when it says something, and a person's first
//! name. Pure; nothing here reads the host.

use serde_json::Value;

/// `v` trimmed, unless it is blank.
pub fn nonblank(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|t| !t.is_empty())
}

/// The text at `key` in `v`, trimmed, unless it is blank or not text.
pub fn field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    nonblank(v[key].as_str())
}

/// The first word of a name (`Marta` of `Marta Ruiz`), as a greeting uses
/// it; `None` for no name or a blank one.
pub fn first_word(name: Option<&str>) -> Option<&str> {
    name.and_then(|n| n.split_whitespace().next())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn blank_or_missing_text_is_none() {
        let v = json!({ "a": "  Northwind ", "b": "   ", "c": 3 });
        assert_eq!(field(&v, "a"), Some("Northwind"));
        assert_eq!(field(&v, "b"), None);
        assert_eq!(field(&v, "c"), None);
        assert_eq!(field(&v, "d"), None);
        assert_eq!(nonblank(Some("\n")), None);
    }

    #[test]
    fn the_first_word_is_the_first_name() {
        assert_eq!(first_word(Some("  Marta Ruiz")), Some("Marta"));
        assert_eq!(first_word(Some(" ")), None);
        assert_eq!(first_word(None), None);
    }
}
