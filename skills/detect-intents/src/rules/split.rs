//! Clause splitting: breaks an utterance into clauses of raw words on
//! sentence ends, `;`, dashes, ellipses and the word "but", and records how
//! each clause ended ([`Term`]).

/// How a clause ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Term {
    Stop,
    Question,
    Exclaim,
    Semi,
    Dash,
    Ellipsis,
    But,
    End,
}

/// A raw word: byte span and whether a comma follows it.
pub(super) type RawWord = (usize, usize, bool);

/// Splits text into clauses of raw words.
pub(super) fn split_units(text: &str) -> Vec<(Vec<RawWord>, Term)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut cur: Vec<RawWord> = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    let flush = |cur: &mut Vec<RawWord>, out: &mut Vec<(Vec<RawWord>, Term)>, term: Term| {
        if !cur.is_empty() {
            out.push((std::mem::take(cur), term));
        }
    };
    while i < chars.len() {
        let (pos, c) = chars[i];
        let prev = i.checked_sub(1).map(|k| chars[k].1);
        let next = chars.get(i + 1).map(|x| x.1);
        if c.is_alphanumeric() {
            start.get_or_insert(pos);
            i += 1;
            continue;
        }
        let in_word = start.is_some();
        let joins = match c {
            '\'' | '\u{2019}' | '\u{02bc}' | '\u{2018}' => {
                in_word && next.is_some_and(char::is_alphabetic)
            }
            '.' | ':' | ',' => {
                in_word
                    && prev.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit())
            }
            _ => false,
        };
        if joins {
            i += 1;
            continue;
        }
        if let Some(s) = start.take() {
            let word = &text[s..pos];
            if word.eq_ignore_ascii_case("but") {
                flush(&mut cur, &mut out, Term::But);
            } else {
                cur.push((s, pos, false));
            }
        }
        let mut step = 1;
        match c {
            ',' | ':' => {
                if let Some(last) = cur.last_mut() {
                    last.2 = true;
                }
            }
            '?' => flush(&mut cur, &mut out, Term::Question),
            '!' => flush(&mut cur, &mut out, Term::Exclaim),
            ';' => flush(&mut cur, &mut out, Term::Semi),
            '\u{2014}' | '\u{2013}' | '\u{2015}' => flush(&mut cur, &mut out, Term::Dash),
            '\u{2026}' => flush(&mut cur, &mut out, Term::Ellipsis),
            '\n' | '\r' => flush(&mut cur, &mut out, Term::Stop),
            '.' => {
                let run = chars[i..].iter().take_while(|x| x.1 == '.').count();
                step = run.max(1);
                if run >= 2 {
                    flush(&mut cur, &mut out, Term::Ellipsis);
                } else {
                    let abbrev = cur.last().is_some_and(|&(a, b, _)| {
                        let w = text[a..b].to_ascii_lowercase();
                        ABBREVIATIONS.contains(&w.as_str())
                    });
                    if !abbrev {
                        flush(&mut cur, &mut out, Term::Stop);
                    }
                }
            }
            '-' => {
                if next == Some('-') {
                    step = chars[i..].iter().take_while(|x| x.1 == '-').count();
                    flush(&mut cur, &mut out, Term::Dash);
                } else if !in_word
                    && prev.is_none_or(char::is_whitespace)
                    && next.is_none_or(char::is_whitespace)
                {
                    flush(&mut cur, &mut out, Term::Dash);
                }
            }
            _ => {}
        }
        i += step;
    }
    if let Some(s) = start {
        if text[s..].eq_ignore_ascii_case("but") {
            flush(&mut cur, &mut out, Term::But);
        } else {
            cur.push((s, text.len(), false));
        }
    }
    flush(&mut cur, &mut out, Term::End);
    out
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "vs", "etc", "approx", "st", "inc", "ltd",
];
