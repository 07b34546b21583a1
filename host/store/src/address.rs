//! Email addresses as baton reads them: the recipients of an `email_send`
//! payload, the lowercased key an address is listed and compared by, and
//! whether a string is one address a mail server would take.
//!
//! A leaf of the store crate (the do-not-contact list keys addresses), so
//! every layer of the host (the API, the orchestrator, the store's do-not-contact list,
//! the SMTP connector) parses addresses the same way without importing
//! another layer. It never
//! touches the database or the network.

use baton_types::ActionKind;
use serde_json::Value;

/// Longest address accepted (RFC 5321's limit on a path).
pub const MAX_ADDRESS: usize = 254;

/// Addresses from a string (comma-separated) or a list; absent is empty.
pub fn recipients(v: &Value) -> Result<Vec<String>, String> {
    let list: Vec<String> = match v {
        Value::Null => Vec::new(),
        Value::String(s) => s.split(',').map(|a| a.trim().to_owned()).collect(),
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(|s| s.trim().to_owned())
                    .ok_or_else(|| "recipients must be strings".to_owned())
            })
            .collect::<Result<_, _>>()?,
        _ => return Err("recipients must be a string or a list".into()),
    };
    Ok(list.into_iter().filter(|a| !a.is_empty()).collect())
}

/// The address in `Name <addr>` or a bare `addr`, trimmed and lowercased;
/// `None` when there is no `@` in it.
pub fn address_key(s: &str) -> Option<String> {
    let s = s.trim();
    let inner = match (s.rfind('<'), s.rfind('>')) {
        (Some(a), Some(b)) if a < b => &s[a + 1..b],
        _ => s,
    };
    let inner = inner.trim().trim_start_matches("mailto:");
    let (local, domain) = inner.split_once('@')?;
    if local.is_empty() || domain.is_empty() || inner.contains(char::is_whitespace) {
        return None;
    }
    Some(inner.to_lowercase())
}

/// Whether `s` (`Name <addr>` or a bare `addr`) is one address a mail
/// server would take: a valid local part and domain (by lettre's parser),
/// the domain with a dot in it, at most [`MAX_ADDRESS`] characters.
pub fn is_address(s: &str) -> bool {
    address_key(s).is_some_and(|a| {
        a.len() <= MAX_ADDRESS
            && a.parse::<lettre::Address>().is_ok_and(|parsed| {
                let domain = parsed.domain();
                domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
            })
    })
}

/// Whether an action of `kind` with `payload` waits out the undo window
/// first: one that reaches someone outside by email as the rep — an email
/// ([`ActionKind::sends_email`]) or a calendar invite, which goes as one —
/// and any other whose payload asks for it ([`HOLD_FOR_UNDO`]: a change in
/// another system the person who approved it may want back).
pub fn held_for_undo(kind: ActionKind, payload: &Value) -> bool {
    kind == ActionKind::CalendarInvite
        || kind.sends_email(payload)
        || payload.get(HOLD_FOR_UNDO) == Some(&Value::Bool(true))
}

/// The payload key (`true`) by which a skill asks that an action wait out
/// the undo window like an email.
pub const HOLD_FOR_UNDO: &str = "hold_for_undo";

/// The addresses an action emails ([`ActionKind::sends_email`]), as keys;
/// none for one that emails no one.
pub(crate) fn emailed_by(kind: ActionKind, payload: &Value) -> Vec<String> {
    if kind.sends_email(payload) {
        email_recipients(payload)
    } else {
        Vec::new()
    }
}

/// Every address an `email_send` payload sends to (`to` and `cc`), as keys.
pub fn email_recipients(payload: &Value) -> Vec<String> {
    ["to", "cc"]
        .iter()
        .flat_map(|k| recipients(&payload[k]).unwrap_or_default())
        .filter_map(|a| address_key(&a))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn addresses_are_keyed_without_names_or_case() {
        assert_eq!(
            address_key("Simon Hale <Simon.Hale@HaleCivil.com>").as_deref(),
            Some("simon.hale@halecivil.com")
        );
        assert_eq!(address_key(" a@b.example ").as_deref(), Some("a@b.example"));
        assert_eq!(
            address_key("mailto:a@b.example").as_deref(),
            Some("a@b.example")
        );
        assert_eq!(address_key("no address"), None);
        assert_eq!(address_key("@b.example"), None);
        assert_eq!(address_key("a b@c.example"), None);
    }

    #[test]
    fn recipients_cover_to_and_cc_in_every_shape() {
        let p = json!({ "to": "X <x@a.example>, y@a.example", "cc": ["Z@A.example"] });
        assert_eq!(
            email_recipients(&p),
            ["x@a.example", "y@a.example", "z@a.example"]
        );
    }
}
