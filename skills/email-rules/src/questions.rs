//! Questions in mail typed without question marks (mobile mail): a
//! sentence asks when it ends with `?` or opens as a question does ("is
//! there any flexibility", "could you revise it"), and a line typed with no
//! sentence marks is cut where a question or a "thanks" plainly opens.

use crate::text::is_word;

/// How a question opens: an inverted verb and subject, or a question word
/// with one ("is there any flexibility", "how long does", "who should").
#[rustfmt::skip]
const QUESTION_OPENERS: &[&str] = &[
    "is this", "is there", "is it", "is that", "is the", "are there", "are the", "does it",
    "does this", "does that", "does the", "will there", "how long", "how much", "how many",
    "how do", "how does", "how would", "how is", "how are", "what kind", "what sort", "what's the",
    "what is the", "what are", "what would", "what does", "what do", "what will", "what's",
    "how much per", "how much a", "how much each", "how much to", "which plan", "which one",
    "which option", "which version", "which tier", "which of", "who should", "who do", "who is",
    "who on", "who's", "who will", "who would", "when will", "when can", "when would", "where can",
    "where do", "where would", "where should", "any chance", "any update", "any idea", "any ideas",
    "any thoughts", "any suggestions", "any advice", "does monday", "does tuesday",
    "does wednesday", "does thursday", "does friday", "would monday", "would tuesday",
    "would wednesday", "would thursday", "would friday", "whos the", "whos", "whats the", "wheres the", "any flexibility", "where i can", "where we can", "how i can", "how we can", "any give",
    "hows the",
    // Written without its "it" ("is possible to change the language").
    "is possible",
];

/// A verb put before its subject: a question even after "this" or "it"
/// ("thanks for this could you add…").
#[rustfmt::skip]
const INVERTED: &[&str] = &[
    "can", "could", "would", "will", "do", "does", "are", "is", "have", "should", "shall",
];

/// Subjects after an [`INVERTED`] verb.
#[rustfmt::skip]
const INVERTED_SUBJECTS: &[&str] = &[
    "you", "we", "i", "your", "she", "he", "they", "it", "someone", "anyone", "somebody",
];

/// Words before an [`INVERTED`] verb that make it part of a question
/// already asked ("how can we", "when will you").
#[rustfmt::skip]
const WH: &[&str] = &[
    "what", "how", "who", "where", "when", "why", "which", "whether", "if", "so", "than", "as",
    "much", "many", "long", "soon", "often", "far",
];

/// Words after which a question opener continues the sentence instead
/// ("how much is the…", "the thing is that…", "we can do…").
#[rustfmt::skip]
const NOT_BEFORE_OPENER: &[&str] = &[
    "what", "how", "much", "many", "long", "who", "where", "when", "why", "which", "whether", "if",
    "so", "than", "as", "i", "we", "you", "they", "he", "she", "it", "that", "this", "there",
    "thing", "one", "question", "problem", "issue", "reason", "plan", "idea", "is", "are", "do",
    "does", "can", "could", "would", "will", "not", "to", "know", "wondering", "wonder", "ask",
    "asking", "see",
];

/// Whether `rest` opens a question after the word `prev` ("" at the
/// start of a line).
fn opens_question(prev: &str, rest: &str) -> bool {
    let mut words = rest.split(' ');
    let (first, second) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let inverted = INVERTED.contains(&first) && INVERTED_SUBJECTS.contains(&second);
    // "…will have your badge ready": a verb after another verb goes on
    // with the verb phrase; it inverts nothing.
    if inverted {
        return !WH.contains(&prev) && !INVERTED.contains(&prev);
    }
    !NOT_BEFORE_OPENER.contains(&prev)
        && QUESTION_OPENERS.iter().any(|o| starts_with_words(rest, o))
}

/// Whether a sentence asks something: it ends with `?`, or (typed with no
/// marks) opens as a question does.
pub fn asks(sentence: &str) -> bool {
    sentence.ends_with('?') || opens_question("", sentence)
}

/// Whether `s` starts with the words of `phrase`.
fn starts_with_words(s: &str, phrase: &str) -> bool {
    s.strip_prefix(phrase)
        .is_some_and(|rest| rest.chars().next().is_none_or(|c| !is_word(c)))
}

/// A line typed with no sentence marks, cut before a question opener, a
/// "thanks" or a "please" that is not the line's first word.
pub(crate) fn run_ons(line: &str) -> Vec<&str> {
    let mut cuts = vec![0];
    let starts: Vec<usize> = line
        .char_indices()
        .filter(|&(i, c)| c == ' ' && i + 1 < line.len())
        .map(|(i, _)| i + 1)
        .collect();
    for &i in &starts {
        let rest = &line[i..];
        let prev = line[..i].trim_end().rsplit(' ').next().unwrap_or("");
        // A "please" after a finished clause opens a request ("i am
        // interested please send…"), not after "could you please".
        let opens = opens_question(prev, rest)
            || starts_with_words(rest, "thanks")
            || starts_with_words(rest, "thank you")
            || (starts_with_words(rest, "please") && !NOT_BEFORE_OPENER.contains(&prev));
        if opens && i > cuts[cuts.len() - 1] {
            cuts.push(i);
        }
    }
    cuts.push(line.len());
    cuts.windows(2).map(|w| &line[w[0]..w[1]]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::sentences;

    #[test]
    fn mobile_run_ons_are_cut_before_questions() {
        let s = sentences("thanks for the quote could you revise it for two years");
        assert_eq!(
            s,
            vec!["thanks for the quote", "could you revise it for two years"]
        );
        let s = sentences("hi lisa is the cap negotiable");
        assert_eq!(s, vec!["hi lisa", "is the cap negotiable"]);
        assert!(asks("is the cap negotiable"));
        assert!(!asks("the cap is negotiable"));
        // With marks, only the marks cut.
        assert_eq!(sentences("Thanks, can you call?").len(), 1);
    }
}
