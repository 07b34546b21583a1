//! `coaching_digest`: the rep's coaching week, fired by the scheduler on
//! their Monday morning in their zone (for reps whose coaching preference
//! is `weekly` or `both`); read by `compose-coaching-digest`. The payload
//! is what the host took from the stored meeting analyses
//! (`host/sales/src/coaching_digest.rs`), defined once in `baton-types`.

pub use baton_types::coaching::{
    Coaching, FollowUpSpeed, Moment, MomentKind, Side, Targets, Week, WinningPattern,
};

/// The digest's payload, as the host takes it.
pub type Payload = baton_types::coaching::Digest;
