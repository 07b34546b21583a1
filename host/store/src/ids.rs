//! Typed ids, so an org id can never be passed where a user id belongs, nor
//! a gate's id where a job's does. Text from outside (a path segment, a
//! CLI argument) becomes an id at the edge that reads it.

use serde::{Deserialize, Serialize};

/// A new time-ordered id (UUIDv7).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, sqlx::Type)]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// A new time-ordered id.
            pub fn fresh() -> $name {
                $name(new_id())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> $name {
                $name(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> $name {
                $name(s.to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// An organisation's id.
    OrgId
);
id_type!(
    /// A user's (rep's) id.
    UserId
);
id_type!(
    /// A sequence job's id.
    JobId
);
id_type!(
    /// A gate's (pending action's) id.
    GateId
);
id_type!(
    /// An outbox effect's id.
    EffectId
);
