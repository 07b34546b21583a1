-- Do-not-contact (issue 6): addresses that asked not to be emailed. Keyed by
-- the lowercased address, so a sender unknown to the CRM is covered too.
-- No email goes to an address listed here: approvals are refused and the
-- outbox drops any send still queued. Keep the other backend's copy in step.
CREATE TABLE do_not_contact (
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    email       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    job_id      TEXT,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (org_id, email)
);
