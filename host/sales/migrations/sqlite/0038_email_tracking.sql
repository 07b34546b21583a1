-- Open and click tracking (issue 43, 3), off unless an org turns it on:
-- `email_tracking` holds each org's choice (no row: off); `tracked_links`
-- one unguessable token per pixel (`open`) or wrapped link (`click`) of a
-- sent email, minted before it leaves and reused if it is sent again. The
-- first hit by a person (not a link-preview robot) is kept
-- (`first_hit_at`) and recorded as an activity on the recipients'
-- contacts and deals; later hits only count. Keep the other backend's copy
-- in step.
CREATE TABLE email_tracking (
    org_id     TEXT PRIMARY KEY REFERENCES orgs(id),
    opens      BOOLEAN NOT NULL DEFAULT FALSE,
    clicks     BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at BIGINT NOT NULL
);
CREATE TABLE tracked_links (
    token        TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs(id),
    effect_id    TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    url          TEXT,
    subject      TEXT NOT NULL,
    recipients   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    first_hit_at BIGINT,
    hits         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX tracked_links_effect ON tracked_links (org_id, effect_id);
