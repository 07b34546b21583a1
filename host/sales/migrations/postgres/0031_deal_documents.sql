-- A deal's documents beside its proposals (issue 41): contracts (and,
-- later, invoices), each draft a version of its kind on the deal. `doc` is
-- the JSON the skill drafted (a baton_types::contract::ContractDoc); `gaps`
-- counts what it lacks. A new draft supersedes the earlier drafts and sent
-- versions of its kind (`supersedes` is the version it replaced); `job_id`
-- is the job that drafted it, so its send attaches exactly that version.
-- Written with the drafting step's checkpoint (baton_sales::rows), and only
-- when the job drafted from the terms last asked for (`deal_document_asks`,
-- the digest of the newest terms the engagement asked a draft of): a draft
-- of older terms that finishes late records nothing. Keep the other
-- backend's copy in step.
CREATE TABLE deal_documents (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    deal_id     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    version     BIGINT NOT NULL,
    status      TEXT NOT NULL,
    title       TEXT NOT NULL,
    doc         TEXT NOT NULL,
    gaps        BIGINT NOT NULL,
    job_id      TEXT NOT NULL,
    supersedes  BIGINT,
    created_at  BIGINT NOT NULL,
    sent_at     BIGINT,
    UNIQUE (org_id, deal_id, kind, version)
);

CREATE INDEX deal_documents_job ON deal_documents (org_id, job_id);

CREATE TABLE deal_document_asks (
    org_id   TEXT NOT NULL,
    deal_id  TEXT NOT NULL,
    kind     TEXT NOT NULL,
    terms    TEXT NOT NULL,
    at       BIGINT NOT NULL,
    PRIMARY KEY (org_id, deal_id, kind)
);
