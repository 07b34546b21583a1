//! Connected accounts, host-side: the vault their credentials are sealed
//! in, Google's and Microsoft's OAuth clients, and one way to get a usable credential for an
//! account — an access token refreshed when it has (nearly) expired, or a
//! password — marking the account for reconnecting when the provider
//! refuses. Skills never see any of it; nothing here is logged.

pub mod egress;
pub mod google;
pub mod keys;
pub mod leases;
pub mod microsoft;
pub mod oauth;
pub mod rotate;
pub mod vault;

pub use egress::{Egress, EgressError};
pub use leases::AccountLeases;
pub use oauth::{OAuthApp, OAuthSetupError, Provider};
pub use vault::{Vault, VaultError};

use crate::store::{Account, Store, StoreError, now_ms};
use serde_json::{Value, json};

/// A token this close to its expiry is refreshed before use.
const REFRESH_MARGIN_MS: i64 = 60_000;

/// Why an account's credential cannot be had.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The provider refused the stored credential; the account is marked
    /// `reconnect` and nothing is retried until the rep connects again.
    #[error("the {provider} account needs reconnecting: {detail}")]
    Reconnect { provider: String, detail: String },
    /// The provider could not be reached or answered oddly: try later.
    #[error(transparent)]
    Provider(oauth::TokenError),
    /// The operator has not configured what this needs.
    #[error("{0}")]
    NotConfigured(String),
}

impl AccountError {
    /// Whether a later attempt may succeed.
    pub fn retriable(&self) -> bool {
        match self {
            AccountError::Provider(_) => true,
            AccountError::Store(e) => e.verdict() == crate::verdict::Verdict::Retry,
            _ => false,
        }
    }
}

/// The credentials of connected accounts.
#[derive(Clone)]
pub struct Accounts {
    store: Store,
    vault: Option<Vault>,
    google: Option<OAuthApp>,
    microsoft: Option<OAuthApp>,
    egress: Egress,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts")
            .field("vault", &self.vault.is_some())
            .field("google", &self.google.is_some())
            .field("microsoft", &self.microsoft.is_some())
            .finish()
    }
}

impl Accounts {
    /// Accounts over `store`, sealing with `vault` (none: connecting fails
    /// with the reason), Google's OAuth client if configured.
    pub fn new(store: Store, vault: Option<Vault>, google: Option<OAuthApp>) -> Accounts {
        Accounts {
            store,
            vault,
            google,
            microsoft: None,
            egress: Egress::public_only(),
        }
    }

    /// The same, with Microsoft's OAuth client.
    pub fn with_microsoft(self, microsoft: Option<OAuthApp>) -> Accounts {
        Accounts { microsoft, ..self }
    }

    /// The same, reaching the servers `egress` allows (public addresses
    /// only, unless the operator allowed more).
    pub fn with_egress(self, egress: Egress) -> Accounts {
        Accounts { egress, ..self }
    }

    /// Where accounts' servers may be.
    pub fn egress(&self) -> &Egress {
        &self.egress
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The vault, or why there is none.
    pub fn vault(&self) -> Result<&Vault, AccountError> {
        self.vault
            .as_ref()
            .ok_or(AccountError::Vault(VaultError::NoKey))
    }

    /// Google's OAuth client, or why there is none.
    pub fn google(&self) -> Result<&OAuthApp, AccountError> {
        self.oauth(Provider::Google)
    }

    /// `provider`'s OAuth client, or why there is none.
    pub fn oauth(&self, provider: Provider) -> Result<&OAuthApp, AccountError> {
        let (app, vars) = match provider {
            Provider::Google => (
                &self.google,
                "BATON_GOOGLE_CLIENT_ID and BATON_GOOGLE_CLIENT_SECRET",
            ),
            Provider::Microsoft => (
                &self.microsoft,
                "BATON_MICROSOFT_CLIENT_ID and BATON_MICROSOFT_CLIENT_SECRET",
            ),
        };
        app.as_ref().ok_or_else(|| {
            AccountError::NotConfigured(format!(
                "{} is not configured: set {vars}",
                provider.title()
            ))
        })
    }

    /// An account's secret, opened (`{"access_token", "refresh_token"}` for
    /// OAuth accounts, `{"password"}` for IMAP and CalDAV).
    pub fn secret(&self, account: &Account) -> Result<Value, AccountError> {
        Ok(self.vault()?.open_json(&account.id, &account.secret)?)
    }

    /// Seal a secret for an account's row.
    pub fn seal(&self, account_id: &str, secret: &Value) -> Result<String, AccountError> {
        Ok(self.vault()?.seal_json(account_id, secret))
    }

    /// A usable access token for an OAuth account: the stored one, or a
    /// refreshed one when it expires within a minute.
    pub async fn access_token(&self, account: &Account) -> Result<String, AccountError> {
        self.refuse_if_reconnect(account)?;
        let secret = self.secret(account)?;
        let fresh = account
            .token_expires_at
            .is_none_or(|t| t > now_ms() + REFRESH_MARGIN_MS);
        match secret["access_token"].as_str() {
            Some(token) if fresh => Ok(token.to_owned()),
            _ => self.refresh_with(account, &secret).await,
        }
    }

    /// Refresh an OAuth account's access token now (after the provider
    /// answered 401 to the stored one).
    pub async fn refresh(&self, account: &Account) -> Result<String, AccountError> {
        self.refuse_if_reconnect(account)?;
        let secret = self.secret(account)?;
        self.refresh_with(account, &secret).await
    }

    fn refuse_if_reconnect(&self, account: &Account) -> Result<(), AccountError> {
        if account.status == crate::store::accounts::RECONNECT {
            return Err(AccountError::Reconnect {
                provider: account.provider.clone(),
                detail: account
                    .status_detail
                    .clone()
                    .unwrap_or_else(|| "the provider refused its credential".into()),
            });
        }
        Ok(())
    }

    async fn refresh_with(
        &self,
        account: &Account,
        secret: &Value,
    ) -> Result<String, AccountError> {
        let Some(refresh_token) = secret["refresh_token"].as_str() else {
            return self
                .reconnect(
                    account,
                    "no refresh token was granted; connect the account again",
                )
                .await;
        };
        let Some(provider) = Provider::named(&account.provider) else {
            return Err(AccountError::NotConfigured(format!(
                "{} accounts have no token refresh",
                account.provider
            )));
        };
        match self.oauth(provider)?.refresh(refresh_token).await {
            Ok(tokens) => {
                let kept = json!({
                    "access_token": tokens.access_token,
                    // Either provider may rotate the refresh token (Microsoft
                    // does on every refresh); keep the newest.
                    "refresh_token": tokens.refresh_token.as_deref().unwrap_or(refresh_token),
                });
                let sealed = self.seal(&account.id, &kept)?;
                self.store
                    .update_account_secret(
                        &account.org_id,
                        &account.id,
                        &sealed,
                        tokens.expires_at,
                        now_ms(),
                    )
                    .await?;
                Ok(tokens.access_token)
            }
            Err(oauth::TokenError::Revoked(detail)) => self.reconnect(account, &detail).await,
            Err(e @ oauth::TokenError::Failed(_)) => Err(AccountError::Provider(e)),
        }
    }

    async fn reconnect<T>(&self, account: &Account, detail: &str) -> Result<T, AccountError> {
        self.store
            .mark_reconnect(&account.org_id, &account.id, detail, now_ms())
            .await?;
        tracing::warn!(account = %account.id, provider = %account.provider, "account marked for reconnecting");
        Err(AccountError::Reconnect {
            provider: account.provider.clone(),
            detail: detail.to_owned(),
        })
    }
}
