-- Coaching (issue 20): one analysis per meeting, written by the checkpoint
-- of the `coaching-analysis` step (orchestrator/coaching.rs), and the rep's
-- coaching preference. The figures the weekly digest asks about are
-- columns; the whole analysis (quotes, moments, feedback) is `detail`
-- (JSON text), read only to show it. Keep the other backend's copy in step.
--
-- `deal_id` and `contact_id` are as the event named them (or the synced
-- meeting's deal), without a foreign key: a webhook may name a deal the
-- CRM does not hold, and the analysis is kept all the same.
CREATE TABLE coaching_analyses (
    id                                  TEXT PRIMARY KEY,
    org_id                              TEXT NOT NULL REFERENCES orgs(id),
    user_id                             TEXT NOT NULL REFERENCES users(id),
    meeting_id                          TEXT NOT NULL,
    job_id                              TEXT NOT NULL,
    deal_id                             TEXT,
    contact_id                          TEXT,
    title                               TEXT,
    analysed_at                         INTEGER NOT NULL,
    ended_at                            INTEGER,
    method                              TEXT NOT NULL,
    rep_share                           REAL,
    questions                           INTEGER NOT NULL,
    discovery_questions                 INTEGER NOT NULL,
    longest_monologue_ms                INTEGER,
    unanswered                          INTEGER NOT NULL,
    objections                          INTEGER NOT NULL,
    objections_answered_with_evidence   INTEGER NOT NULL,
    current_process_at_ms               INTEGER,
    detail                              TEXT NOT NULL,
    UNIQUE (org_id, meeting_id)
);
-- A rep's analyses in a week (the digest), newest first.
CREATE INDEX coaching_analyses_rep_time ON coaching_analyses (org_id, user_id, analysed_at);

-- per_meeting | weekly | both | off (store::Coaching).
ALTER TABLE user_preferences ADD COLUMN coaching TEXT NOT NULL DEFAULT 'both';
