//! Defects an outside probe found in `baton serve` (issue 14), each
//! attacked the way the probe did, on SQLite and on Postgres: NUL bytes at
//! the door, one bad checkpoint in a group commit, inbox sessions outliving
//! their token, a raced send cap, who decided, empty edits, shared
//! mailboxes, Gmail pushes read before their token, do-not-contact
//! addresses and generic webhook redeliveries. One module per area.

mod approvals;
mod door;
mod sessions;
mod webhooks;

/// The operator's token, where a test needs the admin routes.
const ADMIN: &str = "admin-secret";
