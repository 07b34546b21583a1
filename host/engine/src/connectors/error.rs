//! [`ConnectorError`]: why a connector could not carry something out, and
//! the one verdict the retry policies ask of it ([`ConnectorError::is_retriable`],
//! with the peer's requested wait in [`ConnectorError::retry_after_ms`]).
//!
//! The error stays typed up to the edge: what caused it (a transport or
//! SMTP error, a file, a URL) is its `source()`, not text in its message;
//! the outbox row stores its [`ConnectorError::report`] (the message and
//! each cause; a transport error is kept without its URL, which may carry
//! a token), and the delivery loop and the notifier ask it whether a
//! retry can help. It never decides a retry itself.

use crate::report::{Cause, Report};
use crate::store::StoreError;

/// Why a connector could not deliver.
#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    /// The connector is not set up right; fix the configuration.
    #[error("{message}")]
    Config {
        message: String,
        #[source]
        cause: Option<Cause>,
    },
    /// The peer refused this message for good (a bad address, a bad block).
    #[error("{message}")]
    Rejected {
        message: String,
        #[source]
        cause: Option<Cause>,
    },
    /// The peer refused our credential for the account it was sent for:
    /// final until someone reconnects it (the account is marked so).
    #[error("{0}")]
    Unauthorized(String),
    /// Try again later.
    #[error("{message}")]
    Retriable {
        message: String,
        #[source]
        cause: Option<Cause>,
    },
    /// The peer asked us to wait.
    #[error("rate limited; retry in {retry_after_ms} ms")]
    RateLimited { retry_after_ms: i64 },
    /// The HTTP client could not be built (TLS roots, the resolver).
    #[error("the HTTP client cannot be built")]
    Client(#[source] reqwest::Error),
    /// Reading the rep or recording the send in the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ConnectorError {
    /// Not set up right: `message` says what.
    pub fn config(message: impl Into<String>) -> Self {
        ConnectorError::Config {
            message: message.into(),
            cause: None,
        }
    }

    /// Not set up right: `message` says what, `cause` why.
    pub fn config_by(message: impl Into<String>, cause: impl Into<Cause>) -> Self {
        ConnectorError::Config {
            message: message.into(),
            cause: Some(cause.into()),
        }
    }

    /// Refused for good: `message` says why.
    pub fn rejected(message: impl Into<String>) -> Self {
        ConnectorError::Rejected {
            message: message.into(),
            cause: None,
        }
    }

    /// Refused for good: `message` says what, `cause` why.
    pub fn rejected_by(message: impl Into<String>, cause: impl Into<Cause>) -> Self {
        ConnectorError::Rejected {
            message: message.into(),
            cause: Some(cause.into()),
        }
    }

    /// Worth another attempt: `message` says why.
    pub fn retriable(message: impl Into<String>) -> Self {
        ConnectorError::Retriable {
            message: message.into(),
            cause: None,
        }
    }

    /// Worth another attempt: `message` says what failed, `cause` why.
    pub fn retriable_by(message: impl Into<String>, cause: impl Into<Cause>) -> Self {
        ConnectorError::Retriable {
            message: message.into(),
            cause: Some(cause.into()),
        }
    }

    /// The message and each cause under it, `: `-joined: what the outbox
    /// records and the logs show.
    pub fn report(&self) -> String {
        Report(self).to_string()
    }

    /// Whether a later attempt may succeed. A missing connector may be
    /// configured before the next attempt, and the store may answer next
    /// time, so only a peer's refusal is final.
    pub fn is_retriable(&self) -> bool {
        !matches!(
            self,
            ConnectorError::Rejected { .. } | ConnectorError::Unauthorized(_)
        )
    }

    /// How long (ms) the peer asked us to wait before the next attempt.
    pub(crate) fn retry_after_ms(&self) -> Option<i64> {
        match self {
            ConnectorError::RateLimited { retry_after_ms } => Some(*retry_after_ms),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_is_the_source_and_the_report_names_it() {
        let e = ConnectorError::retriable_by(
            "cannot write to the mail drop",
            std::io::Error::other("disk full"),
        );
        assert_eq!(e.to_string(), "cannot write to the mail drop");
        let source = std::error::Error::source(&e).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("disk full"));
        assert_eq!(e.report(), "cannot write to the mail drop: disk full");
        assert!(e.is_retriable());
        let plain = ConnectorError::rejected("bad address");
        assert!(std::error::Error::source(&plain).is_none());
        assert_eq!(plain.report(), "bad address");
    }

    #[test]
    fn only_a_refusal_is_final_and_only_a_rate_limit_says_when() {
        let refused = ConnectorError::rejected("bad address");
        assert!(!refused.is_retriable());
        assert!(!ConnectorError::Unauthorized("token refused".into()).is_retriable());
        assert_eq!(refused.retry_after_ms(), None);
        let limited = ConnectorError::RateLimited {
            retry_after_ms: 30_000,
        };
        assert!(limited.is_retriable());
        assert_eq!(limited.retry_after_ms(), Some(30_000));
        assert_eq!(limited.to_string(), "rate limited; retry in 30000 ms");
        assert!(ConnectorError::config("no relay").is_retriable());
        assert!(ConnectorError::Store(StoreError::NotFound("rep".into())).is_retriable());
    }
}
