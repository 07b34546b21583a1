//! Errors that keep their cause: [`Context`] says what failed and keeps the
//! error that caused it as its `source()`; [`Report`] shows an error with
//! each cause under it on one line, for the edges that record or log one.

use std::error::Error;
use std::fmt;
use std::sync::Arc;

/// Any error kept as the cause of another.
pub type Cause = Box<dyn Error + Send + Sync + 'static>;

/// What failed, and the error that caused it (if any) as its source. Its
/// `Display` is the message alone; a [`Report`] adds the causes.
#[derive(Debug)]
pub struct Context {
    message: String,
    cause: Option<Cause>,
}

impl Context {
    /// `message`, with no cause under it.
    pub fn new(message: impl Into<String>) -> Self {
        Context {
            message: message.into(),
            cause: None,
        }
    }

    /// `message`, caused by `cause`.
    pub fn because(message: impl Into<String>, cause: impl Into<Cause>) -> Self {
        Context {
            message: message.into(),
            cause: Some(cause.into()),
        }
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for Context {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.cause.as_deref().map(|c| c as &(dyn Error + 'static))
    }
}

/// A cause that can be cloned with the error that keeps it (an error that
/// is `Clone`, like a skill call's, is copied into records and answers).
/// Two are equal when their reports read the same.
#[derive(Clone)]
pub struct SharedCause(Arc<dyn Error + Send + Sync + 'static>);

impl SharedCause {
    /// `cause`, kept to be shared.
    pub fn new(cause: impl Into<Cause>) -> Self {
        SharedCause(Arc::from(cause.into()))
    }
}

impl fmt::Debug for SharedCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for SharedCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl Error for SharedCause {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.0.source()
    }
}

impl PartialEq for SharedCause {
    fn eq(&self, other: &Self) -> bool {
        Report(self).to_string() == Report(other).to_string()
    }
}

/// An error and each cause under it, `: `-joined. A cause whose message
/// the text so far already ends with (an error that shows its source in
/// its own message as well, as many `thiserror` types do) is not repeated.
pub struct Report<'a>(pub &'a (dyn Error + 'static));

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = self.0.to_string();
        let mut cause = self.0.source();
        while let Some(c) = cause {
            let said = c.to_string();
            if !text.ends_with(&said) {
                text.push_str(": ");
                text.push_str(&said);
            }
            cause = c.source();
        }
        f.write_str(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_context_shows_its_message_and_a_report_its_causes() {
        let e = Context::because("IMAP fetch", std::io::Error::other("connection reset"));
        assert_eq!(e.to_string(), "IMAP fetch");
        assert_eq!(Report(&e).to_string(), "IMAP fetch: connection reset");
        let outer = Context::because("mail loop", e);
        assert_eq!(
            Report(&outer).to_string(),
            "mail loop: IMAP fetch: connection reset"
        );
        assert_eq!(Report(&Context::new("no rep")).to_string(), "no rep");
    }

    /// An error that shows its source in its own message as well.
    #[derive(Debug)]
    struct ShowsItsSource(std::io::Error);

    impl fmt::Display for ShowsItsSource {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "database: {}", self.0)
        }
    }

    impl Error for ShowsItsSource {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let e = ShowsItsSource(std::io::Error::other("connection reset"));
        assert_eq!(Report(&e).to_string(), "database: connection reset");
        let outer = Context::because("claiming jobs", e);
        assert_eq!(
            Report(&outer).to_string(),
            "claiming jobs: database: connection reset"
        );
    }

    #[test]
    fn a_shared_cause_keeps_the_chain_under_it() {
        let inner = Context::because("fuel", std::io::Error::other("engine gone"));
        let shared = SharedCause::new(inner);
        let copy = shared.clone();
        assert_eq!(Report(&copy).to_string(), "fuel: engine gone");
        assert_eq!(shared, copy);
        assert_ne!(shared, SharedCause::new(Context::new("fuel")));
    }
}
