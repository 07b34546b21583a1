-- The example stand-up app's own table (tests/all/orchestrator/example_app.rs),
-- brought through the seam (Extension::migrations), numbered after the engine's.
CREATE TABLE standup_notes (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    job_id      TEXT NOT NULL,
    note        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
