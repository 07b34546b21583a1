-- The rep's tone for drafted email (issue 21): warm, neutral (the default)
-- or brief, read by `draft-followup-email` from the org tier's
-- preferences. Keep the other backend's copy in step.
ALTER TABLE user_preferences ADD COLUMN tone TEXT NOT NULL DEFAULT 'neutral';
