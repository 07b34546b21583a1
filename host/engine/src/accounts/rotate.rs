//! Key rotation: every sealed value sealed again under the vault's newest
//! key, a batch at a time, while the service runs. A pass is resumable (a
//! value already under the newest key is passed over) and safe beside the
//! service: a value is replaced only if it is still what was read, so a
//! token the service refreshed meanwhile is kept.

use super::vault::Vault;
use crate::store::{SealedColumn, Store, StoreError};

/// What a rotation found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// Sealed again under the newest key.
    pub resealed: usize,
    /// Already under the newest key.
    pub current: usize,
    /// Rewritten by the service between the read and the replace: read
    /// again by the next pass.
    pub changed: usize,
    /// Values no listed key opens: which column and row, and why.
    pub unopened: Vec<(SealedColumn, String, String)>,
}

impl Rotation {
    /// Whether every value read is now under the newest key.
    pub fn complete(&self) -> bool {
        self.changed == 0 && self.unopened.is_empty()
    }
}

/// One pass over every sealed column in batches of `batch`, calling
/// `progress` after each batch with the column and the totals so far.
pub async fn rotate(
    store: &Store,
    vault: &Vault,
    batch: i64,
    mut progress: impl FnMut(SealedColumn, &Rotation),
) -> Result<Rotation, StoreError> {
    let mut done = Rotation::default();
    for column in SealedColumn::ALL {
        let mut after = String::new();
        loop {
            let values = store.sealed_values(column, &after, batch.max(1)).await?;
            let Some(last) = values.last() else { break };
            after = last.key.clone();
            for v in &values {
                match vault.reseal(&v.key, &v.value) {
                    Ok(None) => done.current += 1,
                    Ok(Some(new)) => {
                        if store.replace_sealed(column, &v.key, &v.value, &new).await? {
                            done.resealed += 1;
                        } else {
                            done.changed += 1;
                        }
                    }
                    Err(e) => done.unopened.push((column, v.key.clone(), e.to_string())),
                }
            }
            progress(column, &done);
        }
    }
    Ok(done)
}
