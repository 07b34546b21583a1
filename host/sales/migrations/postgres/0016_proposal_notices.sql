-- Proposals (issue 18): when the rep was last told their proposal was
-- opened, so a prospect reading it ten times in an afternoon makes one
-- notice per half hour (every view is still recorded in proposal_views).
-- Keep the other backend's copy in step.
ALTER TABLE proposals ADD COLUMN notified_at BIGINT;
