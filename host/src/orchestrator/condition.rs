//! The step condition language: a small expression over a JSON scope.
//!
//! ```text
//! expr     = or
//! or       = and ("||" and)*
//! and      = not ("&&" not)*
//! not      = "!" not | compare
//! compare  = primary (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "contains") primary)?
//! primary  = literal | path | "(" expr ")" | call | list
//! path     = ident ("." ident | "[" integer "]")*      (first ident: a root)
//! call     = "exists(" path ")" | "len(" expr ")" | "any(" path "," expr "," expr ")"
//! literal  = number | "string" | true | false | null
//! ```
//!
//! Identifiers may contain `-` (step names do): there is no subtraction. A
//! missing path is `null`. `==` compares JSON values (numbers numerically);
//! `<` and friends compare two numbers or two strings, else are false;
//! `x in [..]` is membership; `a contains b` is a substring or an element.
//! `null`, `false`, `0`, `""`, `[]` and `{}` are false.

use serde_json::Value;

/// Deepest nesting accepted (hostile input cannot overflow the stack).
const MAX_DEPTH: usize = 64;

/// A parse error: where, and what.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct ConditionError {
    /// 1-based column (in characters).
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Contains,
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Lit(Value),
    Path(Vec<Seg>),
    List(Vec<Expr>),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cmp(Op, Box<Expr>, Box<Expr>),
    Exists(Vec<Seg>),
    Len(Box<Expr>),
    Any(Vec<Seg>, Box<Expr>, Box<Expr>),
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    source: String,
    expr: Expr,
}

impl Condition {
    /// Parse `src`; a path's first segment must be one of `roots`.
    pub fn parse(src: &str, roots: &[&str]) -> Result<Condition, ConditionError> {
        let tokens = lex(src)?;
        let mut p = Parser {
            tokens,
            pos: 0,
            roots,
            depth: 0,
        };
        if p.tokens.len() == 1 {
            return Err(p.error("the condition is empty"));
        }
        let expr = p.expr()?;
        if p.peek() != &Tok::End {
            return Err(p.error(format!("unexpected {} after the expression", p.peek())));
        }
        Ok(Condition {
            source: src.to_owned(),
            expr,
        })
    }

    /// Every path referenced, as its segments (indices as their digits).
    pub fn paths(&self) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        collect_paths(&self.expr, &mut out);
        out
    }

    /// Evaluate against `scope` (an object keyed by the roots).
    pub fn eval(&self, scope: &Value) -> bool {
        truthy(&eval(&self.expr, scope))
    }

    /// The text it was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }
}

fn collect_paths(e: &Expr, out: &mut Vec<Vec<String>>) {
    let segs = |p: &[Seg]| {
        p.iter()
            .map(|s| match s {
                Seg::Key(k) => k.clone(),
                Seg::Index(i) => i.to_string(),
            })
            .collect()
    };
    match e {
        Expr::Lit(_) => {}
        Expr::Path(p) | Expr::Exists(p) => out.push(segs(p)),
        Expr::List(items) => items.iter().for_each(|i| collect_paths(i, out)),
        Expr::Not(a) | Expr::Len(a) => collect_paths(a, out),
        Expr::And(a, b) | Expr::Or(a, b) | Expr::Cmp(_, a, b) => {
            collect_paths(a, out);
            collect_paths(b, out);
        }
        Expr::Any(p, a, b) => {
            out.push(segs(p));
            collect_paths(a, out);
            collect_paths(b, out);
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
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
fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ConditionError> {
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

struct Parser<'a> {
    tokens: Vec<(Tok, usize)>,
    pos: usize,
    roots: &'a [&'a str],
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.tokens[self.pos.min(self.tokens.len() - 1)].0
    }

    fn column(&self) -> usize {
        self.tokens[self.pos.min(self.tokens.len() - 1)].1
    }

    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }

    fn error(&self, message: impl Into<String>) -> ConditionError {
        ConditionError {
            column: self.column(),
            message: message.into(),
        }
    }

    fn eat(&mut self, sym: &str) -> bool {
        if matches!(self.peek(), Tok::Sym(s) if *s == sym) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, sym: &'static str, context: &str) -> Result<(), ConditionError> {
        if self.eat(sym) {
            Ok(())
        } else {
            Err(self.error(format!("expected `{sym}` {context}, found {}", self.peek())))
        }
    }

    fn expr(&mut self) -> Result<Expr, ConditionError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("nested more than {MAX_DEPTH} deep")));
        }
        let mut left = self.and()?;
        while self.eat("||") {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ConditionError> {
        let mut left = self.not()?;
        while self.eat("&&") {
            left = Expr::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, ConditionError> {
        if self.eat("!") {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(self.error(format!("nested more than {MAX_DEPTH} deep")));
            }
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Expr, ConditionError> {
        let left = self.primary()?;
        let op = match self.peek() {
            Tok::Sym("==") => Op::Eq,
            Tok::Sym("!=") => Op::Ne,
            Tok::Sym("<") => Op::Lt,
            Tok::Sym("<=") => Op::Le,
            Tok::Sym(">") => Op::Gt,
            Tok::Sym(">=") => Op::Ge,
            Tok::Ident(w) if w == "in" => Op::In,
            Tok::Ident(w) if w == "contains" => Op::Contains,
            _ => return Ok(left),
        };
        self.pos += 1;
        let right = self.primary()?;
        if matches!(self.peek(), Tok::Sym("==" | "!=" | "<" | "<=" | ">" | ">=")) {
            return Err(self.error("comparisons do not chain: use `&&` between them"));
        }
        Ok(Expr::Cmp(op, Box::new(left), Box::new(right)))
    }

    fn primary(&mut self) -> Result<Expr, ConditionError> {
        let column = self.column();
        match self.next() {
            Tok::Num(n) => Ok(Expr::Lit(n)),
            Tok::Str(s) => Ok(Expr::Lit(Value::String(s))),
            Tok::Sym("(") => {
                let e = self.expr()?;
                self.expect(")", "to close `(`")?;
                Ok(e)
            }
            Tok::Sym("[") => {
                let mut items = Vec::new();
                if !self.eat("]") {
                    loop {
                        items.push(self.primary()?);
                        if self.eat("]") {
                            break;
                        }
                        self.expect(",", "or `]` in the list")?;
                    }
                }
                Ok(Expr::List(items))
            }
            Tok::Ident(w) => match w.as_str() {
                "true" => Ok(Expr::Lit(Value::Bool(true))),
                "false" => Ok(Expr::Lit(Value::Bool(false))),
                "null" => Ok(Expr::Lit(Value::Null)),
                _ if self.peek() == &Tok::Sym("(") => self.call(&w, column),
                _ => self.path(w, column).map(Expr::Path),
            },
            other => {
                self.pos -= 1;
                Err(self.error(format!("expected a value, found {other}")))
            }
        }
    }

    fn call(&mut self, name: &str, column: usize) -> Result<Expr, ConditionError> {
        self.pos += 1; // (
        let path_arg = |p: &mut Self| -> Result<Vec<Seg>, ConditionError> {
            let col = p.column();
            match p.next() {
                Tok::Ident(w) => p.path(w, col),
                other => {
                    p.pos -= 1;
                    Err(p.error(format!("`{name}` takes a path, found {other}")))
                }
            }
        };
        let e = match name {
            "exists" => Expr::Exists(path_arg(self)?),
            "len" => Expr::Len(Box::new(self.expr()?)),
            "any" => {
                let path = path_arg(self)?;
                self.expect(",", "after the path of `any`")?;
                let field = self.primary()?;
                self.expect(",", "after the field of `any`")?;
                let value = self.primary()?;
                Expr::Any(path, Box::new(field), Box::new(value))
            }
            _ => {
                return Err(ConditionError {
                    column,
                    message: format!("unknown function `{name}` (known: exists, len, any)"),
                });
            }
        };
        self.expect(")", &format!("after the argument(s) of `{name}`"))?;
        Ok(e)
    }

    fn path(&mut self, root: String, column: usize) -> Result<Vec<Seg>, ConditionError> {
        if !self.roots.contains(&root.as_str()) {
            return Err(ConditionError {
                column,
                message: format!(
                    "`{root}` is not something a condition can read (use {})",
                    self.roots
                        .iter()
                        .map(|r| format!("`{r}.…`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            });
        }
        let mut segs = vec![Seg::Key(root)];
        loop {
            if self.eat(".") {
                match self.next() {
                    Tok::Ident(k) => segs.push(Seg::Key(k)),
                    other => {
                        self.pos -= 1;
                        return Err(self.error(format!("expected a name after `.`, found {other}")));
                    }
                }
            } else if self.eat("[") {
                match self.next() {
                    Tok::Num(Value::Number(n)) if n.as_u64().is_some() => {
                        segs.push(Seg::Index(n.as_u64().unwrap_or(0) as usize));
                    }
                    other => {
                        self.pos -= 1;
                        return Err(self.error(format!("expected an index ≥ 0, found {other}")));
                    }
                }
                self.expect("]", "after the index")?;
            } else {
                return Ok(segs);
            }
        }
    }
}

fn lookup<'v>(scope: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    path.iter().try_fold(scope, |v, seg| match seg {
        Seg::Key(k) => v.get(k),
        Seg::Index(i) => v.get(i),
    })
}

fn eval(e: &Expr, scope: &Value) -> Value {
    match e {
        Expr::Lit(v) => v.clone(),
        Expr::Path(p) => lookup(scope, p).cloned().unwrap_or(Value::Null),
        Expr::List(items) => Value::Array(items.iter().map(|i| eval(i, scope)).collect()),
        Expr::Not(a) => Value::Bool(!truthy(&eval(a, scope))),
        Expr::And(a, b) => Value::Bool(truthy(&eval(a, scope)) && truthy(&eval(b, scope))),
        Expr::Or(a, b) => Value::Bool(truthy(&eval(a, scope)) || truthy(&eval(b, scope))),
        Expr::Exists(p) => Value::Bool(lookup(scope, p).is_some_and(|v| !v.is_null())),
        Expr::Len(a) => Value::from(match eval(a, scope) {
            Value::Array(v) => v.len(),
            Value::Object(m) => m.len(),
            Value::String(s) => s.chars().count(),
            _ => 0,
        }),
        Expr::Any(p, field, value) => {
            let (field, value) = (eval(field, scope), eval(value, scope));
            let hit = lookup(scope, p)
                .and_then(Value::as_array)
                .zip(field.as_str())
                .is_some_and(|(items, f)| {
                    items
                        .iter()
                        .any(|i| i.get(f).is_some_and(|x| same(x, &value)))
                });
            Value::Bool(hit)
        }
        Expr::Cmp(op, a, b) => {
            let (a, b) = (eval(a, scope), eval(b, scope));
            Value::Bool(match op {
                Op::Eq => same(&a, &b),
                Op::Ne => !same(&a, &b),
                Op::In => b
                    .as_array()
                    .is_some_and(|items| items.iter().any(|i| same(i, &a))),
                Op::Contains => match (&a, &b) {
                    (Value::String(s), Value::String(t)) => s.contains(t.as_str()),
                    (Value::Array(items), x) => items.iter().any(|i| same(i, x)),
                    _ => false,
                },
                Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                    let ord = match (&a, &b) {
                        (Value::Number(x), Value::Number(y)) => x
                            .as_f64()
                            .zip(y.as_f64())
                            .and_then(|(x, y)| x.partial_cmp(&y)),
                        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
                        _ => None,
                    };
                    ord.is_some_and(|o| match op {
                        Op::Lt => o.is_lt(),
                        Op::Le => o.is_le(),
                        Op::Gt => o.is_gt(),
                        _ => o.is_ge(),
                    })
                }
            })
        }
    }
}

/// JSON equality, numbers compared numerically (1 == 1.0).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ROOTS: &[&str] = &["event", "steps"];

    fn scope() -> Value {
        json!({
            "event": { "type": "email_received", "payload": { "from": "a@b.example", "n": 3, "tags": ["vip", "eu"] } },
            "steps": {
                "classify": { "status": "completed", "data": { "intent": "needs_response", "confidence": 0.91 } },
                "detect-intents": { "status": "completed", "data": { "intents": [
                    { "label": "send_proposal", "confidence": 0.9 },
                    { "label": "budget", "confidence": 0.7 }
                ] } }
            }
        })
    }

    fn eval_src(src: &str) -> bool {
        Condition::parse(src, ROOTS)
            .unwrap_or_else(|e| panic!("{src}: {e}"))
            .eval(&scope())
    }

    #[test]
    fn comparisons_and_logic() {
        assert!(eval_src(
            r#"steps.classify.data.intent == "needs_response""#
        ));
        assert!(eval_src(
            "steps.classify.data.confidence >= 0.8 && event.payload.n > 2"
        ));
        assert!(eval_src("event.payload.n == 3.0"));
        assert!(eval_src(r#"!(event.type == "meeting_ended") || false"#));
        assert!(
            !eval_src(r#"event.payload.n < "4""#),
            "mixed types never order"
        );
        assert!(eval_src(r#""b" > "a""#));
    }

    #[test]
    fn paths_missing_values_and_truthiness() {
        assert!(!eval_src("steps.nothing.data.x"));
        assert!(eval_src("steps.nothing.data.x == null"));
        assert!(eval_src("event.payload.tags[1] == \"eu\""));
        assert!(!eval_src("event.payload.tags[5]"));
        assert!(eval_src("event.payload.tags"));
    }

    #[test]
    fn functions_membership_and_contains() {
        assert!(eval_src("exists(event.payload.from)"));
        assert!(!eval_src("exists(event.payload.to)"));
        assert!(eval_src("len(steps.detect-intents.data.intents) == 2"));
        assert!(eval_src(r#"len("héllo") == 5"#));
        assert!(eval_src(
            r#"any(steps.detect-intents.data.intents, "label", "send_proposal")"#
        ));
        assert!(!eval_src(
            r#"any(steps.detect-intents.data.intents, "label", "pricing")"#
        ));
        assert!(eval_src(
            r#"event.type in ["email_received", "meeting_ended"]"#
        ));
        assert!(eval_src(r#"event.payload.from contains "@""#));
        assert!(eval_src(r#"event.payload.tags contains "vip""#));
    }

    #[test]
    fn paths_are_reported_for_validation() {
        let c = Condition::parse("steps.a.data[0] == 1 || exists(event.payload.x)", ROOTS).unwrap();
        assert_eq!(
            c.paths(),
            vec![
                vec!["steps".to_owned(), "a".into(), "data".into(), "0".into()],
                vec!["event".to_owned(), "payload".into(), "x".into()],
            ]
        );
    }

    #[test]
    fn errors_name_the_column_and_the_problem() {
        let cases = [
            ("", 1, "empty"),
            ("steps.a ==", 11, "expected a value"),
            ("context.x", 1, "not something a condition can read"),
            ("(steps.a", 9, "expected `)`"),
            ("\"open", 1, "unterminated string"),
            ("steps.a == 1 1", 14, "unexpected number"),
            ("nope(steps.a)", 1, "unknown function `nope`"),
            ("steps.a == 1 == 2", 14, "do not chain"),
            ("steps.a $ 1", 9, "unexpected character"),
        ];
        for (src, column, want) in cases {
            let e = Condition::parse(src, ROOTS).unwrap_err();
            assert!(e.message.contains(want), "{src:?}: {e}");
            assert_eq!(e.column, column, "{src:?}: {e}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("{}true{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(
            Condition::parse(&deep, ROOTS)
                .unwrap_err()
                .message
                .contains("nested")
        );
        let nots = format!("{}true", "!".repeat(10_000));
        assert!(Condition::parse(&nots, ROOTS).is_err());
    }
}
