-- Where a gate's approval request was posted in chat (its channel and the
-- message's id), so the message can be told what became of the gate when
-- it closed elsewhere: withdrawn because what it was based on moved on
-- (issue 40, 3), expired, or decided in the inbox. `chat_closed_at` once
-- the message says so. NULL channel: no request was posted.
-- Keep the other backend's copy in step.
ALTER TABLE pending_actions ADD COLUMN chat_channel TEXT;
ALTER TABLE pending_actions ADD COLUMN chat_ts TEXT;
ALTER TABLE pending_actions ADD COLUMN chat_closed_at BIGINT;
CREATE INDEX pending_actions_chat_to_close ON pending_actions (status, created_at)
    WHERE chat_ts IS NOT NULL AND chat_closed_at IS NULL;
