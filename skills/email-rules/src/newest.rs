//! The newest, unquoted part of an email: what the sender is saying now.
//! Quoted history (`On … wrote:` and `>` lines, Outlook `From:`/`-----Original
//! Message-----` blocks), forwarded blocks (the forwarder's own note above
//! them is kept) and signatures (after `-- `, phone footers, a closing
//! sign-off and the name lines below it) are cut off.

use crate::text::normalise;

/// The newest text of an email body and what was cut from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Newest {
    /// The sender's own words, trimmed.
    pub text: String,
    /// The body quoted an earlier message (so this is a reply).
    pub quoted: bool,
    /// The body forwards another message.
    pub forwarded: bool,
    /// Everything before the quoted history, signature included (auto-reply
    /// markers such as "-- This is an automated response --" live there).
    pub unquoted: String,
}

/// Split `body` into its newest text and the rest.
pub fn extract(body: &str) -> Newest {
    let lines: Vec<&str> = body.lines().collect();
    let mut end = lines.len();
    let mut quoted = false;
    let mut forwarded = false;
    for (i, line) in lines.iter().enumerate() {
        let n = normalise(line);
        if is_forward_marker(&n) {
            forwarded = true;
            end = i;
            break;
        }
        if n.starts_with('>') || is_quote_header(&n, lines.get(i + 1).copied()) {
            quoted = true;
            end = i;
            break;
        }
    }
    let unquoted = lines[..end].join("\n");
    let own = strip_signature(&lines[..end]);
    Newest {
        text: own.join("\n").trim().to_owned(),
        quoted,
        forwarded,
        unquoted,
    }
}

fn is_forward_marker(n: &str) -> bool {
    (n.starts_with("-----") && (n.contains("forward") || n.contains("weitergeleitet")))
        || n.starts_with("begin forwarded message")
        || n.starts_with("-------- original message")
        || n.starts_with("-----original message")
        || n.starts_with("----- original message")
}

/// `On Mon, 3 Mar 2025 at 09:14, Name <a@b> wrote:` (possibly wrapped onto
/// the next line), its French/German/Spanish forms, and Outlook's
/// `From: …` header block.
fn is_quote_header(n: &str, next: Option<&str>) -> bool {
    let wrote = |s: &str| {
        s.ends_with("wrote:")
            || s.ends_with("a écrit :")
            || s.ends_with("a écrit:")
            || s.ends_with("schrieb:")
            || s.ends_with("escribió:")
            || s.ends_with("ha scritto:")
            || s.ends_with("skrev:")
    };
    let opener = ["on ", "le ", "am ", "el ", "il ", "den ", "op "]
        .iter()
        .any(|p| n.starts_with(p));
    if opener && wrote(n) {
        return true;
    }
    if opener && n.len() < 120 && next.is_some_and(|l| wrote(&normalise(l))) {
        return true;
    }
    if n.starts_with("from: ") {
        let next = next.map(normalise).unwrap_or_default();
        return ["sent: ", "date: ", "to: ", "subject: "]
            .iter()
            .any(|h| next.starts_with(h));
    }
    n.starts_with("________________")
}

/// Closing words that start a signature when they make up a whole line.
const SIGN_OFFS: &[&str] = &[
    "thanks",
    "thank you",
    "many thanks",
    "thanks again",
    "thanks so much",
    "thx",
    "ta",
    "cheers",
    "best",
    "best regards",
    "kind regards",
    "warm regards",
    "regards",
    "warmest regards",
    "best wishes",
    "all the best",
    "sincerely",
    "yours sincerely",
    "yours faithfully",
    "yours",
    "speak soon",
    "talk soon",
    "take care",
    "br",
    "rgds",
    "with thanks",
    "many thanks in advance",
    "thanks in advance",
    "grazie",
    "merci",
    "cordialement",
    "bien à vous",
    "mit freundlichen grüßen",
    "viele grüße",
    "beste grüße",
    "gruß",
    "saludos",
    "un saludo",
    "atentamente",
    "met vriendelijke groet",
    "pozdrawiam",
    "med vänliga hälsningar",
    "hälsningar",
    "mvh",
    "best,",
    "sent from my iphone",
];

fn strip_signature<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_end();
        if t == "--" || t == "__" || (i > 0 && t.starts_with("-- ")) {
            end = i;
            break;
        }
        let n = normalise(line);
        if n.starts_with("sent from my") || n.starts_with("get outlook for") {
            end = i;
            break;
        }
        // A sign-off line near the end, with only short name/title lines below.
        let word = n.trim_end_matches([',', '.', '!', ' ']);
        let rest = &lines[i + 1..];
        if i > 0
            && SIGN_OFFS.contains(&word)
            && rest.len() <= 6
            && rest.iter().all(|l| l.split_whitespace().count() <= 8)
        {
            end = i;
            break;
        }
    }
    let mut own = lines[..end].to_vec();
    drop_name_block(&mut own);
    own
}

/// Drop a closing block of name, title and company lines ("Dana Reyes\nHead
/// of Ops\nAcme Ltd") left when there was no sign-off: the last paragraph,
/// after at least one other, of at most four short lines with no sentence
/// punctuation, whose first line is all capitalised words.
fn drop_name_block(lines: &mut Vec<&str>) {
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let Some(blank) = lines.iter().rposition(|l| l.trim().is_empty()) else {
        return;
    };
    let block = &lines[blank + 1..];
    let short = block.len() <= 4
        && block.iter().all(|l| {
            let t = l.trim();
            t.split_whitespace().count() <= 6 && !t.ends_with(['.', '?', '!', ':'])
        });
    let name_like = block.first().is_some_and(|l| {
        let words: Vec<&str> = l.split_whitespace().collect();
        !words.is_empty()
            && words.len() <= 4
            && words.iter().all(|w| {
                w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
            })
    });
    let has_text_above = lines[..blank].iter().any(|l| !l.trim().is_empty());
    if short && name_like && has_text_above {
        lines.truncate(blank);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_an_on_wrote_quote_and_its_lines() {
        let n = extract(
            "Works for me, send the invite.\n\nSam\n\nOn Tue, 4 Feb 2025 at 10:00, Ana Gil <ana@vendor.example> wrote:\n> Shall we meet Thursday?\n> Ana",
        );
        assert!(n.quoted);
        assert!(n.text.starts_with("Works for me"));
        assert!(!n.text.contains("Thursday"));
    }

    #[test]
    fn a_wrapped_quote_header_is_recognised() {
        let n = extract(
            "No thanks.\n\nOn Fri, 7 Mar 2025 at 08:00, Bo Lind\n<bo@vendor.example> wrote:\n> pricing inside",
        );
        assert_eq!(n.text, "No thanks.");
    }

    #[test]
    fn keeps_the_forwarders_note_only() {
        let n = extract(
            "Worth a read, nothing needed from you.\n\n---------- Forwarded message ---------\nFrom: News <n@news.example>\nCan you send a quote?",
        );
        assert!(n.forwarded);
        assert_eq!(n.text, "Worth a read, nothing needed from you.");
    }

    #[test]
    fn cuts_signatures_after_dashes_and_sign_offs() {
        let n = extract("Can you send the form?\n\n-- \nPat Doe\nHead of Ops\n+44 20 0000 0000");
        assert_eq!(n.text, "Can you send the form?");
        let n = extract("Hi Lee,\n\nGot it, thanks.\n\nKind regards,\nPat Doe\nFinance Lead");
        assert_eq!(n.text, "Hi Lee,\n\nGot it, thanks.");
        let n = extract("Sounds good.\n\nSent from my iPhone");
        assert_eq!(n.text, "Sounds good.");
        let n = extract("Back Monday.\n\n-- This is an automated response --");
        assert_eq!(n.text, "Back Monday.");
        assert!(n.unquoted.contains("automated response"));
    }

    #[test]
    fn a_bare_name_block_is_a_signature_but_a_short_ask_is_not() {
        let n = extract("Could we meet Friday?\n\nRosa Lind\nPlant Manager\nLind Foods");
        assert_eq!(n.text, "Could we meet Friday?");
        let n = extract("I'm free Thursday at 10.\n\nsend an invite");
        assert!(n.text.ends_with("send an invite"));
    }

    #[test]
    fn outlook_header_blocks_are_quotes() {
        let n = extract(
            "Please remove me.\n\nFrom: Rep <rep@vendor.example>\nSent: Monday\nSubject: hi",
        );
        assert_eq!(n.text, "Please remove me.");
        assert!(n.quoted);
    }
}
