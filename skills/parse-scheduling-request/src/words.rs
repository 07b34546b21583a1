//! The request as tokens: lowercase words, numbers (`2:30`, `1.5`), and `-`
//! for any dash, each tagged with its sentence so a time attaches only to a
//! day said in the same breath.
//!
//! Numbers glued to units or suffixes are split (`2pm` → `2 pm`, `15min` →
//! `15 min`); ordinals stay whole (`9th`).

/// One token of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub sentence: usize,
}

/// Split `text` into tokens.
pub fn tokens(text: &str) -> Vec<Token> {
    let lower = text
        .to_lowercase()
        .replace("a.m.", "am")
        .replace("p.m.", "pm");
    let chars: Vec<char> = lower.chars().collect();
    let mut out = Vec::new();
    let mut word = String::new();
    let mut sentence = 0;
    let flush = |word: &mut String, out: &mut Vec<Token>, sentence: usize| {
        if !word.is_empty() {
            split_glued(word, sentence, out);
            word.clear();
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        let prev_digit = i > 0 && chars[i - 1].is_ascii_digit();
        if c.is_alphanumeric() || c == '\'' || c == '\u{2019}' {
            word.push(if c == '\u{2019}' { '\'' } else { c });
        } else if matches!(c, ':' | '.') && prev_digit && next_digit {
            word.push(c);
        } else if matches!(c, '-' | '\u{2013}' | '\u{2014}') {
            flush(&mut word, &mut out, sentence);
            out.push(Token {
                text: "-".into(),
                sentence,
            });
        } else if matches!(c, '.' | '?' | '!' | ';' | '\n') {
            flush(&mut word, &mut out, sentence);
            sentence += 1;
        } else {
            flush(&mut word, &mut out, sentence);
        }
    }
    flush(&mut word, &mut out, sentence);
    out
}

/// `2pm` → `2`, `pm`; `15min` → `15`, `min`; `9th` stays.
fn split_glued(word: &str, sentence: usize, out: &mut Vec<Token>) {
    let digits = word
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(word.len());
    let (num, rest) = word.split_at(digits);
    let push = |t: &str, out: &mut Vec<Token>| {
        out.push(Token {
            text: t.to_owned(),
            sentence,
        })
    };
    if num.is_empty() || rest.is_empty() || matches!(rest, "st" | "nd" | "rd" | "th") {
        push(word, out);
    } else {
        push(num, out);
        push(rest, out);
    }
}

/// Numbers said as words, as people say durations.
pub fn word_number(w: &str) -> Option<u32> {
    Some(match w {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "ten" => 10,
        "fifteen" => 15,
        "twenty" => 20,
        "thirty" => 30,
        "forty" | "fourty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "ninety" => 90,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokens(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn glued_units_and_dashes_split() {
        assert_eq!(
            texts("Quick 15-min call, Thu 10–12 or 2:30pm?"),
            [
                "quick", "15", "-", "min", "call", "thu", "10", "-", "12", "or", "2:30", "pm"
            ]
        );
        assert_eq!(texts("the 9th, 1.5 hours"), ["the", "9th", "1.5", "hours"]);
        assert_eq!(texts("10 a.m. I\u{2019}m"), ["10", "am", "i'm"]);
    }

    #[test]
    fn sentences_are_counted() {
        let t = tokens("Free Thursday. After 2pm? Yes");
        let s: Vec<usize> = t.iter().map(|t| t.sentence).collect();
        assert_eq!(s, [0, 0, 1, 1, 1, 2]);
    }
}
