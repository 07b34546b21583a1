//! Google's scopes and callback for connecting a rep's account (the OAuth
//! flow itself is [`super::oauth`]'s).

/// Gmail: read messages (history and messages.get).
pub const GMAIL_READ: &str = "https://www.googleapis.com/auth/gmail.readonly";
/// Gmail: send as the rep (`users.messages.send`), so what baton sends is
/// in their Sent folder and in the recipient's thread.
pub const GMAIL_SEND: &str = "https://www.googleapis.com/auth/gmail.send";
/// Calendar: read events and open watch channels, and add invitations.
pub const CALENDAR: &str = "https://www.googleapis.com/auth/calendar.events";
/// Where Google sends the rep back to (under the public URL).
pub const CALLBACK_PATH: &str = "/oauth/google/callback";
/// Who the account is (its address).
pub const EMAIL: &str = "email";
