-- Live success metrics (issue 19): the reads behind `/metrics`,
-- `GET /v1/metrics/success` and the inbox's metrics page. Gates answered
-- or expired in a window; an org's jobs of one event type in a window, and
-- the jobs one job queued; the effects, gates and step runs of one job.
-- Each read is by org first, so these lead with it. Keep the other
-- backend's copy in step.
CREATE INDEX pending_actions_finished ON pending_actions (org_id, decided_at);
CREATE INDEX pending_actions_org_job ON pending_actions (org_id, job_id);
CREATE INDEX sequence_jobs_org_type ON sequence_jobs (org_id, event_type, created_at);
CREATE INDEX sequence_jobs_org_parent ON sequence_jobs (org_id, parent_job_id);
CREATE INDEX outbox_job ON outbox (org_id, job_id, kind);
CREATE INDEX step_runs_org_job ON step_runs (org_id, job_id, step_index);
