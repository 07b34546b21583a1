-- The org's invoice numbers (issue 41): one sequence per org, given once
-- per deal and purpose (`deposit`), so every version of a deal's deposit
-- invoice carries the same number and no two invoices of an org share one.
-- `number` is kept as given (the org's prefix then), `at` is the day it
-- was issued. A race for the next `seq` fails on the unique key and is
-- tried again (baton_sales::store::invoice_numbers). Keep the other
-- backend's copy in step.
CREATE TABLE invoice_numbers (
    org_id   TEXT NOT NULL,
    deal_id  TEXT NOT NULL,
    purpose  TEXT NOT NULL,
    seq      BIGINT NOT NULL,
    number   TEXT NOT NULL,
    at       BIGINT NOT NULL,
    PRIMARY KEY (org_id, deal_id, purpose),
    UNIQUE (org_id, seq)
);
