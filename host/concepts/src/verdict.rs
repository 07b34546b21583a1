//! The one question every retry policy asks of an error: may another attempt
//! help? Each boundary's error (a skill call's `RuntimeError`, the store's
//! `StoreError`) answers it with one method, `verdict()`. A leaf: it knows no
//! other module, so every layer can use it.

/// Whether another attempt of the same operation may help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// It may (a deadline, a busy database, a transient fault): retry as far
    /// as the caller's policy allows.
    Retry,
    /// It cannot: no retry of any kind helps.
    Stop,
}
