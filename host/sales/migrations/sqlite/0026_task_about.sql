-- What a task is for, when the skill that proposed it knew (issue 38, 2.8):
-- `proposal` for "send the proposal", so the proposal sent or accepted on
-- its deal closes it instead of leaving it open (and overdue in the morning
-- brief). `done_at` is when it was closed. Tasks before this change have
-- neither. Keep the other backend's copy in step.
ALTER TABLE tasks ADD COLUMN about TEXT;
ALTER TABLE tasks ADD COLUMN done_at BIGINT;
