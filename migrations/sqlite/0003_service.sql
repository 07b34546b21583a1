-- The service (issue 4): API tokens, inbox sessions and magic links, the
-- audit trail of what was sent, scheduler fires, approval requests sent to
-- reps, calendar push channels and per-user delivery settings. Keep the
-- other backend's copy in step.

-- Tokens are stored as SHA-256 hex of the secret; the secret is shown once.
CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE INDEX api_tokens_org ON api_tokens (org_id);

-- Inbox logins. A magic link is single-use (used_at); a session lives until
-- expires_at. Both keyed by the hash of their secret.
CREATE TABLE inbox_sessions (
    secret_hash TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    user_id     TEXT REFERENCES users(id),
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    created_at  INTEGER NOT NULL
);

-- What left the building, for people: one row per send or post.
CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    user_id     TEXT REFERENCES users(id),
    job_id      TEXT,
    kind        TEXT NOT NULL,
    detail      TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX audit_log_org ON audit_log (org_id, created_at);

-- A scheduled event fires once per user, event and local date, whichever
-- replica gets there first.
CREATE TABLE schedule_fires (
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    event_type  TEXT NOT NULL,
    fire_key    TEXT NOT NULL,
    fired_at    INTEGER NOT NULL,
    PRIMARY KEY (org_id, user_id, event_type, fire_key)
);

-- When the approval request for a gate reached the rep (Slack).
ALTER TABLE pending_actions ADD COLUMN notified_at INTEGER;
ALTER TABLE pending_actions ADD COLUMN notify_attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX pending_actions_unnotified ON pending_actions (status, notified_at);

-- Google Calendar push channels.
ALTER TABLE calendar_sources ADD COLUMN channel_id TEXT;
ALTER TABLE calendar_sources ADD COLUMN channel_token TEXT;
ALTER TABLE calendar_sources ADD COLUMN sync_requested_at INTEGER;

-- Where a rep's Slack messages go, and the signature under their emails.
ALTER TABLE user_preferences ADD COLUMN slack_channel TEXT;
ALTER TABLE user_preferences ADD COLUMN email_signature TEXT;
