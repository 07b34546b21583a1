//! Rows an extension writes with another write, in its transaction: with
//! a checkpoint, the step that produced them (the extension seam's
//! `rows`), with a new job, what its event says happened (`admitted`), or
//! on their own ([`Store::write_rows`]). One statement each, valid on
//! SQLite and Postgres, with its values in order.
//! The store binds them as they are, text made storable (no NUL); it does
//! not know what the rows mean.

use super::text::storable;
use super::{Store, StoreError, on_pool};

/// One statement and the values of its `$1, $2, …`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub statement: &'static str,
    pub values: Vec<Param>,
}

/// A value bound to a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Text(Option<String>),
    Int(Option<i64>),
    Real(Option<f64>),
}

impl From<&str> for Param {
    fn from(s: &str) -> Param {
        Param::Text(Some(s.to_owned()))
    }
}

impl From<String> for Param {
    fn from(s: String) -> Param {
        Param::Text(Some(s))
    }
}

impl From<Option<String>> for Param {
    fn from(s: Option<String>) -> Param {
        Param::Text(s)
    }
}

impl From<i64> for Param {
    fn from(n: i64) -> Param {
        Param::Int(Some(n))
    }
}

impl From<Option<i64>> for Param {
    fn from(n: Option<i64>) -> Param {
        Param::Int(n)
    }
}

impl From<Option<f64>> for Param {
    fn from(n: Option<f64>) -> Param {
        Param::Real(n)
    }
}

impl Param {
    /// The text to bind, made storable.
    pub(super) fn text(s: &Option<String>) -> Option<String> {
        s.as_deref().map(|s| storable(s).into_owned())
    }
}

/// Execute `rows` in transaction `tx` (either backend's).
macro_rules! write_rows {
    ($tx:expr, $rows:expr) => {
        for row in $rows {
            let mut q = sqlx::query(row.statement);
            for v in &row.values {
                q = match v {
                    $crate::rows::Param::Text(s) => q.bind($crate::rows::Param::text(s)),
                    $crate::rows::Param::Int(n) => q.bind(*n),
                    $crate::rows::Param::Real(n) => q.bind(*n),
                };
            }
            q.execute(&mut *$tx).await?;
        }
    };
}
pub(crate) use write_rows;

impl Store {
    /// Write `rows` in one transaction of their own.
    pub async fn write_rows(&self, rows: &[Row]) -> Result<(), StoreError> {
        Ok(on_pool!(self, pool => async {
            let mut tx = pool.begin().await?;
            write_rows!(tx, rows);
            tx.commit().await
        }.await)?)
    }
}
