-- Defects found by an outside probe (issue 14). Keep the other backend's
-- copy in step.

-- An inbox session ends with the credential that made it: the API token it
-- was opened with (token_id), or its user (magic links). Sessions from
-- before this, tied to neither, end now.
ALTER TABLE inbox_sessions ADD COLUMN token_id TEXT;
DELETE FROM inbox_sessions WHERE kind = 'session' AND user_id IS NULL;

-- Who decided is the credential (decided_by); what the person wrote is a
-- note of its own.
ALTER TABLE pending_actions ADD COLUMN decision_note TEXT;

-- The daily send cap counts recipients. An approval reserves its
-- recipients in the transaction that records it; once the job has queued
-- the emails, the outbox rows (with their recipients) count instead.
ALTER TABLE pending_actions ADD COLUMN recipients_reserved INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN recipients INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET recipients = 1 WHERE kind = 'email_send';
CREATE INDEX pending_actions_reserved ON pending_actions (org_id, user_id, decided_at);

-- A connected mailbox belongs to exactly one rep, across orgs.
CREATE UNIQUE INDEX users_mailbox ON users (lower(email));
