//! Numbers in free text as people say and write them: `40`, `1,200`,
//! `1.5`, `$90k`, `forty`, `thirty-one`, `three hundred and forty`,
//! `ninety thousand`, `94%`, each with the words around it, so a skill can
//! read "about 40 users", "twelve hours a week" or "around ninety thousand
//! a year" without guessing. Pure; nothing here reads the host.

/// One number found in a text, with its place among [`words`].
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub value: f64,
    /// Index of its first word in [`words`] of the same text.
    pub start: usize,
    /// Index one past its last word (a suffix such as `%` or `k` included).
    pub end: usize,
    /// A currency sign written before it (`$`, `£`, `€`).
    pub currency_sign: Option<char>,
    /// Written with `%` or followed by `percent`.
    pub percent: bool,
}

/// The text as lowercase words: letters and digits (`1,200` and `1.5` stay
/// whole), a currency sign and `%` each a word of their own, and hyphens
/// split (`thirty-one` is `thirty`, `one`).
pub fn words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.to_lowercase().chars().collect();
    let mut out = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let digit_around = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_alphanumeric() || c == '\'' || ((c == ',' || c == '.') && digit_around) {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if matches!(c, '$' | '£' | '€' | '%') {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// A number word's value: what it adds (`Add`) or multiplies (`Times`).
enum Word {
    Add(f64),
    Times(f64),
}

fn number_word(w: &str) -> Option<Word> {
    const SMALL: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(n) = SMALL.iter().position(|s| *s == w) {
        return Some(Word::Add(n as f64));
    }
    if let Some(n) = TENS.iter().position(|s| *s == w) {
        return Some(Word::Add(((n + 2) * 10) as f64));
    }
    match w {
        "fourty" => Some(Word::Add(40.0)),
        "dozen" => Some(Word::Times(12.0)),
        "hundred" => Some(Word::Times(100.0)),
        "thousand" | "k" => Some(Word::Times(1_000.0)),
        "million" | "m" => Some(Word::Times(1_000_000.0)),
        _ => None,
    }
}

/// A written number (`1,200`, `1.5`, `90k`), its value.
fn digits(w: &str) -> Option<f64> {
    let (num, times) = match w.strip_suffix('k') {
        Some(n) => (n, 1_000.0),
        None => (w, 1.0),
    };
    if !num.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    num.replace(',', "").parse::<f64>().ok().map(|v| v * times)
}

/// Every number in `text`, in order.
pub fn numbers(text: &str) -> Vec<Number> {
    numbers_in(&words(text))
}

/// [`numbers`] over words already split by [`words`].
pub fn numbers_in(words: &[String]) -> Vec<Number> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let start = i;
        // Running total of finished groups (thousands, millions) and the
        // group being read.
        let (mut total, mut group, mut seen) = (0.0, 0.0, false);
        let mut written = false;
        while i < words.len() {
            let w = words[i].as_str();
            if let Some(v) = digits(w).filter(|_| !seen) {
                group = v;
                seen = true;
                written = true;
            } else if let Some(word) = number_word(w).filter(|_| !written || is_scale(w)) {
                // A bare `k`/`m` or scale word only continues a number.
                if !seen && matches!(word, Word::Times(_)) {
                    break;
                }
                match word {
                    Word::Add(v) => group += v,
                    Word::Times(m) if m >= 1_000.0 => {
                        total += group.max(1.0) * m;
                        group = 0.0;
                    }
                    Word::Times(m) => group = group.max(1.0) * m,
                }
                seen = true;
            } else if seen && w == "and" && words.get(i + 1).is_some_and(|n| joins(n)) {
                // "three hundred and forty"
            } else if !seen && w == "a" && words.get(i + 1).is_some_and(|n| is_scale(n)) {
                // "a hundred", "a thousand"
                group = 1.0;
                seen = true;
                i += 1;
                continue;
            } else {
                break;
            }
            i += 1;
        }
        if !seen {
            i = start + 1;
            continue;
        }
        let mut end = i;
        let percent = match words.get(end).map(String::as_str) {
            Some("%") | Some("percent") => {
                end += 1;
                true
            }
            _ => false,
        };
        let currency_sign = start
            .checked_sub(1)
            .and_then(|p| words[p].chars().next())
            .filter(|c| matches!(c, '$' | '£' | '€'));
        out.push(Number {
            value: total + group,
            start,
            end,
            currency_sign,
            percent,
        });
        i = end.max(start + 1);
    }
    out
}

fn is_scale(w: &str) -> bool {
    matches!(w, "hundred" | "thousand" | "million" | "k" | "m" | "dozen")
}

fn joins(w: &str) -> bool {
    matches!(number_word(w), Some(Word::Add(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<f64> {
        numbers(text).into_iter().map(|n| n.value).collect()
    }

    #[test]
    fn spoken_and_written_numbers_read_alike() {
        assert_eq!(values("about 40 users"), [40.0]);
        assert_eq!(values("pricing for forty seats by Friday"), [40.0]);
        assert_eq!(values("Call it thirty-one, maybe forty"), [31.0, 40.0]);
        assert_eq!(values("about three hundred and forty customers"), [340.0]);
        assert_eq!(values("around ninety thousand a year"), [90_000.0]);
        assert_eq!(values("we spend $1,200.50 or 1.5 hours"), [1_200.5, 1.5]);
        assert_eq!(values("a hundred and twenty users, 2 dozen"), [120.0, 24.0]);
        assert_eq!(values("no numbers here, thanks"), Vec::<f64>::new());
    }

    #[test]
    fn signs_and_percentages_are_kept() {
        let n = numbers("it costs $90k, and retention fell from 94% to eighty-nine percent");
        assert_eq!(n[0].value, 90_000.0);
        assert_eq!(n[0].currency_sign, Some('$'));
        assert!(n[1].percent && n[2].percent);
        assert_eq!((n[1].value, n[2].value), (94.0, 89.0));
        let w = words("it costs $90k");
        assert_eq!(w[n[0].end - 1], "90k");
    }
}
