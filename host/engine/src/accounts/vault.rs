//! Secrets at rest: OAuth tokens, mailbox passwords and provider keys are
//! sealed with XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`, an
//! audited AEAD) under a key from the environment (`BATON_SECRET_KEY`, 32
//! bytes in base64). Each sealed value is bound to the row it belongs to
//! (the associated data), so a ciphertext copied to another row does not
//! open. The key and the plaintexts are never printed.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{AeadCore, XChaCha20Poly1305, XNonce};

/// The environment variable holding the key.
pub const KEY_VAR: &str = "BATON_SECRET_KEY";

/// Why a secret could not be sealed or opened.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error(
        "{KEY_VAR} is not set: connected accounts and provider keys need it (`baton secret key` prints a new one)"
    )]
    NoKey,
    #[error("{KEY_VAR} must be 32 bytes in base64 (`baton secret key` prints one)")]
    BadKey,
    /// Wrong key, a value moved between rows, or damaged.
    #[error(
        "a stored secret does not open with {KEY_VAR} (the key changed, or the value was altered)"
    )]
    Sealed,
}

/// The key secrets are sealed with.
#[derive(Clone)]
pub struct Vault {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(..)")
    }
}

impl Vault {
    /// A vault from a base64 key of 32 bytes.
    pub fn from_key(key: &str) -> Result<Vault, VaultError> {
        let bytes = STANDARD
            .decode(key.trim())
            .map_err(|_| VaultError::BadKey)?;
        if bytes.len() != 32 {
            return Err(VaultError::BadKey);
        }
        let cipher = XChaCha20Poly1305::new_from_slice(&bytes).map_err(|_| VaultError::BadKey)?;
        Ok(Vault { cipher })
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

    /// Seal `plaintext` for the row named by `bound_to`: base64 of nonce
    /// and ciphertext.
    // Encrypting fails only past 256 GiB; a secret is a few hundred bytes.
    #[allow(clippy::expect_used)]
    pub fn seal(&self, bound_to: &str, plaintext: &[u8]) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        // Only a message over 256 GiB fails to encrypt; what is stored then
        // (the nonce alone) never opens, so it reads as `Sealed`, not a panic.
        let sealed = self
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
        STANDARD.encode(out)
    }

    /// Open a value [`Vault::seal`] made for the same row.
    pub fn open(&self, bound_to: &str, sealed: &str) -> Result<Vec<u8>, VaultError> {
        let bytes = STANDARD.decode(sealed).map_err(|_| VaultError::Sealed)?;
        if bytes.len() < 24 {
            return Err(VaultError::Sealed);
        }
        let (nonce, ciphertext) = bytes.split_at(24);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: bound_to.as_bytes(),
                },
            )
            .map_err(|_| VaultError::Sealed)
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
            Err(VaultError::Sealed)
        ));
        // Two seals of one value differ (a fresh nonce each time).
        assert_ne!(sealed, vault.seal("acct-1", b"refresh-token"));
        let mut damaged = STANDARD.decode(&sealed).unwrap();
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        assert!(vault.open("acct-1", &STANDARD.encode(damaged)).is_err());
    }

    #[test]
    fn a_malformed_key_is_refused_and_debug_shows_nothing() {
        assert!(matches!(Vault::from_key("short"), Err(VaultError::BadKey)));
        assert!(matches!(
            Vault::from_key(&STANDARD.encode([0u8; 16])),
            Err(VaultError::BadKey)
        ));
        assert!(Vault::from_env([("OTHER", "x")]).unwrap().is_none());
        let key = Vault::new_key();
        let vault = Vault::from_env([(KEY_VAR, key.as_str())]).unwrap().unwrap();
        assert_eq!(format!("{vault:?}"), "Vault(..)");
    }
}
