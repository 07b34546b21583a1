-- The runner (issue 3): what a parked step needs to resume, delivery leases
-- for the outbox, and notifications sent at most once per key. Keep the
-- other backend's copy in step.

ALTER TABLE pending_actions ADD COLUMN step_name TEXT NOT NULL DEFAULT '';
-- 'step': the step's result waits for the decision; 'skill': the skill asked
-- and is re-run with the decision.
ALTER TABLE pending_actions ADD COLUMN kind TEXT NOT NULL DEFAULT 'step';
ALTER TABLE pending_actions ADD COLUMN on_expiry TEXT NOT NULL DEFAULT 'skip';
CREATE INDEX pending_actions_job ON pending_actions (job_id, status);

ALTER TABLE outbox ADD COLUMN step_index INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN lease_expires_at BIGINT;
CREATE INDEX outbox_user_kind ON outbox (org_id, user_id, kind, created_at);

ALTER TABLE notifications ADD COLUMN dedupe_key TEXT;
ALTER TABLE notifications ADD COLUMN message TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX notifications_once ON notifications (org_id, dedupe_key);

CREATE INDEX step_runs_job ON step_runs (job_id, step_index, attempt);
CREATE INDEX step_runs_skill ON step_runs (org_id, skill_name, started_at);
