-- Signed webhook requests already taken, by a digest of their signature,
-- until the signature's window closes: a request replayed inside its
-- window (a Slack slash command sent again with the same signature) is
-- refused. Rows past `expires_at` are deleted as new ones come.
-- Keep the other backend's copy in step.
CREATE TABLE signatures_seen (
    digest     TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX signatures_seen_expiry ON signatures_seen (expires_at);
