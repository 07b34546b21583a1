//! Evaluating a parsed condition against a JSON scope. Total: every
//! expression has a value (a missing path is `null`, a comparison of
//! mismatched types is false), so evaluation never fails and never panics.

use super::{Expr, Op, Seg};
use serde_json::Value;

/// The value at `path`, if every segment is there.
fn lookup<'v>(scope: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    path.iter().try_fold(scope, |v, seg| match seg {
        Seg::Key(k) => v.get(k),
        Seg::Index(i) => v.get(i),
    })
}

/// The value of `e` in `scope`.
pub(super) fn eval(e: &Expr, scope: &Value) -> Value {
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

/// `null`, `false`, `0`, `""`, `[]` and `{}` are false; the rest is true.
pub(super) fn truthy(v: &Value) -> bool {
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
    use super::super::{Condition, TEST_ROOTS};
    use serde_json::{Value, json};

    fn scope() -> Value {
        json!({
            "event": { "type": "email_received", "payload": { "from": "a@b.example", "n": 3, "tags": ["vip", "eu"] } },
            "steps": {
                "classify": { "status": "completed", "data": { "intent": "needs_response", "confidence": 0.91 } },
                "detect-intents": { "status": "completed", "data": { "intents": [
                    { "label": "send_quote", "confidence": 0.9 },
                    { "label": "budget", "confidence": 0.7 }
                ] } }
            }
        })
    }

    fn eval_src(src: &str) -> bool {
        Condition::parse(src, TEST_ROOTS)
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
            r#"any(steps.detect-intents.data.intents, "label", "send_quote")"#
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
}
