-- Who may act for whom (issue 38): a rep's session sees and decides only
-- that rep's work, a manager's also that of the reps who report to them
-- (directly or not), so each user may name the user they report to.
-- Slack clicks act only for the rep whose Slack user id is recorded here.
ALTER TABLE users ADD COLUMN manager_id TEXT REFERENCES users(id);
CREATE INDEX users_manager ON users (manager_id);
ALTER TABLE user_preferences ADD COLUMN slack_user_id TEXT;
-- One rep per Slack user in an org (NULLs are distinct on both backends).
CREATE UNIQUE INDEX user_preferences_slack_user ON user_preferences (org_id, slack_user_id);
