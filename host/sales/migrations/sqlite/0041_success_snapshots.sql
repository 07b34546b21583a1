-- Each org's success metrics as last computed (issue 45, 5): `/metrics`
-- reads these and recomputes one only when it is older than the service's
-- `metrics_cache_ms`, by the replica that claims it (`claimed_until`), so
-- a scrape of any replica costs a read per org, not the org's month of
-- gates. `summary` is the JSON of the figures (counts and ratios, no
-- customer text). Keep the other backend's copy in step.
CREATE TABLE success_snapshots (
    org_id        TEXT PRIMARY KEY REFERENCES orgs(id),
    summary       TEXT NOT NULL,
    computed_at   BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL DEFAULT 0
);
