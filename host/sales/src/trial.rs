//! A credential tried before it is stored: an IMAP login, a CalDAV
//! `PROPFIND`, HubSpot's token check. The server either refused what the
//! rep gave (the field to fix is named) or could not be reached; nothing
//! is stored in either case.

/// How trying a credential failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Trial {
    /// The server answered and refused `field` (the password, the token,
    /// the URL) for the reason given, in words safe to show the rep.
    #[error("{why}")]
    Refused { field: &'static str, why: String },
    /// The server could not be reached or did not answer as it should.
    #[error("{0}")]
    Unreachable(String),
}
