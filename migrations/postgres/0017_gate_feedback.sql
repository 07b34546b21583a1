-- Feedback that becomes data (issue 19): a "Not right" on a gate is a skip
-- plus why — a reason, optionally the labels the suggestion should have
-- had (JSON array; NULL when the rep did not say) and a note — written in
-- the decision's transaction, once per gate. `baton eval export` reads it.
-- Keep the other backend's copy in step.
CREATE TABLE gate_feedback (
    gate_id     TEXT PRIMARY KEY REFERENCES pending_actions(id),
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    reason      TEXT NOT NULL,
    labels      TEXT,
    note        TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX gate_feedback_org_created ON gate_feedback (org_id, created_at);
