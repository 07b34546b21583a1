-- What a gate's suggestion was based on (issue 40, 3): the inputs an app
-- read when it drafted (JSON, the app's own shape), so the engine can ask
-- the app before the gate is decided, and on each scheduler pass, whether
-- they have moved on. A gate whose inputs moved on is closed as
-- `superseded`, its reason in `decision_note`. NULL: nothing to check.
-- Keep the other backend's copy in step.
ALTER TABLE pending_actions ADD COLUMN basis TEXT;
CREATE INDEX pending_actions_basis ON pending_actions (status, created_at) WHERE basis IS NOT NULL;
