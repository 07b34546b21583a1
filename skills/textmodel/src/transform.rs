//! Mechanical rewrites of labelled text, for the robustness rows of the
//! grouped evaluation (`docs/judgement.md`): the same lines in the form a
//! speech-to-text engine or a phone keyboard gives them. They are fixed
//! functions of the text, applied to every line alike, so they cannot be
//! tuned to a set; the labels stay those of the original line.
//!
//! - [`transcript`]: lower case, no punctuation (apostrophes inside words
//!   kept, as engines write "I'll"; separators inside numbers kept).
//! - [`homophones`]: [`HOMOPHONES`] substituted word for word, everywhere.
//! - [`mobile`]: an email body typed on a phone: each line the sender wrote
//!   in transcript form; quoted lines and the mail client's own lines kept.

/// Common speech-to-text confusions, right word → what the engine wrote.
/// Applied to every occurrence, in both directions where the confusion
/// runs both ways ("there"/"their").
pub const HOMOPHONES: &[(&str, &str)] = &[
    ("their", "there"),
    ("there", "their"),
    ("they're", "their"),
    ("your", "you're"),
    ("you're", "your"),
    ("it's", "its"),
    ("our", "are"),
    ("price", "prize"),
    ("prices", "prizes"),
    ("whether", "weather"),
    ("here", "hear"),
    ("suite", "sweet"),
    ("board", "bored"),
    ("we'll", "well"),
];

/// Whether `c` at `i` of `chars` stays in a transcript: letters and digits,
/// an apostrophe between letters, a `.`, `:` or `,` between digits.
fn kept(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    if c.is_alphanumeric() {
        return true;
    }
    let (prev, next) = (
        i.checked_sub(1).and_then(|k| chars.get(k)),
        chars.get(i + 1),
    );
    match c {
        '\'' | '\u{2019}' => {
            prev.is_some_and(|p| p.is_alphabetic()) && next.is_some_and(|n| n.is_alphabetic())
        }
        '.' | ':' | ',' => {
            prev.is_some_and(char::is_ascii_digit) && next.is_some_and(char::is_ascii_digit)
        }
        _ => false,
    }
}

/// `text` as a transcription engine writes it: lower case, punctuation
/// dropped (a space where it stood between words), single spaces.
pub fn transcript(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for i in 0..chars.len() {
        if kept(&chars, i) {
            let c = if chars[i] == '\u{2019}' {
                '\''
            } else {
                chars[i]
            };
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim_end().to_owned()
}

/// [`HOMOPHONES`] applied to each word of a [`transcript`]-style text
/// (words separated by single spaces). Each word is looked up once, so a
/// swap ("there" ↔ "their") does not undo itself.
pub fn homophones(text: &str) -> String {
    text.split(' ')
        .map(|w| {
            HOMOPHONES
                .iter()
                .find(|(right, _)| *right == w)
                .map_or(w, |(_, heard)| heard)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A line a mail client writes, not the sender: quoted (`>`), an
/// attribution ending "wrote:", a forward or original-message marker, an
/// Outlook header line.
fn client_line(line: &str) -> bool {
    let t = line.trim();
    let lower = t.to_lowercase();
    t.starts_with('>')
        || lower.ends_with("wrote:")
        || lower.starts_with("-----")
        || lower.starts_with("begin forwarded")
        || ["from:", "sent:", "to:", "subject:", "date:", "cc:"]
            .iter()
            .any(|h| lower.starts_with(h))
}

/// An email body as typed on a phone: the sender's lines in [`transcript`]
/// form, the mail client's lines and everything after the first of them
/// (the quoted history) as they were.
pub fn mobile(body: &str) -> String {
    let mut out = Vec::new();
    let mut history = false;
    for line in body.lines() {
        history |= client_line(line);
        out.push(if history {
            line.to_owned()
        } else {
            transcript(line)
        });
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transcript_has_no_capitals_or_punctuation() {
        assert_eq!(
            transcript("Great — I'll send the quote by Friday, okay? It's 2.5% off at 10:30."),
            "great i'll send the quote by friday okay it's 2.5 off at 10:30"
        );
        assert_eq!(
            transcript("We\u{2019}re on Teams... not Slack!"),
            "we're on teams not slack"
        );
        assert_eq!(transcript("'quoted' follow-up"), "quoted follow up");
    }

    #[test]
    fn homophones_swap_once() {
        assert_eq!(
            homophones("there is budget for their team your price list"),
            "their is budget for there team you're prize list"
        );
        assert_eq!(
            homophones("we'll send it to our cfo"),
            "well send it to are cfo"
        );
    }

    #[test]
    fn mobile_mail_keeps_the_quoted_history() {
        let body = "Hi Sam,\nCan we talk Tuesday?\n\nOn Mon, 3 Mar 2025, Ana <a@b.example> wrote:\n> Shall we meet?";
        assert_eq!(
            mobile(body),
            "hi sam\ncan we talk tuesday\n\nOn Mon, 3 Mar 2025, Ana <a@b.example> wrote:\n> Shall we meet?"
        );
    }
}
