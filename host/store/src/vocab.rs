//! The words the store keeps as text: every status and kind is an enum in
//! Rust, converted to and from its SQL text once, here (`as_str` to bind,
//! `parse` to read; text the enum does not know is
//! [`StoreError::Corrupt`]). Serde writes the same text, so the API's JSON
//! is what the database holds. The action kinds and gate patterns are the
//! skills' vocabulary, from `baton-types`.

use super::StoreError;
pub use baton_types::{ActionKind, Pattern};
use serde_json::Value;

/// Define a text-valued enum: serde `snake_case`, `as_str` for SQL and
/// `parse` back, with `$what` naming it in a corruption error.
#[macro_export]
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal {
        $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The SQL (and JSON) text form.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Read the SQL text form.
            pub fn parse(s: &str) -> Result<$name, $crate::StoreError> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::StoreError::Corrupt(format!(
                        concat!($what, " `{}`"),
                        other
                    ))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }
    };
}

text_enum!(
    /// How one attempt of one step ended (`step_runs.status`).
    StepRunStatus, "step run status" {
        Completed => "completed",
        Failed => "failed",
        Skipped => "skipped",
        /// Its output waits at a gate.
        AwaitingApproval => "awaiting_approval",
        Declined => "declined",
    }
);

text_enum!(
    /// Where a gate stands (`pending_actions.status`).
    GateStatus, "gate status" {
        Open => "open",
        Decided => "decided",
        Expired => "expired",
        Cancelled => "cancelled",
        /// Withdrawn unanswered: what it was based on moved on (a newer
        /// message came in, say); the reason is its `decision_note`.
        Superseded => "superseded",
    }
);

text_enum!(
    /// Who opened a gate (`pending_actions.kind`).
    GateKind, "gate kind" {
        /// The step's approval policy, over the step's output.
        Step => "step",
        /// The skill itself, through the `approvals` import; the call runs
        /// again with the decisions.
        Skill => "skill",
    }
);

text_enum!(
    /// What an unanswered gate does when it expires: a step's `on_expiry`
    /// in a sequence, and `pending_actions.on_expiry`.
    #[derive(Default)]
    OnExpiry, "on_expiry" {
        /// Skip the step and go on.
        #[default]
        Skip => "skip",
        /// Cancel the sequence.
        Cancel => "cancel",
    }
);

/// Read an action kind stored as text.
pub(crate) fn parse_action_kind(s: &str) -> Result<ActionKind, StoreError> {
    ActionKind::parse(s).ok_or_else(|| StoreError::Corrupt(format!("action kind `{s}`")))
}

/// Read a gate pattern stored as text.
pub(crate) fn parse_pattern(s: &str) -> Result<Pattern, StoreError> {
    Pattern::parse(s).ok_or_else(|| StoreError::Corrupt(format!("gate pattern `{s}`")))
}

/// The kind of one action in a gate's body (`{kind, preview, payload}`),
/// if it names one. A skill's own gate may hold anything in its body.
pub fn kind_of(action: &Value) -> Option<ActionKind> {
    action
        .get("kind")
        .and_then(Value::as_str)
        .and_then(ActionKind::parse)
}

/// `kinds` as an SQL list of their wire names (`'email_send', …`), for an
/// `IN (…)` that narrows a query to them.
pub(crate) fn sql_list(kinds: &[ActionKind]) -> String {
    kinds
        .iter()
        .map(|k| format!("'{}'", k.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trips<T>(
        all: &[T],
        as_str: fn(T) -> &'static str,
        parse: fn(&str) -> Result<T, StoreError>,
    ) where
        T: Copy + PartialEq + std::fmt::Debug + serde::Serialize,
    {
        for &v in all {
            assert_eq!(json!(v), json!(as_str(v)), "serde writes the SQL text");
            assert_eq!(parse(as_str(v)).ok(), Some(v));
        }
        assert!(matches!(parse("nonsense"), Err(StoreError::Corrupt(_))));
    }

    #[test]
    fn every_word_round_trips_through_sql_text_and_json() {
        round_trips(
            StepRunStatus::ALL,
            StepRunStatus::as_str,
            StepRunStatus::parse,
        );
        round_trips(GateStatus::ALL, GateStatus::as_str, GateStatus::parse);
        round_trips(GateKind::ALL, GateKind::as_str, GateKind::parse);
        round_trips(OnExpiry::ALL, OnExpiry::as_str, OnExpiry::parse);
        round_trips(&ActionKind::ALL, ActionKind::as_str, parse_action_kind);
        round_trips(&Pattern::ALL, Pattern::as_str, parse_pattern);
    }

    #[test]
    fn a_gate_action_names_its_kind_or_none() {
        assert_eq!(
            kind_of(&json!({ "kind": "email_send" })),
            Some(ActionKind::EmailSend)
        );
        assert_eq!(kind_of(&json!({ "kind": "fax" })), None);
        assert_eq!(kind_of(&json!({})), None);
    }
}
