-- The pipeline scan does not revive a deal that has a meeting on the
-- calendar soon (issue 40, 3): `revival_meeting_days` is how far ahead it
-- looks (default 14; 0 looks at nothing). The scan finds a deal's coming
-- meetings by the deal, or by its contact, and by time. Keep the other
-- backend's copy in step.
ALTER TABLE user_preferences ADD COLUMN revival_meeting_days BIGINT NOT NULL DEFAULT 14;
CREATE INDEX meetings_deal_time ON meetings (org_id, deal_id, starts_at);
CREATE INDEX meetings_contact_time ON meetings (org_id, contact_id, starts_at);
