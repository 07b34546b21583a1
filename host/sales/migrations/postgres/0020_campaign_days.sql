-- Campaign monitoring (issue 20, Build 6): each campaign's figures for one
-- day, as the daily `campaign_check` read them from the provider, kept so
-- the next day's check compares with them (`store/campaigns.rs`). One row
-- per org, campaign and day; a re-run of the same day replaces it. Keep
-- the other backend's copy in step.
CREATE TABLE campaign_days (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    campaign_id TEXT NOT NULL,
    day TEXT NOT NULL,
    name TEXT NOT NULL,
    sent BIGINT NOT NULL,
    opened BIGINT NOT NULL,
    clicked BIGINT NOT NULL,
    replied BIGINT NOT NULL,
    job_id TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, campaign_id, day)
);
CREATE INDEX campaign_days_org_day ON campaign_days (org_id, day);
