//! Text helpers for the rules: normalisation (lower case, straight quotes,
//! single spaces), sentence splitting and whole-word phrase matching. Plain
//! string scanning, no regexes, so the component stays small.

/// Lower-cased text with curly quotes straightened, dashes made ASCII, a
/// hyphen between letters made a space and runs of whitespace collapsed to
/// one space.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // "kick-off" reads as "kick off", as a phone or a transcript
        // writes it; the phrase lists are written that way.
        let joins = matches!(c, '-' | '\u{2010}')
            && out.chars().next_back().is_some_and(char::is_alphabetic)
            && !space
            && chars.peek().is_some_and(|n| n.is_alphabetic());
        let c = match c {
            _ if joins => ' ',
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
    expand_shorthand(out)
}

/// Words typed short on a phone, and contractions typed without their
/// apostrophe, written out as the phrase lists spell them.
const SHORTHAND: &[(&str, &str)] = &[
    ("u", "you"),
    ("ur", "your"),
    ("r", "are"),
    ("pls", "please"),
    ("plz", "please"),
    ("thx", "thanks"),
    ("thnx", "thanks"),
    ("tks", "thanks"),
    ("tmrw", "tomorrow"),
    ("tmr", "tomorrow"),
    ("tomo", "tomorrow"),
    ("mtg", "meeting"),
    ("whats", "what's"),
    ("cant", "can't"),
    ("dont", "don't"),
    ("doesnt", "doesn't"),
    ("didnt", "didn't"),
    ("isnt", "isn't"),
    ("arent", "aren't"),
    ("wasnt", "wasn't"),
    ("havent", "haven't"),
    ("hasnt", "hasn't"),
    ("couldnt", "couldn't"),
    ("wouldnt", "wouldn't"),
    ("shouldnt", "shouldn't"),
    ("im", "i'm"),
    ("ive", "i've"),
    ("youre", "you're"),
    ("theyre", "they're"),
    ("thats", "that's"),
    ("theres", "there's"),
    ("weve", "we've"),
    // Dialect second persons ("what would ye charge", "can yous send").
    ("ye", "you"),
    ("yous", "you"),
    ("youse", "you"),
];

/// [`SHORTHAND`] applied to each word of normalised text.
fn expand_shorthand(text: String) -> String {
    let is_part = |c: char| c.is_alphanumeric() || c == '\'';
    if !text
        .split(|c: char| !is_part(c))
        .any(|w| SHORTHAND.iter().any(|(s, _)| *s == w))
    {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let w = SHORTHAND
            .iter()
            .find(|(s, _)| *s == word.as_str())
            .map_or(word.as_str(), |(_, long)| long);
        out.push_str(w);
        word.clear();
    };
    for c in text.chars() {
        if is_part(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Sentences of normalised text, split after `.`, `?`, `!` and on line
/// breaks (which `normalise` has turned into spaces, so split the raw text
/// into lines first). Each keeps its closing punctuation. Text typed with
/// no sentence marks at all (mobile mail) is also cut where a question or
/// a "thanks" plainly opens a new sentence ([`crate::questions::run_ons`]).
pub fn sentences(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    // No `?` or `!`, and no `.` that ends a sentence ("clause 9.2" is none).
    let bytes = raw.as_bytes();
    let bare = !raw.contains(['?', '!'])
        && !bytes
            .iter()
            .enumerate()
            .any(|(i, &b)| b == b'.' && bytes.get(i + 1).is_none_or(|n| !n.is_ascii_digit()));
    for line in raw.lines() {
        let line = normalise(line);
        if bare {
            for s in crate::questions::run_ons(&line) {
                push(&mut out, s);
            }
            continue;
        }
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

pub(crate) fn is_word(c: char) -> bool {
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
/// before it (a phrase that is itself negative, "not keen", is taken as it
/// stands: "…never used it not keen to try again").
pub fn first_affirmed<'a>(text: &str, phrases: &[&'a str]) -> Option<&'a str> {
    phrases.iter().copied().find(|p| {
        let negative = NEGATORS
            .iter()
            .any(|n| p.split(' ').next().is_some_and(|w| w == *n));
        find_all(text, p)
            .into_iter()
            .any(|i| negative || !negated_at(text, i))
    })
}

/// Whether a negator stands in the three words before byte `i` of `text`,
/// in the same clause ("please don't stop the newsletter"); a "but" ends
/// its reach.
pub fn negated_at(text: &str, i: usize) -> bool {
    let clause = text[..i]
        .rfind(['.', '!', '?', ';', ':'])
        .map_or(&text[..i], |b| &text[b + 1..i]);
    // "No need but good luck with it": "but" opens a new clause.
    let words: Vec<&str> = clause.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    words
        .iter()
        .enumerate()
        .rev()
        .take(3)
        .take_while(|(_, w)| **w != "but")
        // "Why don't you come over" suggests; it negates nothing.
        .any(|(k, w)| {
            NEGATORS.iter().any(|n| w == n || w.ends_with("n't"))
                && !(k > 0 && words[k - 1] == "why")
        })
}

/// The words after the phrase found at byte `i` (of length `len`), up to
/// the end of its clause and at most `max` of them.
pub fn words_after(text: &str, i: usize, len: usize, max: usize) -> Vec<&str> {
    let rest = &text[i + len..];
    let clause = rest.split(['.', '!', '?', ';', ':']).next().unwrap_or(rest);
    clause.split_whitespace().take(max).collect()
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
        assert_eq!(normalise("Kick-off - W-9"), "kick off - w-9");
        assert_eq!(
            normalise("cant log in, pls help u?"),
            "can't log in, please help you?"
        );
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
        assert_eq!(
            first_affirmed("no need but good luck with it", &["good luck with"]),
            Some("good luck with")
        );
    }

    #[test]
    fn splits_sentences_on_marks_and_lines() {
        let s = sentences("Thanks. Can we talk on Monday?\nBest, Jo");
        assert_eq!(s, vec!["thanks.", "can we talk on monday?", "best, jo"]);
    }
}
