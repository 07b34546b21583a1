-- Effects that land (issue 17): an approved `crm_update` writes these deal
-- fields, and an approved `task_create` a row of `tasks`. Keep the other
-- backend's copy in step.
--
-- `competitors` and `stakeholders` are JSON arrays of names (text, so both
-- backends read them alike); `timeline` and `budget_signal` are what the
-- prospect said, as the skills word it.
ALTER TABLE deals ADD COLUMN next_step TEXT;
ALTER TABLE deals ADD COLUMN competitors TEXT NOT NULL DEFAULT '[]';
ALTER TABLE deals ADD COLUMN stakeholders TEXT NOT NULL DEFAULT '[]';
ALTER TABLE deals ADD COLUMN timeline TEXT;
ALTER TABLE deals ADD COLUMN budget_signal TEXT;
ALTER TABLE deals ADD COLUMN updated_at BIGINT;

-- Tasks are their own table, not activities of kind `task`: a task is
-- owed (a due date, open until done), an activity happened (it is what the
-- stale-deal scan counts, and creating a task is not touching the customer).
-- `source_key` is the effect's idempotency key: a redelivery adds nothing.
CREATE TABLE tasks (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    user_id     TEXT REFERENCES users(id),
    deal_id     TEXT REFERENCES deals(id),
    contact_id  TEXT REFERENCES contacts(id),
    title       TEXT NOT NULL,
    due_date    TEXT,
    status      TEXT NOT NULL DEFAULT 'open',
    source_key  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (org_id, source_key)
);
CREATE INDEX tasks_deal ON tasks (org_id, deal_id, status);
