-- Provider keys (issue 17, item 5): a header the host adds to a skill's
-- granted outbound request to `host` (an API key the skill never sees).
-- Keep the other backend's copy in step.
--
-- `org_id` is '' for an operator-wide key, else the org's id (an org's own
-- key wins over the operator's for the same host). `value` is sealed
-- (XChaCha20-Poly1305 under BATON_SECRET_KEY, bound to the row's id).
CREATE TABLE provider_keys (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL,
    host        TEXT NOT NULL,
    header      TEXT NOT NULL,
    value       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (org_id, name)
);
CREATE INDEX provider_keys_host ON provider_keys (host, org_id);
