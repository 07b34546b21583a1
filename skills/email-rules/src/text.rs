//! Text helpers for the rules: normalisation (lower case, straight quotes,
//! single spaces), sentence splitting and whole-word phrase matching. Plain
//! string scanning, no regexes, so the component stays small.

/// Lower-cased text with curly quotes straightened, dashes made ASCII and
/// runs of whitespace collapsed to one space.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{2032}' | '`' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// Sentences of normalised text, split after `.`, `?`, `!` and on line
/// breaks (which `normalise` has turned into spaces, so split the raw text
/// into lines first). Each keeps its closing punctuation.
pub fn sentences(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in raw.lines() {
        let line = normalise(line);
        let mut start = 0;
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let end = matches!(b, b'?' | b'!')
                || (b == b'.' && bytes.get(i + 1).is_none_or(|n| *n == b' '));
            if end {
                push(&mut out, &line[start..=i]);
                start = i + 1;
            }
        }
        push(&mut out, &line[start..]);
    }
    out
}

fn push(out: &mut Vec<String>, s: &str) {
    let s = s.trim();
    if s.chars().any(char::is_alphanumeric) {
        out.push(s.to_owned());
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// Byte offsets where `phrase` occurs in `text` as whole words. A phrase
/// ending in `*` matches any word that starts with it ("licen*").
pub fn find_all(text: &str, phrase: &str) -> Vec<usize> {
    let (needle, prefix) = match phrase.strip_suffix('*') {
        Some(p) => (p, true),
        None => (phrase, false),
    };
    if needle.is_empty() {
        return Vec::new();
    }
    text.match_indices(needle)
        .filter(|(i, _)| {
            let before_ok = !needle.starts_with(is_word)
                || text[..*i].chars().next_back().is_none_or(|c| !is_word(c));
            let after_ok = prefix
                || !needle.ends_with(is_word)
                || text[i + needle.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !is_word(c));
            before_ok && after_ok
        })
        .map(|(i, _)| i)
        .collect()
}

/// Whether `phrase` occurs in `text` as whole words.
pub fn has(text: &str, phrase: &str) -> bool {
    !find_all(text, phrase).is_empty()
}

/// The first of `phrases` found in `text`.
pub fn first<'a>(text: &str, phrases: &[&'a str]) -> Option<&'a str> {
    phrases.iter().copied().find(|p| has(text, p))
}

/// Negators that cancel a cue just before it ("not interested", "no need
/// for a call", "never keen").
const NEGATORS: &[&str] = &["not", "no", "never", "n't", "nor", "without", "hardly"];

/// The first of `phrases` found in `text` with no negator in the three words
/// before it.
pub fn first_affirmed<'a>(text: &str, phrases: &[&'a str]) -> Option<&'a str> {
    phrases.iter().copied().find(|p| {
        find_all(text, p).into_iter().any(|i| {
            // The negator must be in the same clause.
            let clause = text[..i]
                .rfind(['.', '!', '?', ';', ':'])
                .map_or(&text[..i], |b| &text[b + 1..i]);
            let before: Vec<&str> = clause
                .split([' ', ','])
                .filter(|w| !w.is_empty())
                .rev()
                .take(3)
                .collect();
            !before
                .iter()
                .any(|w| NEGATORS.iter().any(|n| w == n || w.ends_with("n't")))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_whole_words_and_prefixes() {
        assert!(has("please send a quote.", "quote"));
        assert!(!has("as quoted below", "quote"));
        assert!(has("the licences we need", "licen*"));
        assert!(!has("unsubscribed", "unsubscribe me"));
        assert!(has("i'm free on tuesday", "i'm free"));
    }

    #[test]
    fn normalises_quotes_case_and_space() {
        assert_eq!(normalise("We\u{2019}re  NOT\n keen"), "we're not keen");
    }

    #[test]
    fn negated_cues_do_not_count() {
        assert_eq!(
            first_affirmed("we are not interested", &["interested"]),
            None
        );
        assert_eq!(
            first_affirmed("i'm really interested", &["interested"]),
            Some("interested")
        );
        assert_eq!(first_affirmed("i'm not really keen", &["keen"]), None);
    }

    #[test]
    fn splits_sentences_on_marks_and_lines() {
        let s = sentences("Thanks. Can we talk on Monday?\nBest, Jo");
        assert_eq!(s, vec!["thanks.", "can we talk on monday?", "best, jo"]);
    }
}
