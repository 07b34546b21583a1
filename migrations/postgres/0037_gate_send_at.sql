-- Send later (issue 43, 2): the time (Unix ms) a person chose, with an
-- approval, for what the gate sends by email to leave. The effects the
-- decision releases wait in the outbox until then (their `not_before`),
-- cancellable like any queued effect. NULL: as soon as the undo window
-- allows. Keep the other backend's copy in step.
ALTER TABLE pending_actions ADD COLUMN send_at BIGINT;
