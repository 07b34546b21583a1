//! Secrets at rest: OAuth tokens, mailbox passwords and provider keys are
//! sealed with XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`, an
//! audited AEAD) under a key from the environment (`BATON_SECRET_KEY`, 32
//! bytes in base64). Each sealed value is bound to the row it belongs to
//! (the associated data), so a ciphertext copied to another row does not
//! open. The keys and the plaintexts are never printed.
//!
//! Keys rotate: `BATON_SECRET_KEY` lists the newest key first and older
//! ones after it, separated by commas. The newest seals; every listed key
//! opens. A sealed value names the key that sealed it
//! (`v2.<key id>.<base64>`, the id derived from the key), so
//! `baton secret rotate` finds what is not yet under the newest key and an
//! operator learns which key a value still needs. Values sealed before key
//! ids (bare base64) open with whichever listed key fits.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{AeadCore, XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The environment variable holding the keys.
pub const KEY_VAR: &str = "BATON_SECRET_KEY";

/// What a sealed value that names its key begins with.
const TAGGED: &str = "v2.";

/// Why a secret could not be sealed or opened.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error(
        "{KEY_VAR} is not set: connected accounts and provider keys need it (`baton secret key` prints a new one)"
    )]
    NoKey,
    #[error(
        "{KEY_VAR} must be one key of 32 bytes in base64, or several separated by commas, newest first (`baton secret key` prints one)"
    )]
    BadKey,
    #[error("{KEY_VAR} lists the same key twice")]
    RepeatedKey,
    /// Wrong key, a value moved between rows, or damaged.
    #[error(
        "a stored secret does not open with {KEY_VAR} (the key changed, or the value was altered)"
    )]
    Sealed,
    /// Sealed under a key the list no longer holds.
    #[error(
        "a stored secret was sealed under key {0}, which {KEY_VAR} does not list (was it removed before `baton secret rotate` finished?)"
    )]
    UnknownKey(String),
}

/// One key: its id and its cipher.
struct Key {
    id: String,
    cipher: XChaCha20Poly1305,
}

/// The keys secrets are sealed and opened with; the first seals.
#[derive(Clone)]
pub struct Vault {
    keys: Arc<[Key]>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(..)")
    }
}

/// A key's public id: the first 8 bytes of a SHA-256 over it, in hex.
/// It names the key in sealed values and messages without revealing it.
fn key_id(key: &[u8]) -> String {
    let digest = Sha256::new()
        .chain_update(b"baton secret key id\0")
        .chain_update(key)
        .finalize();
    hex::encode(&digest[..8])
}

impl Vault {
    /// A vault from `BATON_SECRET_KEY`'s value: one base64 key of 32
    /// bytes, or several separated by commas, the newest (which seals)
    /// first.
    pub fn from_key(keys: &str) -> Result<Vault, VaultError> {
        let mut parsed: Vec<Key> = Vec::new();
        for key in keys.split(',').map(str::trim) {
            let bytes = STANDARD.decode(key).map_err(|_| VaultError::BadKey)?;
            if bytes.len() != 32 {
                return Err(VaultError::BadKey);
            }
            let cipher =
                XChaCha20Poly1305::new_from_slice(&bytes).map_err(|_| VaultError::BadKey)?;
            let id = key_id(&bytes);
            if parsed.iter().any(|k| k.id == id) {
                return Err(VaultError::RepeatedKey);
            }
            parsed.push(Key { id, cipher });
        }
        Ok(Vault {
            keys: parsed.into(),
        })
    }

    /// The vault named by `BATON_SECRET_KEY` in `env`: `None` when unset,
    /// an error when set but malformed.
    pub fn from_env<'a>(
        env: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Option<Vault>, VaultError> {
        match env
            .into_iter()
            .find(|(k, v)| *k == KEY_VAR && !v.is_empty())
        {
            Some((_, v)) => Vault::from_key(v).map(Some),
            None => Ok(None),
        }
    }

    /// A new random key, base64.
    pub fn new_key() -> String {
        STANDARD.encode(XChaCha20Poly1305::generate_key(&mut OsRng))
    }

    /// The newest key: the one that seals.
    fn newest(&self) -> &Key {
        // `from_key` refuses an empty list: `split` yields at least one
        // item, and an empty one does not decode to 32 bytes.
        &self.keys[0]
    }

    /// The id of the key new values are sealed under.
    pub fn key_id(&self) -> &str {
        &self.newest().id
    }

    /// The ids of every listed key, newest first.
    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| k.id.as_str())
    }

    /// The id of the key `sealed` names; `None` for a value sealed before
    /// values named their key.
    pub fn sealed_under(sealed: &str) -> Option<&str> {
        sealed
            .strip_prefix(TAGGED)?
            .split_once('.')
            .map(|(id, _)| id)
    }

    /// Seal `plaintext` for the row named by `bound_to`, under the newest
    /// key: `v2.<key id>.` and base64 of nonce and ciphertext.
    // Encrypting fails only past 256 GiB; a secret is a few hundred bytes.
    #[allow(clippy::expect_used)]
    pub fn seal(&self, bound_to: &str, plaintext: &[u8]) -> String {
        let key = self.newest();
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        // Only a message over 256 GiB fails to encrypt; what is stored then
        // (the nonce alone) never opens, so it reads as `Sealed`, not a panic.
        let sealed = key
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: bound_to.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{TAGGED}{}.{}", key.id, STANDARD.encode(out))
    }

    /// Open a value [`Vault::seal`] made for the same row, under any listed
    /// key.
    pub fn open(&self, bound_to: &str, sealed: &str) -> Result<Vec<u8>, VaultError> {
        if let Some(tagged) = sealed.strip_prefix(TAGGED) {
            let (id, body) = tagged.split_once('.').ok_or(VaultError::Sealed)?;
            let key = self
                .keys
                .iter()
                .find(|k| k.id == id)
                .ok_or_else(|| VaultError::UnknownKey(id.to_owned()))?;
            return open_with(key, bound_to, body);
        }
        // Sealed before values named their key: whichever key fits.
        self.keys
            .iter()
            .find_map(|k| open_with(k, bound_to, sealed).ok())
            .ok_or(VaultError::Sealed)
    }

    /// `sealed` sealed again under the newest key, or `None` when it
    /// already is.
    pub fn reseal(&self, bound_to: &str, sealed: &str) -> Result<Option<String>, VaultError> {
        if Vault::sealed_under(sealed) == Some(self.key_id()) {
            return Ok(None);
        }
        let plaintext = self.open(bound_to, sealed)?;
        Ok(Some(self.seal(bound_to, &plaintext)))
    }

    /// Seal a JSON value.
    pub fn seal_json(&self, bound_to: &str, value: &serde_json::Value) -> String {
        self.seal(bound_to, value.to_string().as_bytes())
    }

    /// Open a JSON value sealed with [`Vault::seal_json`].
    pub fn open_json(&self, bound_to: &str, sealed: &str) -> Result<serde_json::Value, VaultError> {
        let bytes = self.open(bound_to, sealed)?;
        serde_json::from_slice(&bytes).map_err(|_| VaultError::Sealed)
    }
}

/// Open base64 of nonce and ciphertext with `key`.
fn open_with(key: &Key, bound_to: &str, body: &str) -> Result<Vec<u8>, VaultError> {
    let bytes = STANDARD.decode(body).map_err(|_| VaultError::Sealed)?;
    if bytes.len() < 24 {
        return Err(VaultError::Sealed);
    }
    let (nonce, ciphertext) = bytes.split_at(24);
    key.cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: bound_to.as_bytes(),
            },
        )
        .map_err(|_| VaultError::Sealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_its_row() {
        let key = Vault::new_key();
        let vault = Vault::from_key(&key).unwrap();
        let sealed = vault.seal("acct-1", b"refresh-token");
        assert!(!sealed.contains("refresh-token"));
        assert_eq!(vault.open("acct-1", &sealed).unwrap(), b"refresh-token");
        assert!(matches!(
            vault.open("acct-2", &sealed),
            Err(VaultError::Sealed)
        ));
        let other = Vault::from_key(&Vault::new_key()).unwrap();
        assert!(matches!(
            other.open("acct-1", &sealed),
            Err(VaultError::UnknownKey(_))
        ));
        // Two seals of one value differ (a fresh nonce each time).
        assert_ne!(sealed, vault.seal("acct-1", b"refresh-token"));
        let (head, body) = sealed.rsplit_once('.').unwrap();
        let mut damaged = STANDARD.decode(body).unwrap();
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        let damaged = format!("{head}.{}", STANDARD.encode(damaged));
        assert!(vault.open("acct-1", &damaged).is_err());
    }

    #[test]
    fn the_newest_key_seals_every_listed_key_opens_and_values_name_their_key() {
        let (old, new) = (Vault::new_key(), Vault::new_key());
        let before = Vault::from_key(&old).unwrap();
        let sealed = before.seal("acct-1", b"password");
        assert_eq!(Vault::sealed_under(&sealed), Some(before.key_id()));
        assert_eq!(before.key_id().len(), 16);
        assert!(!sealed.contains(&old), "the id is not the key");

        let both = Vault::from_key(&format!("{new}, {old}")).unwrap();
        assert_ne!(both.key_id(), before.key_id(), "the new key seals");
        assert_eq!(both.key_ids().collect::<Vec<_>>()[1], before.key_id());
        assert_eq!(both.open("acct-1", &sealed).unwrap(), b"password");
        let resealed = both.reseal("acct-1", &sealed).unwrap().unwrap();
        assert_eq!(Vault::sealed_under(&resealed), Some(both.key_id()));
        assert_eq!(both.reseal("acct-1", &resealed).unwrap(), None, "done once");

        // The old key removed: the re-sealed value opens, the old one names
        // the key it needs.
        let after = Vault::from_key(&new).unwrap();
        assert_eq!(after.open("acct-1", &resealed).unwrap(), b"password");
        match after.open("acct-1", &sealed) {
            Err(VaultError::UnknownKey(id)) => assert_eq!(id, before.key_id()),
            other => panic!("{other:?}"),
        }
        assert!(
            VaultError::UnknownKey(before.key_id().to_owned())
                .to_string()
                .contains("baton secret rotate")
        );
    }

    #[test]
    fn a_value_sealed_before_key_ids_opens_with_whichever_key_fits() {
        let (old, new) = (Vault::new_key(), Vault::new_key());
        // The format before key ids: base64 of nonce and ciphertext.
        let legacy = {
            let sealed = Vault::from_key(&old).unwrap().seal("row", b"token");
            sealed.rsplit_once('.').unwrap().1.to_owned()
        };
        assert_eq!(Vault::sealed_under(&legacy), None);
        let both = Vault::from_key(&format!("{new},{old}")).unwrap();
        assert_eq!(both.open("row", &legacy).unwrap(), b"token");
        assert!(both.reseal("row", &legacy).unwrap().is_some());
        assert!(matches!(
            Vault::from_key(&new).unwrap().open("row", &legacy),
            Err(VaultError::Sealed)
        ));
    }

    #[test]
    fn a_malformed_key_is_refused_and_debug_shows_nothing() {
        assert!(matches!(Vault::from_key("short"), Err(VaultError::BadKey)));
        assert!(matches!(
            Vault::from_key(&STANDARD.encode([0u8; 16])),
            Err(VaultError::BadKey)
        ));
        let key = Vault::new_key();
        for bad in [format!("{key},"), format!("{key},short"), String::new()] {
            assert!(
                matches!(Vault::from_key(&bad), Err(VaultError::BadKey)),
                "{bad:?}"
            );
        }
        assert!(matches!(
            Vault::from_key(&format!("{key},{key}")),
            Err(VaultError::RepeatedKey)
        ));
        assert!(Vault::from_env([("OTHER", "x")]).unwrap().is_none());
        let key = Vault::new_key();
        let vault = Vault::from_env([(KEY_VAR, key.as_str())]).unwrap().unwrap();
        assert_eq!(format!("{vault:?}"), "Vault(..)");
    }
}
