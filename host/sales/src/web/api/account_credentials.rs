//! A connected account's credentials as the API takes them: an IMAP
//! mailbox or a CalDAV calendar of a rep, the org's HubSpot token; every
//! field bounded and checked, with a problem naming the field.

use crate::web::problem::Problem;
use serde::Deserialize;
use serde_json::{Value, json};

/// A field that is missing or wrong: 422 naming it.
pub(super) fn field(name: &str, why: &str) -> Problem {
    Problem::unprocessable(format!("`{name}`: {why}")).with(json!({ "field": name }))
}

/// Longest text a field of an account takes (a host name: 253; a token:
/// [`MAX_TOKEN`]).
const MAX_FIELD: usize = 1024;
/// Longest access token taken.
const MAX_TOKEN: usize = 8192;

/// `value` is there, at most `max` characters, and holds no control
/// character (a CR/LF in a password or a host would reach the server's
/// protocol as a new command): refused at the door, naming the field.
fn bounded(name: &str, value: &str, max: usize) -> Result<(), Problem> {
    if value.trim().is_empty() {
        return Err(field(name, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(field(name, &format!("is longer than {max} characters")));
    }
    if value.chars().any(char::is_control) {
        return Err(field(
            name,
            "must not hold control characters (no line breaks)",
        ));
    }
    Ok(())
}

fn required(name: &str, value: &str) -> Result<(), Problem> {
    bounded(name, value, MAX_FIELD)
}

fn address(value: &str) -> Result<(), Problem> {
    required("address", value)?;
    match value.split_once('@') {
        Some((local, domain)) if !local.is_empty() && domain.contains('.') => Ok(()),
        _ => Err(field("address", "must be an email address")),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImapIn {
    #[allow(dead_code)]
    provider: String,
    address: String,
    host: String,
    port: u16,
    tls: String,
    username: String,
    password: String,
    folder: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaldavIn {
    #[allow(dead_code)]
    provider: String,
    address: String,
    url: String,
    username: String,
    password: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HubspotIn {
    #[allow(dead_code)]
    provider: String,
    token: String,
    /// The portal's name, to tell several apart (default `hubspot`).
    address: Option<String>,
}

/// What to store for a new account: provider, address, settings, secret.
pub(super) struct Credential {
    pub provider: &'static str,
    pub address: String,
    pub settings: Value,
    pub secret: Value,
}

/// `body` read as `T`, or a 422 saying why not.
pub(super) fn parse<T: serde::de::DeserializeOwned>(body: Value) -> Result<T, Problem> {
    serde_json::from_value(body).map_err(|e| Problem::unprocessable(e.to_string()))
}

pub(super) fn provider_of(body: &Value) -> Result<&str, Problem> {
    body.get("provider").and_then(Value::as_str).ok_or_else(|| {
        field(
            "provider",
            "missing: one of imap, caldav (per rep) or hubspot (per org)",
        )
    })
}

pub(super) fn user_credential(body: Value) -> Result<Credential, Problem> {
    match provider_of(&body)? {
        "imap" => {
            let i: ImapIn = parse(body)?;
            address(&i.address)?;
            bounded("host", &i.host, 253)?;
            if !i
                .host
                .trim()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
            {
                return Err(field("host", "a host name, without scheme, port or path"));
            }
            if i.port == 0 {
                return Err(field("port", "must be 1 to 65535"));
            }
            if !["tls", "starttls", "none"].contains(&i.tls.as_str()) {
                return Err(field("tls", "must be tls, starttls or none"));
            }
            required("username", &i.username)?;
            required("password", &i.password)?;
            let folder = i.folder.unwrap_or_else(|| "INBOX".into());
            required("folder", &folder)?;
            Ok(Credential {
                provider: "imap",
                address: i.address.trim().to_owned(),
                settings: json!({ "host": i.host.trim().to_ascii_lowercase(), "port": i.port,
                    "tls": i.tls, "username": i.username, "folder": folder }),
                secret: json!({ "password": i.password }),
            })
        }
        "caldav" => {
            let c: CaldavIn = parse(body)?;
            address(&c.address)?;
            let url = reqwest::Url::parse(c.url.trim())
                .map_err(|e| field("url", &format!("not a URL: {e}")))?;
            if !["http", "https"].contains(&url.scheme()) || url.host_str().is_none() {
                return Err(field(
                    "url",
                    "must be an http(s) URL of the calendar collection",
                ));
            }
            if !url.username().is_empty() || url.password().is_some() {
                return Err(field(
                    "url",
                    "must not carry credentials: send username and password",
                ));
            }
            bounded("url", c.url.trim(), 2048)?;
            required("username", &c.username)?;
            required("password", &c.password)?;
            Ok(Credential {
                provider: "caldav",
                address: c.address.trim().to_owned(),
                settings: json!({ "url": url.as_str(), "username": c.username }),
                secret: json!({ "password": c.password }),
            })
        }
        "google" => Err(field(
            "provider",
            "Google accounts connect by OAuth: POST /v1/users/{handle}/accounts/google for the URL to hand the rep",
        )),
        "hubspot" => Err(field("provider", "HubSpot is the org's: POST /v1/accounts")),
        other => Err(field(
            "provider",
            &format!("`{other}` is not one of imap, caldav"),
        )),
    }
}

pub(super) fn org_credential(body: Value) -> Result<Credential, Problem> {
    match provider_of(&body)? {
        "hubspot" => {
            let h: HubspotIn = parse(body)?;
            bounded("token", &h.token, MAX_TOKEN)?;
            let address = h.address.unwrap_or_else(|| "hubspot".into());
            required("address", &address)?;
            Ok(Credential {
                provider: "hubspot",
                address: address.trim().to_owned(),
                settings: json!({}),
                // A private app's token is a bearer access token.
                secret: json!({ "access_token": h.token }),
            })
        }
        "imap" | "caldav" | "google" => Err(field(
            "provider",
            "a mailbox or calendar is a rep's: POST /v1/users/{handle}/accounts",
        )),
        other => Err(field("provider", &format!("`{other}` is not hubspot"))),
    }
}
