-- Engagements (issue 41): one deal's lifecycle as one state, under the
-- operator's workflow (workflows/*.toml). `state` is the JSON of
-- baton_sales::engagement::Engagement; `stage` and `status` are copies of
-- its fields for listing. `revision` counts its changes. Every change
-- appends to `engagement_events` in the same transaction (`seq` is the
-- entry's place in the deal's log), and what made it is kept once in
-- `engagement_inputs` (per deal) so a retried request or a redelivered
-- effect changes nothing twice. Keep the other backend's copy in step.
CREATE TABLE engagements (
    org_id           TEXT NOT NULL,
    deal_id          TEXT NOT NULL,
    workflow_type    TEXT NOT NULL,
    workflow_version BIGINT NOT NULL,
    stage            TEXT NOT NULL,
    status           TEXT NOT NULL,
    state            TEXT NOT NULL,
    revision         BIGINT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    PRIMARY KEY (org_id, deal_id)
);

CREATE TABLE engagement_events (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL,
    deal_id          TEXT NOT NULL,
    seq              BIGINT NOT NULL,
    event_type       TEXT NOT NULL,
    actor            TEXT NOT NULL,
    at               BIGINT NOT NULL,
    happening        TEXT NOT NULL,
    related_artifact TEXT,
    related_track    TEXT,
    decision         TEXT,
    evidence         TEXT,
    notes            TEXT,
    from_stage       TEXT,
    to_stage         TEXT,
    UNIQUE (org_id, deal_id, seq)
);

CREATE TABLE engagement_inputs (
    org_id  TEXT NOT NULL,
    deal_id TEXT NOT NULL,
    key     TEXT NOT NULL,
    at      BIGINT NOT NULL,
    PRIMARY KEY (org_id, deal_id, key)
);
