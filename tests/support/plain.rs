//! What a rep reads holds no machine names: no event type
//! (`pre_meeting_90min`), action kind (`email_send`), skill
//! (`research-company-news`) or step name (`draft-reengagement`). The names
//! come from the shipped `sequences/` and `skills/`, so a new one is
//! checked without a list to keep; [`assert_plain_slack`] reads every
//! message a loopback Slack received.

use crate::{HttpPeer, body_of, root};
use serde_json::Value;
use std::collections::BTreeSet;

/// Every machine name a rep must not read: event types, action kinds,
/// skill names, and step names that look like identifiers (a `_` or `-`).
pub fn machine_names() -> BTreeSet<String> {
    let mut names: BTreeSet<String> = baton::store::ActionKind::ALL
        .iter()
        .map(|k| k.as_str().to_owned())
        .collect();
    let skills = std::fs::read_dir(root().join("skills")).expect("skills/");
    for entry in skills.flatten() {
        if entry.path().join("Cargo.toml").exists() || entry.path().join("package.json").exists() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name != "textmodel" {
                names.insert(name);
            }
        }
    }
    let sequences = std::fs::read_dir(root().join("sequences")).expect("sequences/");
    for entry in sequences.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let Ok(doc) = text.parse::<toml::Table>() else {
            continue;
        };
        if let Some(event) = doc.get("event").and_then(|e| e.as_str()) {
            names.insert(event.to_owned());
        }
        for step in doc
            .get("step")
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
        {
            for key in ["name", "skill"] {
                if let Some(n) = step.get(key).and_then(|n| n.as_str())
                    && n.contains(['_', '-'])
                {
                    names.insert(n.to_owned());
                }
            }
        }
    }
    names
}

/// The machine names in `text`, as whole words (`draft-followup-email`, not
/// the `email` in it; a URL's path is not read).
pub fn machine_words_in(text: &str, names: &BTreeSet<String>) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| names.contains(*w))
        .map(str::to_owned)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|w| !in_urls(text, w))
        .collect()
}

/// Whether every occurrence of `word` in `text` is inside a URL.
fn in_urls(text: &str, word: &str) -> bool {
    text.split_whitespace()
        .filter(|t| t.contains(word))
        .all(|t| t.contains("://") || t.starts_with("</") || t.starts_with("/"))
}

/// Every text a person reads in a Slack message body: `text` fields (the
/// fallback and each text object), recursively.
fn texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("text", Value::String(s)) => out.push(s.clone()),
                    _ => texts(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| texts(v, out)),
        _ => {}
    }
}

/// Fail naming every machine name in any message `slack` received
/// (`chat.postMessage`, `chat.update`, a response URL). Returns how many
/// messages were read, so a caller can check it read some.
pub fn assert_plain_slack(slack: &HttpPeer) -> usize {
    let names = machine_names();
    let mut read = 0;
    let mut found = Vec::new();
    for request in slack.requests() {
        let Ok(body) = serde_json::from_str::<Value>(body_of(&request)) else {
            continue;
        };
        read += 1;
        let mut all = Vec::new();
        texts(&body, &mut all);
        for t in all {
            let words = machine_words_in(&t, &names);
            if !words.is_empty() {
                found.push(format!("{words:?} in {t:?}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "a rep would read machine names:\n{}",
        found.join("\n")
    );
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_as_words_outside_urls() {
        let names = machine_names();
        assert!(names.contains("pre_meeting_90min") && names.contains("draft-followup-email"));
        assert_eq!(
            machine_words_in("• email_send: Re-engage Northwind", &names),
            vec!["email_send"]
        );
        assert_eq!(
            machine_words_in("Not checked: research-company-news", &names),
            vec!["research-company-news"]
        );
        assert!(machine_words_in("Send the email today", &names).is_empty());
        assert!(
            machine_words_in("<http://x/inbox/jobs/1?from=meeting_ended|Open>", &names).is_empty()
        );
    }
}
