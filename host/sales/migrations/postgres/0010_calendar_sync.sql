-- Calendars → meetings (issue 17): connected calendars fill `meetings`.
-- Keep the other backend's copy in step.
--
-- A meeting is `confirmed` or `cancelled`: a cancelled event keeps its row
-- (and id, which the scheduler's fire key names) but never fires.
ALTER TABLE meetings ADD COLUMN status TEXT NOT NULL DEFAULT 'confirmed';
ALTER TABLE meetings ADD COLUMN updated_at BIGINT;

-- A Google Calendar watch channel belongs to a connected account; Google
-- names the watched resource (needed to stop the channel) and says when the
-- channel expires (it is renewed before).
ALTER TABLE calendar_sources ADD COLUMN account_id TEXT REFERENCES connected_accounts(id) ON DELETE CASCADE;
ALTER TABLE calendar_sources ADD COLUMN resource_id TEXT;
ALTER TABLE calendar_sources ADD COLUMN expires_at BIGINT;
CREATE UNIQUE INDEX calendar_sources_account ON calendar_sources (account_id, location);
