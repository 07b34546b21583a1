//! The condition parser: recursive descent over the lexer's tokens, one
//! method per rule of the grammar in `mod.rs`. It refuses, with a column,
//! a path whose root is not readable and nesting deeper than
//! [`MAX_DEPTH`]; it never evaluates anything.

use super::lex::{Tok, lex};
use super::{ConditionError, Expr, Op, Seg};
use serde_json::Value;

/// Deepest nesting accepted (hostile input cannot overflow the stack).
const MAX_DEPTH: usize = 64;

/// Parse `src` into an expression; a path's first segment must be one of
/// `roots`.
pub(super) fn parse(src: &str, roots: &[&str]) -> Result<Expr, ConditionError> {
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
    Ok(expr)
}

/// The cursor over the tokens, and how deep it is nested.
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

    /// One level deeper in the tree: each `(`, `[`, `!`, call, and each
    /// operand chained by `&&` or `||` (a chain is as deep as it is long).
    fn descend(&mut self) -> Result<(), ConditionError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!(
                "nested more than {MAX_DEPTH} deep (each `(`, `[`, `!`, call, `&&` and `||` counts one)"
            )));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, ConditionError> {
        let outer = self.depth;
        self.descend()?;
        let mut left = self.and()?;
        while self.eat("||") {
            self.descend()?;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        self.depth = outer;
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ConditionError> {
        let outer = self.depth;
        let mut left = self.not()?;
        while self.eat("&&") {
            self.descend()?;
            left = Expr::And(Box::new(left), Box::new(self.not()?));
        }
        self.depth = outer;
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, ConditionError> {
        if self.eat("!") {
            self.descend()?;
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
                self.descend()?;
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
                self.depth -= 1;
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
        self.descend()?;
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
        self.depth -= 1;
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

#[cfg(test)]
mod tests {
    use super::super::{Condition, TEST_ROOTS};

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
            let e = Condition::parse(src, TEST_ROOTS).unwrap_err();
            assert!(e.message.contains(want), "{src:?}: {e}");
            assert_eq!(e.column, column, "{src:?}: {e}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("{}true{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(
            Condition::parse(&deep, TEST_ROOTS)
                .unwrap_err()
                .message
                .contains("nested")
        );
        let nots = format!("{}true", "!".repeat(10_000));
        assert!(Condition::parse(&nots, TEST_ROOTS).is_err());
        // Lists nest through `primary`, not `expr`: 10 000 `[` overflowed
        // the stack.
        let lists = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(
            Condition::parse(&lists, TEST_ROOTS)
                .unwrap_err()
                .message
                .contains("nested")
        );
        let in_any = format!("any(steps.a, \"x\", {}1)", "[".repeat(10_000));
        assert!(Condition::parse(&in_any, TEST_ROOTS).is_err());
        // So do calls in `any`'s arguments (found by the property tests).
        let anys = "any(steps.a, 1, ".repeat(10_000);
        assert!(
            Condition::parse(&anys, TEST_ROOTS)
                .unwrap_err()
                .message
                .contains("nested")
        );
    }

    #[test]
    fn long_chains_are_refused_not_overflowed() {
        // `a && b && …` is a tree as deep as the chain is long: evaluating
        // or dropping 100 000 of them overflowed the stack.
        for op in ["&&", "||"] {
            let chain = vec!["true"; 100_000].join(op);
            let e = Condition::parse(&chain, TEST_ROOTS).unwrap_err();
            assert!(e.message.contains("nested"), "{op}: {e}");
        }
        // A chain of ordinary length, and one at the limit, still parse.
        let ok = vec!["steps.a.data.x == 1"; 20].join(" && ");
        assert!(Condition::parse(&ok, TEST_ROOTS).is_ok());
        let at_limit = vec!["true"; super::MAX_DEPTH - 1].join(" || ");
        assert!(Condition::parse(&at_limit, TEST_ROOTS).is_ok());
        let over = vec!["true"; super::MAX_DEPTH + 1].join(" || ");
        assert!(Condition::parse(&over, TEST_ROOTS).is_err());
    }
}
