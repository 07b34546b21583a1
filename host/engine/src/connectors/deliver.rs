//! The seam between the outbox and the outside world: a [`Deliver`] carries
//! one effect out and answers with a typed [`ConnectorError`] when it could
//! not. The orchestrator's delivery loop calls it and owns the retry policy;
//! a deliverer never touches the outbox row itself.

use super::ConnectorError;
use crate::store::Effect;
use std::future::Future;
use std::pin::Pin;

/// The future a [`Deliver`] returns.
pub type DeliverFuture<'a> = Pin<Box<dyn Future<Output = Result<(), ConnectorError>> + Send + 'a>>;

/// Something that can carry effects out.
pub trait Deliver: Send + Sync {
    /// Deliver one effect.
    fn deliver<'a>(&'a self, effect: &'a Effect) -> DeliverFuture<'a>;
}
