-- Connected accounts (issue 17): a rep's mailbox and calendar (Google by
-- OAuth, others by IMAP/CalDAV credentials) and an org's CRM. Keep the other
-- backend's copy in step.
--
-- `secret` is sealed (XChaCha20-Poly1305 under BATON_SECRET_KEY, bound to
-- the row's id): OAuth tokens or a password, never readable without the key.
-- `settings` holds what is not secret (a server's host and port, a
-- calendar's URL). `status` is `active` or `reconnect` (the provider
-- refused the stored credential; the rep must connect again).
CREATE TABLE connected_accounts (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL REFERENCES orgs(id),
    user_id             TEXT REFERENCES users(id),
    provider            TEXT NOT NULL,
    address             TEXT NOT NULL,
    scopes              TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL DEFAULT 'active',
    status_detail       TEXT,
    secret              TEXT NOT NULL,
    token_expires_at    BIGINT,
    settings            TEXT NOT NULL DEFAULT '{}',
    sync_requested_at   BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    UNIQUE (org_id, provider, address)
);
CREATE INDEX connected_accounts_user ON connected_accounts (org_id, user_id);
CREATE INDEX connected_accounts_address ON connected_accounts (provider, lower(address));

-- Where each feed of an account has read up to (a Gmail history id, an IMAP
-- folder's UIDVALIDITY and last UID, a calendar's sync token). `feed` names
-- the feed (`gmail`, `imap:INBOX`, `calendar:primary`, …); the cursor is
-- the feed's own JSON. Written in the transaction that queues what was read.
CREATE TABLE sync_cursors (
    account_id  TEXT NOT NULL REFERENCES connected_accounts(id) ON DELETE CASCADE,
    feed        TEXT NOT NULL,
    cursor      TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (account_id, feed)
);

-- An OAuth authorization in progress: the state parameter (stored as its
-- SHA-256) names the rep, and the PKCE verifier is sealed. Used once.
CREATE TABLE oauth_states (
    state_hash  TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    provider    TEXT NOT NULL,
    verifier    TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
