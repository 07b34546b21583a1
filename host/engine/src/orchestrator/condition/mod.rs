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
//!
//! - `lex.rs`: characters to tokens with their columns.
//! - `parse.rs`: tokens to an expression, paths checked against the roots.
//! - `eval.rs`: an expression against a JSON scope.
//!
//! This module never reads anything but its source text and the scope it
//! is handed: no I/O, no clock, and no input can make it panic or recurse
//! without bound.

mod eval;
mod lex;
mod parse;
#[cfg(test)]
mod props;

use serde_json::Value;

/// A parse error: where, and what.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct ConditionError {
    /// 1-based column (in characters).
    pub column: usize,
    pub message: String,
}

/// One step of a path: an object key or an array index.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// A binary comparison.
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

/// The parsed expression tree.
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
        Ok(Condition {
            source: src.to_owned(),
            expr: parse::parse(src, roots)?,
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
        eval::truthy(&eval::eval(&self.expr, scope))
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

/// The roots the unit and property tests parse against.
#[cfg(test)]
const TEST_ROOTS: &[&str] = &["event", "steps"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_reported_for_validation() {
        let c = Condition::parse(
            "steps.a.data[0] == 1 || exists(event.payload.x)",
            TEST_ROOTS,
        )
        .unwrap();
        assert_eq!(
            c.paths(),
            vec![
                vec!["steps".to_owned(), "a".into(), "data".into(), "0".into()],
                vec!["event".to_owned(), "payload".into(), "x".into()],
            ]
        );
    }
}
