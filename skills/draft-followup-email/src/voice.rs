//! The draft's voice: the rep writing to the prospect. What the prospect
//! said is played back in the second person ("we have budget set aside" →
//! "you have budget set aside"), never pasted back whole: a line may share
//! at most [`MAX_COPIED`] words in a row with what the prospect said, and
//! is cut at a clause boundary (or left out) when it would share more.

use baton_sdk::calendar;

/// The most words in a row a line may copy from what the prospect said.
pub const MAX_COPIED: usize = 8;

/// The fewest words a shortened line keeps; below that it says nothing.
const MIN_WORDS: usize = 4;

/// Words a clause may be cut before (the part from there on is dropped).
const CUT_BEFORE: [&str; 25] = [
    "because", "which", "so", "but", "and", "since", "as", "when", "where", "while", "although",
    "though", "for", "with", "that", "if", "before", "after", "until", "in", "by", "on", "at",
    "from", "about",
];

/// Openers that carry nothing in a recap.
const FILLERS: [&str; 16] = [
    "so",
    "well",
    "and",
    "but",
    "yeah",
    "yes",
    "honestly",
    "actually",
    "look",
    "okay",
    "ok",
    "um",
    "uh",
    "right",
    "absolutely",
    "sure",
];

/// A word as compared: lower case, letters, digits and apostrophes only
/// (curly apostrophes straightened).
fn norm(w: &str) -> String {
    w.replace('\u{2019}', "'")
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '\'')
        .collect::<String>()
        .to_lowercase()
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(norm)
        .filter(|w| !w.is_empty())
        .collect()
}

/// The longest run of words `line` shares, in order, with `source`.
pub fn longest_run(line: &str, source: &str) -> usize {
    let (a, b) = (words(line), words(source));
    let mut best = 0;
    let mut prev = vec![0usize; b.len() + 1];
    for x in &a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            if x == y {
                cur[j + 1] = prev[j] + 1;
                best = best.max(cur[j + 1]);
            }
        }
        prev = cur;
    }
    best
}

/// `line` (words) shortened at clause boundaries until it copies at most
/// [`MAX_COPIED`] words in a row from `source`; `None` when no cut leaves
/// [`MIN_WORDS`] words.
pub fn fit(line: &[String], source: &str) -> Option<Vec<String>> {
    let mut end = line.len();
    loop {
        let cut = &line[..end];
        if cut.len() < MIN_WORDS {
            return None;
        }
        if longest_run(&cut.join(" "), source) <= MAX_COPIED {
            return Some(cut.to_vec());
        }
        end = (MIN_WORDS..end).rev().find(|&i| {
            CUT_BEFORE.contains(&norm(&line[i]).as_str()) || line[i - 1].ends_with([',', ';', ':'])
        })?;
    }
}

/// `words` without vague quantities ("a couple of", "a few", "a bit of"):
/// "a couple of customer case studies" → "customer case studies".
pub fn without_quantifiers(words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let at = |k: usize| words.get(i + k).map(|w| norm(w)).unwrap_or_default();
        let skip = match (at(0).as_str(), at(1).as_str(), at(2).as_str()) {
            ("a", "couple" | "few" | "bit", "of") => 3,
            ("a", "couple" | "few", _) if i + 2 < words.len() => 2,
            _ => 0,
        };
        if skip > 0 && !words[i + skip - 1].ends_with([',', '.']) {
            i += skip;
        } else {
            out.push(words[i].clone());
            i += 1;
        }
    }
    out
}

/// The prospect's words as the rep writes them back: first person becomes
/// second ("I", "we", "our" → "you", "your"), and the prospect's "you"
/// (the rep) becomes "we"/"us"/"our".
pub fn second_person(text: &str) -> Vec<String> {
    let src: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::with_capacity(src.len());
    for (i, raw) in src.iter().enumerate() {
        let start = raw.find(char::is_alphanumeric).unwrap_or(raw.len());
        let end = raw
            .char_indices()
            .rfind(|(_, c)| c.is_alphanumeric())
            .map_or(start, |(i, c)| i + c.len_utf8());
        let (head, core, tail) = (&raw[..start], &raw[start..end], &raw[end..]);
        let w = norm(core);
        let prev = i.checked_sub(1).map(|p| norm(src[p]));
        let next = src.get(i + 1).map(|n| norm(n));
        // "you" is the subject at the start of a clause or before a verb
        // it commonly leads ("you can", "you mentioned"), else the object.
        let subject = prev.as_deref().is_none_or(|p| {
            matches!(
                p,
                "and" | "but" | "if" | "when" | "that" | "because" | "so" | "since" | "as" | "what"
            ) || src[i - 1].ends_with([',', '.'])
        }) || next.as_deref().is_some_and(|n| {
            matches!(
                n,
                "can"
                    | "could"
                    | "will"
                    | "would"
                    | "should"
                    | "might"
                    | "must"
                    | "may"
                    | "are"
                    | "were"
                    | "have"
                    | "had"
                    | "do"
                    | "did"
                    | "don't"
                    | "didn't"
                    | "guys"
                    | "mentioned"
                    | "said"
                    | "talked"
                    | "showed"
                    | "know"
                    | "offer"
                    | "need"
                    | "want"
                    | "support"
                    | "provide"
            )
        });
        let swapped = match w.as_str() {
            "i" | "we" => Some("you"),
            "me" | "us" => Some("you"),
            "my" | "our" => Some("your"),
            "mine" | "ours" => Some("yours"),
            "myself" | "ourselves" => Some("yourselves"),
            "i'm" | "we're" => Some("you're"),
            "i've" | "we've" => Some("you've"),
            "i'd" | "we'd" => Some("you'd"),
            "i'll" | "we'll" => Some("you'll"),
            "am" => Some("are"),
            "was" if prev.as_deref() == Some("i") => Some("were"),
            "you" if subject => Some("we"),
            "you" => Some("us"),
            "your" => Some("our"),
            "yours" => Some("ours"),
            "you're" => Some("we're"),
            "you've" => Some("we've"),
            "you'll" => Some("we'll"),
            _ => None,
        };
        out.push(match swapped {
            Some(s) => format!("{head}{s}{tail}"),
            None => (*raw).to_owned(),
        });
    }
    out
}

/// A recap line for what the prospect said in `phrase`: its first clause
/// with something in it, openers dropped, in the second person, cut short
/// enough to be the rep's words. `None` when nothing of it fits.
pub fn gist(phrase: &str) -> Option<String> {
    let clause = phrase
        .split(['.', '!', '?', ';'])
        .map(str::trim)
        .find(|c| c.split_whitespace().count() >= MIN_WORDS)?;
    let mut rest: Vec<&str> = clause.split_whitespace().collect();
    while let Some(first) = rest.first() {
        if FILLERS.contains(&norm(first).as_str()) && rest.len() > MIN_WORDS {
            rest.remove(0);
        } else {
            break;
        }
    }
    let spoken = second_person(&rest.join(" "));
    let mut kept = fit(&spoken, phrase)?;
    if let Some(last) = kept.last_mut() {
        last.truncate(last.trim_end_matches([',', ';', ':', '-']).len());
    }
    if let Some(first) = kept.first_mut() {
        *first = lower_first(first);
    }
    Some(kept.join(" "))
}

/// `w` with its first letter in lower case, unless it is "I", a day or a
/// month, or looks like a name or an acronym (a capital after the first
/// letter).
pub fn lower_first(w: &str) -> String {
    let lower = norm(w);
    let dated = calendar::weekday_number(&lower, false).is_some()
        || calendar::month_number(&lower).is_some_and(|_| lower.len() > 3);
    let mut c = w.chars();
    match c.next() {
        Some(f) if w != "I" && !dated && !c.clone().any(char::is_uppercase) => {
            f.to_lowercase().chain(c).collect()
        }
        _ => w.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_person_becomes_second() {
        assert_eq!(
            second_person("We have budget set aside for this in Q1").join(" "),
            "you have budget set aside for this in Q1"
        );
        assert_eq!(
            second_person("I'm the one who signs, and our CFO agrees with you.").join(" "),
            "you're the one who signs, and your CFO agrees with us."
        );
        assert_eq!(
            second_person("I was told you can integrate").join(" "),
            "you were told we can integrate"
        );
    }

    #[test]
    fn vague_quantities_are_dropped() {
        let w = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            without_quantifiers(&w("send our report and a couple of customer case studies"))
                .join(" "),
            "send our report and customer case studies"
        );
        assert_eq!(
            without_quantifiers(&w("send a few")).join(" "),
            "send a few"
        );
    }

    #[test]
    fn runs_are_counted_in_words_ignoring_case_and_punctuation() {
        assert_eq!(
            longest_run("you have budget set aside", "We have budget, set aside."),
            4
        );
        assert_eq!(longest_run("nothing shared", "at all"), 0);
    }

    #[test]
    fn a_long_statement_is_cut_at_a_clause_boundary_or_dropped() {
        let said = "We need the rollout done before the renewal season starts in March because the team is stretched";
        let g = gist(said).expect("fits");
        assert!(longest_run(&g, said) <= MAX_COPIED, "{g}");
        assert!(g.starts_with("you need the rollout done"), "{g}");
        assert_eq!(gist("Yes."), None, "too short to say anything");
        assert_eq!(
            gist("Monday is pipeline review with the team").as_deref(),
            Some("Monday is pipeline review with the team")
        );
        let unbroken =
            "Our main problem is the eleven step manual renewal reconciliation process nobody owns";
        assert_eq!(gist(unbroken), None, "no clause boundary: left out");
    }
}
