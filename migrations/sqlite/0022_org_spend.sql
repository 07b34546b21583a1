-- Each org's spend per budget period, kept with the ledger in the same
-- transaction (issue 23): the budget check before each stage sums a few
-- rows instead of a month of ledger rows. One row per writer (the worker
-- that committed), so replicas committing for the same org never wait on
-- one another's row.
CREATE TABLE org_spend (
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    period          TEXT NOT NULL,
    writer          TEXT NOT NULL,
    spent_micros    BIGINT NOT NULL,
    PRIMARY KEY (org_id, period, writer)
);
INSERT INTO org_spend (org_id, period, writer, spent_micros)
    SELECT org_id, period, 'ledger', SUM(amount_micros) FROM cost_ledger GROUP BY org_id, period;
