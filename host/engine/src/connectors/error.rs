//! [`ConnectorError`]: why a connector could not carry something out, and
//! the one verdict the retry policies ask of it ([`ConnectorError::is_retriable`],
//! with the peer's requested wait in [`ConnectorError::retry_after_ms`]).
//!
//! The error stays typed up to the edge: the outbox row stores its message,
//! the delivery loop and the notifier ask it whether a retry can help. It
//! never decides a retry itself.

use crate::store::StoreError;

/// Why a connector could not deliver.
#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    /// The connector is not set up right; fix the configuration.
    #[error("{0}")]
    Config(String),
    /// The peer refused this message for good (a bad address, a bad block).
    #[error("{0}")]
    Rejected(String),
    /// The peer refused our credential for the account it was sent for:
    /// final until someone reconnects it (the account is marked so).
    #[error("{0}")]
    Unauthorized(String),
    /// Try again later.
    #[error("{0}")]
    Retriable(String),
    /// The peer asked us to wait.
    #[error("rate limited; retry in {retry_after_ms} ms")]
    RateLimited { retry_after_ms: i64 },
    /// The HTTP client could not be built (TLS roots, the resolver).
    #[error("the HTTP client cannot be built: {0}")]
    Client(#[source] reqwest::Error),
    /// Reading the rep or recording the send in the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ConnectorError {
    /// Whether a later attempt may succeed. A missing connector may be
    /// configured before the next attempt, and the store may answer next
    /// time, so only a peer's refusal is final.
    pub fn is_retriable(&self) -> bool {
        !matches!(
            self,
            ConnectorError::Rejected(_) | ConnectorError::Unauthorized(_)
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
    fn only_a_refusal_is_final_and_only_a_rate_limit_says_when() {
        let refused = ConnectorError::Rejected("bad address".into());
        assert!(!refused.is_retriable());
        assert!(!ConnectorError::Unauthorized("token refused".into()).is_retriable());
        assert_eq!(refused.retry_after_ms(), None);
        let limited = ConnectorError::RateLimited {
            retry_after_ms: 30_000,
        };
        assert!(limited.is_retriable());
        assert_eq!(limited.retry_after_ms(), Some(30_000));
        assert_eq!(limited.to_string(), "rate limited; retry in 30000 ms");
        assert!(ConnectorError::Config("no relay".into()).is_retriable());
        assert!(ConnectorError::Store(StoreError::NotFound("rep".into())).is_retriable());
    }
}
