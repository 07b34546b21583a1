-- Attachments (issue 44, 1): a large part of an event (a meeting's
-- transcript) stored once per org and referred to from payloads by its id,
-- which is its content's hash, so the same words sent again are one row.
-- `kind` is the app's word for it and `subject` what it is about (a
-- meeting's id), for retention and erasure. Erasing empties `body` and
-- keeps a tombstone: when (`erased_at`), by whom and why. Keep the other
-- backend's copy in step.
CREATE TABLE attachments (
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    id         TEXT NOT NULL,
    kind       TEXT NOT NULL,
    subject    TEXT,
    body       TEXT,
    created_at BIGINT NOT NULL,
    erased_at  BIGINT,
    erased_by  TEXT,
    erased_why TEXT,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX attachments_subject ON attachments (org_id, kind, subject);
CREATE INDEX attachments_age ON attachments (org_id, kind, created_at);
