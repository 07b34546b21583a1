-- Replicas (issue 16): a fencing token on every job lease, and capability
-- denials stored with the job. Keep the other backend's copy in step.
--
-- lease_token is bumped by every claim; a worker's checkpoint, finish and
-- lease extension name the token it claimed with, so a holder whose lease
-- was taken over (by another replica or by its own process) writes nothing.
ALTER TABLE sequence_jobs ADD COLUMN lease_token INTEGER NOT NULL DEFAULT 0;

-- One row per capability a skill used without having it, written in the
-- checkpoint transaction of the step that was denied. The message names the
-- skill and the capability (a host at most), never a secret.
CREATE TABLE capability_denials (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    job_id      TEXT NOT NULL REFERENCES sequence_jobs(id),
    step_index  INTEGER NOT NULL,
    step_name   TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    skill_name  TEXT NOT NULL,
    capability  TEXT NOT NULL,
    message     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE INDEX capability_denials_by_job ON capability_denials (org_id, job_id, step_index, attempt);
