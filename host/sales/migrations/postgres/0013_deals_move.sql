-- Deals move on their own (issue 18): the org's catalog documents, and
-- proposals with their share links and views. Keep the other backend's
-- copy in step.
--
-- `org_documents` holds one document per org and kind (`price_book`,
-- `content_library`), imported with the org and served to skills as the
-- tier-3 providers of the same names.
CREATE TABLE org_documents (
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (org_id, kind)
);

-- A proposal, one row per version of a deal's proposal. `status` is
-- draft, sent, viewed, accepted or declined; `document` is the JSON the
-- rep approved (edits included), `amount_cents` its total in `currency`.
-- `share_token` is the unguessable part of its public link
-- (`/p/{token}`), valid until `expires_at`; `source_key` is the
-- idempotency key of the effect that sent it, so a redelivery adds nothing.
CREATE TABLE proposals (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    user_id         TEXT NOT NULL REFERENCES users(id),
    job_id          TEXT,
    deal_id         TEXT REFERENCES deals(id),
    contact_id      TEXT REFERENCES contacts(id),
    version         INTEGER NOT NULL,
    status          TEXT NOT NULL,
    title           TEXT NOT NULL,
    amount_cents    BIGINT,
    currency        TEXT NOT NULL,
    document        TEXT NOT NULL,
    share_token     TEXT UNIQUE,
    expires_at      BIGINT,
    source_key      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT,
    first_viewed_at BIGINT,
    UNIQUE (org_id, source_key)
);
CREATE INDEX proposals_status ON proposals (org_id, user_id, status);
CREATE INDEX proposals_deal ON proposals (org_id, deal_id, version);

-- Each time a shared proposal is opened.
CREATE TABLE proposal_views (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    proposal_id TEXT NOT NULL REFERENCES proposals(id),
    viewed_at   BIGINT NOT NULL,
    user_agent  TEXT
);
CREATE INDEX proposal_views_proposal ON proposal_views (proposal_id, viewed_at);
