-- Account leases (issue 45, 1): each connected account is read by one
-- replica at a time. A replica claims an account by writing its name and
-- bumping `lease_token` (the fencing token a cursor write must still
-- match), keeps it by heartbeat, and loses it once `lease_expires_at`
-- passes. `read_at` is when the account was last read, by whichever
-- replica, so a new holder reads it when it is next due, not at once.
-- `account_readers` are the replicas reading accounts now (seen within a
-- lease period), so each knows its share. Keep the other backend's copy
-- in step.
ALTER TABLE connected_accounts ADD COLUMN lease_owner TEXT;
ALTER TABLE connected_accounts ADD COLUMN lease_token BIGINT NOT NULL DEFAULT 0;
ALTER TABLE connected_accounts ADD COLUMN lease_expires_at BIGINT;
ALTER TABLE connected_accounts ADD COLUMN read_at BIGINT;
CREATE INDEX connected_accounts_lease ON connected_accounts (lease_owner);

CREATE TABLE account_readers (
    owner   TEXT PRIMARY KEY,
    seen_at BIGINT NOT NULL
);
