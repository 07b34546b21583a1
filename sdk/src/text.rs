//! Small readings of free text that several skills make the same way: a
//! field that counts only when it says something, a person's first name,
//! a reply's subject. Pure; nothing here reads the host.

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

/// `Re: <subject>` for a reply, without stacking prefixes: earlier
/// `Re:`, `AW:` and `SV:` (German and Scandinavian replies) are dropped; a
/// forward's `Fwd:` stays, since it says what the thread is. A blank
/// subject becomes `Re: your email`.
pub fn reply_subject(subject: &str) -> String {
    let mut s = subject.trim();
    while let Some(rest) = ["re:", "aw:", "sv:"].iter().find_map(|p| {
        s.get(..p.len())
            .filter(|head| head.eq_ignore_ascii_case(p))
            .map(|_| &s[p.len()..])
    }) {
        s = rest.trim_start();
    }
    if s.is_empty() {
        "Re: your email".to_owned()
    } else {
        format!("Re: {s}")
    }
}

/// The words of `text`, lower-cased and cut to a rough stem so that
/// inflections meet (`pricing`, `prices` and `price` are all `pric`;
/// `studies` and `study` are `study`; `SOC2` is `soc2`), in order. A light
/// suffix stripper for matching, not a linguist: it only ever shortens.
pub fn stems(text: &str) -> Vec<String> {
    let lower = if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    };
    // Apostrophes are dropped (`don't` is `dont`); anything else that is
    // not a letter or digit ends a word.
    let mut out = Vec::new();
    let mut word = String::new();
    for c in lower.chars() {
        if c == '\u{2019}' || c == '\'' {
            continue;
        }
        if c.is_alphanumeric() {
            word.push(c);
        } else if !word.is_empty() {
            out.push(stem(&word));
            word.clear();
        }
    }
    if !word.is_empty() {
        out.push(stem(&word));
    }
    out
}

/// One lower-case word's stem (see [`stems`]).
pub fn stem(word: &str) -> String {
    let mut w = word.to_owned();
    // Its length in characters; every suffix taken off is ASCII.
    let mut n = w.chars().count();
    if n > 4 && w.ends_with("ies") {
        w.truncate(w.len() - 3);
        w.push('y');
        n -= 2;
    } else if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        w.pop();
        n -= 1;
    }
    for suffix in ["ing", "ed"] {
        if n > suffix.len() + 3 && w.ends_with(suffix) {
            w.truncate(w.len() - suffix.len());
            n -= suffix.len();
            break;
        }
    }
    if n > 4 && w.ends_with('e') {
        w.pop();
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `stems` as first written (lower-case, drop apostrophes, split, then
    /// strip with a character count taken at every test): the one-pass
    /// version must agree with it.
    fn stems_as_first_written(text: &str) -> Vec<String> {
        let stem = |word: &str| {
            let mut w = word.to_owned();
            let long = |w: &str, n: usize| w.chars().count() > n;
            if long(&w, 4) && w.ends_with("ies") {
                w.truncate(w.len() - 3);
                w.push('y');
            } else if long(&w, 3) && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
                w.pop();
            }
            for suffix in ["ing", "ed"] {
                if long(&w, suffix.len() + 3) && w.ends_with(suffix) {
                    w.truncate(w.len() - suffix.len());
                    break;
                }
            }
            if long(&w, 4) && w.ends_with('e') {
                w.pop();
            }
            w
        };
        text.to_lowercase()
            .replace(['\u{2019}', '\''], "")
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(stem)
            .collect()
    }

    #[test]
    fn stems_agree_with_the_first_version() {
        for text in [
            "So what had you budgeted, and how frustrating is it today?",
            "I don\u{2019}t have the budget; we're STUDIES, prices & pricing.",
            "Ünïcode naïve cafés, ΣΊΣΥΦΟΣ  İstanbul éées ééed ées",
            "bus buses class classes ies aies bies cries tries",
            "ring rings seed seeds need needed bed bedded ted e ee eee eeee eeeee",
            "",
            "  ''  ",
            "SOC2, ISO-27001 and 3rd-party",
        ] {
            assert_eq!(stems(text), stems_as_first_written(text), "{text:?}");
        }
    }

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
    fn reply_subjects_do_not_stack() {
        assert_eq!(reply_subject("Re: RE: Aw: pricing"), "Re: pricing");
        assert_eq!(reply_subject("RE: Pricing"), "Re: Pricing");
        assert_eq!(reply_subject("  Pricing "), "Re: Pricing");
        assert_eq!(reply_subject("Fwd: deck"), "Re: Fwd: deck");
        assert_eq!(reply_subject("Re:"), "Re: your email");
        assert_eq!(reply_subject(""), "Re: your email");
        assert_eq!(reply_subject("Résumé"), "Re: Résumé");
        assert_eq!(reply_subject("Ré: x"), "Re: Ré: x");
    }

    #[test]
    fn inflections_meet_at_their_stem() {
        assert_eq!(
            stems("Pricing, prices & the PRICE"),
            ["pric", "pric", "the", "pric"]
        );
        assert_eq!(
            stems("case studies / case study"),
            ["case", "study", "case", "study"]
        );
        assert_eq!(stem("warehousing"), stem("warehouse"));
        assert_eq!(stem("processing"), stem("process"));
        assert_eq!(stems("SOC2 isn't it"), ["soc2", "isnt", "it"]);
        assert_eq!(stem("status"), "status");
    }

    #[test]
    fn the_first_word_is_the_first_name() {
        assert_eq!(first_word(Some("  Marta Ruiz")), Some("Marta"));
        assert_eq!(first_word(Some(" ")), None);
        assert_eq!(first_word(None), None);
    }
}
