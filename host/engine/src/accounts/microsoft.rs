//! Microsoft 365's scopes and callback for connecting a rep's mailbox
//! through the Microsoft identity platform (v2.0 endpoints; the OAuth flow
//! itself is [`super::oauth`]'s).

/// A refresh token (the identity platform's offline access).
pub const OFFLINE_ACCESS: &str = "offline_access";
/// Who the account is (Graph's `/me`).
pub const USER_READ: &str = "User.Read";
/// Send as the rep (Graph's `sendMail`), kept in their Sent Items.
pub const MAIL_SEND: &str = "Mail.Send";
/// Read messages' headers without their bodies: enough to find a message
/// already sent by its `internetMessageId` (a redelivery sends nothing
/// twice).
pub const MAIL_READ_BASIC: &str = "Mail.ReadBasic";
/// Where Microsoft sends the rep back to (under the public URL).
pub const CALLBACK_PATH: &str = "/oauth/microsoft/callback";
