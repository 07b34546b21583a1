-- What a finished step says happened to a deal's engagement, kept until
-- it is applied (issue 41): a step's checkpoint cannot change the
-- engagement (that takes the operator's workflow), so it writes a row
-- here in the same transaction, and the sales app's engagement worker
-- applies it through the engagement's one change (keyed, so applying it
-- twice changes nothing) and deletes it. `address` is whom it came from,
-- to find their deal; `evidence` is what the log records. Nothing is lost
-- on a crash: a row stays until it is applied. Keep the other backend's
-- copy in step.
CREATE TABLE engagement_outbox (
    org_id    TEXT NOT NULL,
    key       TEXT NOT NULL,
    event     TEXT NOT NULL,
    address   TEXT NOT NULL,
    evidence  TEXT NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (org_id, key)
);

CREATE INDEX engagement_outbox_at ON engagement_outbox (at);
