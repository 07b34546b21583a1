//! The condition lexer: source characters to tokens, each with its 1-based
//! column so every error can point at the character that caused it. It
//! knows nothing of the grammar: what may follow what is the parser's.

use super::ConditionError;
use serde_json::Value;

/// A token; every token list ends with `End`.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Ident(String),
    Str(String),
    Num(Value),
    Sym(&'static str),
    End,
}

impl std::fmt::Display for Tok {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tok::Ident(s) => write!(f, "`{s}`"),
            Tok::Str(s) => write!(f, "string \"{s}\""),
            Tok::Num(n) => write!(f, "number {n}"),
            Tok::Sym(s) => write!(f, "`{s}`"),
            Tok::End => f.write_str("the end"),
        }
    }
}

const SYMBOLS: &[&str] = &[
    "||", "&&", "==", "!=", "<=", ">=", "<", ">", "!", "(", ")", "[", "]", ",", ".",
];

/// Tokens with their 1-based columns; ends with `End`.
pub(super) fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ConditionError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |column: usize, message: String| ConditionError { column, message };
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(err(col, "unterminated string".into())),
                    Some('"') => break,
                    Some('\\') => {
                        match chars.get(i + 1) {
                            Some('"') => s.push('"'),
                            Some('\\') => s.push('\\'),
                            Some('n') => s.push('\n'),
                            _ => {
                                return Err(err(i + 1, "unknown escape (use \\\" or \\\\)".into()));
                            }
                        }
                        i += 2;
                        continue;
                    }
                    Some(ch) => s.push(*ch),
                }
                i += 1;
            }
            i += 1;
            out.push((Tok::Str(s), col));
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let start = i;
            i += 1;
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_digit() || *c == '.')
            {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let num = if let Ok(n) = text.parse::<i64>() {
                Value::from(n)
            } else {
                match text
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                {
                    Some(n) => Value::Number(n),
                    None => return Err(err(col, format!("`{text}` is not a number"))),
                }
            };
            out.push((Tok::Num(num), col));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            {
                i += 1;
            }
            out.push((Tok::Ident(chars[start..i].iter().collect()), col));
        } else {
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let Some(sym) = SYMBOLS.iter().find(|s| rest.starts_with(**s)) else {
                return Err(err(col, format!("unexpected character `{c}`")));
            };
            i += sym.chars().count();
            out.push((Tok::Sym(sym), col));
        }
    }
    out.push((Tok::End, chars.len() + 1));
    Ok(out)
}
