//! OAuth 2.0 for web server apps, for Google and the Microsoft identity
//! platform alike: the authorization-code flow with PKCE (S256), offline
//! access for a refresh token, and refreshing. Built on the `oauth2` crate
//! (maintained, typed errors, PKCE built in) rather than by hand. Endpoints
//! are settings so the tests can point them at loopback servers speaking
//! each provider's documented shapes.

use crate::report::Context;
use crate::wire::{self, AnswerError};
use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError,
    Scope, TokenResponse,
};
use std::time::Duration;

type Client = BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// Whose identity platform an OAuth client talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Google,
    Microsoft,
}

impl Provider {
    /// The provider's name on an account row (`google`, `microsoft`).
    pub fn name(self) -> &'static str {
        match self {
            Provider::Google => "google",
            Provider::Microsoft => "microsoft",
        }
    }

    /// The provider named `name`, if baton connects it by OAuth.
    pub fn named(name: &str) -> Option<Provider> {
        match name {
            "google" => Some(Provider::Google),
            "microsoft" => Some(Provider::Microsoft),
            _ => None,
        }
    }

    /// The provider as the rep reads it.
    pub fn title(self) -> &'static str {
        match self {
            Provider::Google => "Google",
            Provider::Microsoft => "Microsoft 365",
        }
    }

    /// Where the provider sends the rep back to (under the public URL).
    pub fn callback_path(self) -> &'static str {
        match self {
            Provider::Google => super::google::CALLBACK_PATH,
            Provider::Microsoft => super::microsoft::CALLBACK_PATH,
        }
    }
}

/// The app's OAuth client at one provider.
#[derive(Clone)]
pub struct OAuthApp {
    provider: Provider,
    client: Client,
    http: reqwest::Client,
}

impl std::fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OAuthApp({:?})", self.provider)
    }
}

/// Tokens the provider issued.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access_token: String,
    /// Only on the first consent, and on a refresh that rotates it.
    pub refresh_token: Option<String>,
    /// Milliseconds since the epoch.
    pub expires_at: Option<i64>,
    /// Space-separated, as granted (may be fewer than asked for).
    pub scopes: Option<String>,
}

/// Why a token request failed.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The grant is revoked, expired or not ours (`invalid_grant`): the rep
    /// must connect again.
    #[error("the provider refused the grant: {0}")]
    Revoked(String),
    /// Anything else (the network, a 5xx, a malformed answer): try later.
    #[error("the provider's token endpoint")]
    Failed(#[source] Context),
}

/// An authorization to send the rep to.
#[derive(Debug)]
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub verifier: String,
}

/// Why the OAuth client cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum OAuthSetupError {
    /// One of its URLs (`what`) does not parse.
    #[error("{what}: {source}")]
    Url {
        what: &'static str,
        #[source]
        source: oauth2::url::ParseError,
    },
    /// Its HTTP client cannot be made (its TLS roots).
    #[error("the OAuth HTTP client: {0}")]
    Client(#[source] reqwest::Error),
}

impl OAuthApp {
    /// A client of `provider` for `client_id` answering at `redirect_url`.
    pub fn new(
        provider: Provider,
        client_id: &str,
        client_secret: &str,
        auth_url: &str,
        token_url: &str,
        redirect_url: &str,
    ) -> Result<OAuthApp, OAuthSetupError> {
        let url = |what| move |source| OAuthSetupError::Url { what, source };
        let client = BasicClient::new(ClientId::new(client_id.to_owned()))
            .set_client_secret(ClientSecret::new(client_secret.to_owned()))
            .set_auth_uri(
                AuthUrl::new(auth_url.to_owned()).map_err(url("OAuth authorization URL"))?,
            )
            .set_token_uri(TokenUrl::new(token_url.to_owned()).map_err(url("OAuth token URL"))?)
            .set_redirect_uri(
                RedirectUrl::new(redirect_url.to_owned()).map_err(url("OAuth redirect URL"))?,
            )
            // Both providers' documented form: the client's id and secret in
            // the body.
            .set_auth_type(AuthType::RequestBody);
        let http = reqwest::Client::builder()
            // The token endpoint must not redirect (the oauth2 crate's advice).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(OAuthSetupError::Client)?;
        Ok(OAuthApp {
            provider,
            client,
            http,
        })
    }

    /// Whose client this is.
    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// Where to send the rep: consent for `scopes`, offline access (Google's
    /// `access_type=offline`; Microsoft's is the `offline_access` scope, in
    /// `scopes`), PKCE.
    pub fn authorize(&self, scopes: &[&str], login_hint: Option<&str>) -> Authorization {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = self
            .client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(scopes.iter().map(|s| Scope::new((*s).to_owned())))
            .set_pkce_challenge(challenge);
        request = match self.provider {
            Provider::Google => request
                .add_extra_param("access_type", "offline")
                .add_extra_param("include_granted_scopes", "true")
                .add_extra_param("prompt", "consent"),
            Provider::Microsoft => request.add_extra_param("prompt", "select_account"),
        };
        if let Some(hint) = login_hint {
            request = request.add_extra_param("login_hint", hint.to_owned());
        }
        let (url, state) = request.url();
        Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
            verifier: verifier.secret().clone(),
        }
    }

    /// Exchange the code from the callback (with the PKCE verifier).
    pub async fn exchange(&self, code: &str, verifier: &str) -> Result<Tokens, TokenError> {
        let answer = self
            .client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
            .request_async(&Capped(&self.http))
            .await;
        tokens(answer)
    }

    /// The address of the account an access token belongs to, asked of
    /// the provider's API at `api_url`: Google's OpenID Connect userinfo
    /// (needs the `email` scope), Microsoft Graph's `/me` (`User.Read`;
    /// `mail`, else the sign-in name).
    pub async fn address(&self, api_url: &str, access_token: &str) -> Result<String, TokenError> {
        let (path, fields): (&str, &[&str]) = match self.provider {
            Provider::Google => ("/oauth2/v3/userinfo", &["email"]),
            Provider::Microsoft => ("/v1.0/me", &["mail", "userPrincipalName"]),
        };
        let url = format!("{}{path}", api_url.trim_end_matches('/'));
        let answer = self
            .http
            .get(&url)
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(|e| {
                TokenError::Failed(Context::because("the account's address", e.without_url()))
            })?;
        if !answer.status().is_success() {
            return Err(TokenError::Failed(Context::new(format!(
                "{path} answered {}",
                answer.status()
            ))));
        }
        let info = crate::wire::json(answer)
            .await
            .map_err(|e| TokenError::Failed(Context::because("the account's address", e)))?;
        let named = fields
            .iter()
            .filter_map(|f| info[*f].as_str())
            .find(|a| a.contains('@'));
        match named {
            Some(email) => Ok(email.to_owned()),
            None => Err(TokenError::Failed(Context::new(
                "the provider named no address for the account (was its scope granted?)",
            ))),
        }
    }

    /// A new access token for a refresh token.
    pub async fn refresh(&self, refresh_token: &str) -> Result<Tokens, TokenError> {
        let answer = self
            .client
            .exchange_refresh_token(&RefreshToken::new(refresh_token.to_owned()))
            .request_async(&Capped(&self.http))
            .await;
        tokens(answer)
    }
}

use oauth2::TokenUrl;

/// oauth2's requests to the token endpoint, sent through our client and
/// their answers read like every provider's: at most
/// [`wire::MAX_ANSWER_BYTES`].
struct Capped<'a>(&'a reqwest::Client);

type Answered<'c> =
    std::pin::Pin<Box<dyn Future<Output = Result<oauth2::HttpResponse, AnswerError>> + Send + 'c>>;

impl<'c> oauth2::AsyncHttpClient<'c> for Capped<'_> {
    type Error = AnswerError;
    type Future = Answered<'c>;

    fn call(&'c self, request: oauth2::HttpRequest) -> Answered<'c> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request)
                .map_err(|e| AnswerError::Read(e.without_url().to_string()))?;
            let response = self
                .0
                .execute(request)
                .await
                .map_err(|e| AnswerError::Read(e.without_url().to_string()))?;
            let (status, headers) = (response.status(), response.headers().clone());
            let mut answer =
                oauth2::HttpResponse::new(wire::body(response, wire::MAX_ANSWER_BYTES).await?);
            *answer.status_mut() = status;
            *answer.headers_mut() = headers;
            Ok(answer)
        })
    }
}

fn tokens<RE: std::error::Error + Send + Sync + 'static>(
    answer: Result<
        oauth2::basic::BasicTokenResponse,
        RequestTokenError<RE, oauth2::basic::BasicErrorResponse>,
    >,
) -> Result<Tokens, TokenError> {
    match answer {
        Ok(t) => Ok(Tokens {
            access_token: t.access_token().secret().clone(),
            refresh_token: t.refresh_token().map(|r| r.secret().clone()),
            expires_at: t.expires_in().map(|d| {
                crate::store::now_ms() + i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2)
            }),
            scopes: t
                .scopes()
                .map(|s| s.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")),
        }),
        Err(RequestTokenError::ServerResponse(e)) => {
            let described = e
                .error_description()
                .cloned()
                .unwrap_or_else(|| e.error().to_string());
            Err(match e.error() {
                BasicErrorResponseType::InvalidGrant => TokenError::Revoked(described),
                _ => TokenError::Failed(Context::new(described)),
            })
        }
        // Transport and parse errors may name the URL but never a token.
        Err(RequestTokenError::Request(e)) => {
            Err(TokenError::Failed(Context::because("request failed", e)))
        }
        Err(RequestTokenError::Parse(e, _)) => {
            Err(TokenError::Failed(Context::because("unreadable answer", e)))
        }
        Err(RequestTokenError::Other(e)) => Err(TokenError::Failed(Context::new(e))),
    }
}
