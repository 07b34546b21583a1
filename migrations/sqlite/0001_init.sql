-- baton schema, SQLite flavour. Timestamps are unix milliseconds; JSON is
-- TEXT; ids are UUIDv7 text. Every table but `orgs` carries org_id and every
-- query filters on it. Keep migrations/postgres/0001_init.sql in step.

CREATE TABLE orgs (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    profile     TEXT NOT NULL DEFAULT '{}',
    created_at  INTEGER NOT NULL
);

CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    handle      TEXT NOT NULL,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    role        TEXT NOT NULL DEFAULT 'rep',
    created_at  INTEGER NOT NULL,
    UNIQUE (org_id, handle)
);

CREATE TABLE user_preferences (
    user_id                     TEXT PRIMARY KEY REFERENCES users(id),
    org_id                      TEXT NOT NULL REFERENCES orgs(id),
    timezone                    TEXT NOT NULL DEFAULT 'UTC',
    working_start_min           INTEGER NOT NULL DEFAULT 540,
    working_end_min             INTEGER NOT NULL DEFAULT 1080,
    quiet_start_min             INTEGER,
    quiet_end_min               INTEGER,
    max_notifications_per_hour  INTEGER NOT NULL DEFAULT 10,
    briefing_time_min           INTEGER NOT NULL DEFAULT 480,
    daily_send_cap              INTEGER NOT NULL DEFAULT 50,
    extra                       TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE org_features (
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    event_type  TEXT NOT NULL,
    enabled     INTEGER NOT NULL,
    PRIMARY KEY (org_id, event_type)
);

CREATE TABLE sequence_jobs (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL REFERENCES orgs(id),
    user_id             TEXT NOT NULL REFERENCES users(id),
    event_type          TEXT NOT NULL,
    event_source        TEXT NOT NULL,
    idempotency_key     TEXT NOT NULL,
    parent_job_id       TEXT REFERENCES sequence_jobs(id),
    chain_depth         INTEGER NOT NULL DEFAULT 0,
    payload             TEXT NOT NULL,
    state               TEXT NOT NULL DEFAULT '{}',
    status              TEXT NOT NULL,
    current_step        INTEGER NOT NULL DEFAULT 0,
    pending_action_id   TEXT,
    sequence_name       TEXT NOT NULL,
    sequence_hash       TEXT NOT NULL,
    scheduled_at        INTEGER NOT NULL,
    lease_owner         TEXT,
    lease_expires_at    INTEGER,
    error               TEXT,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    finished_at         INTEGER,
    UNIQUE (org_id, idempotency_key)
);
CREATE INDEX sequence_jobs_due ON sequence_jobs (status, scheduled_at);
CREATE INDEX sequence_jobs_parent ON sequence_jobs (parent_job_id);
CREATE INDEX sequence_jobs_org_created ON sequence_jobs (org_id, created_at);

CREATE TABLE step_runs (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    job_id          TEXT NOT NULL REFERENCES sequence_jobs(id),
    step_index      INTEGER NOT NULL,
    step_name       TEXT NOT NULL,
    attempt         INTEGER NOT NULL,
    skill_name      TEXT NOT NULL,
    skill_version   TEXT NOT NULL,
    skill_sha256    TEXT NOT NULL,
    status          TEXT NOT NULL,
    error_kind      TEXT,
    error           TEXT,
    fuel            INTEGER NOT NULL DEFAULT 0,
    cost_micros     INTEGER NOT NULL DEFAULT 0,
    duration_ms     INTEGER NOT NULL DEFAULT 0,
    output          TEXT,
    started_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    UNIQUE (job_id, step_index, attempt)
);

CREATE TABLE pending_actions (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    job_id          TEXT NOT NULL REFERENCES sequence_jobs(id),
    user_id         TEXT NOT NULL REFERENCES users(id),
    step_index      INTEGER NOT NULL,
    gate_key        TEXT NOT NULL,
    pattern         TEXT NOT NULL,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    options         TEXT NOT NULL DEFAULT '[]',
    status          TEXT NOT NULL,
    decision        TEXT,
    decided_by      TEXT,
    decided_at      INTEGER,
    expires_at      INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    UNIQUE (job_id, step_index, gate_key)
);
CREATE INDEX pending_actions_open ON pending_actions (org_id, status, expires_at);

CREATE TABLE outbox (
    id                  TEXT PRIMARY KEY,
    org_id              TEXT NOT NULL REFERENCES orgs(id),
    job_id              TEXT NOT NULL REFERENCES sequence_jobs(id),
    user_id             TEXT NOT NULL REFERENCES users(id),
    idempotency_key     TEXT NOT NULL,
    kind                TEXT NOT NULL,
    payload             TEXT NOT NULL,
    status              TEXT NOT NULL,
    not_before          INTEGER NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT,
    created_at          INTEGER NOT NULL,
    delivered_at        INTEGER,
    UNIQUE (org_id, idempotency_key)
);
CREATE INDEX outbox_due ON outbox (status, not_before);

CREATE TABLE org_budgets (
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    period          TEXT NOT NULL,
    limit_micros    INTEGER NOT NULL,
    PRIMARY KEY (org_id, period)
);

CREATE TABLE cost_ledger (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    period          TEXT NOT NULL,
    job_id          TEXT REFERENCES sequence_jobs(id),
    step_index      INTEGER,
    kind            TEXT NOT NULL,
    quantity        INTEGER NOT NULL,
    amount_micros   INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX cost_ledger_period ON cost_ledger (org_id, period);

CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    job_id      TEXT REFERENCES sequence_jobs(id),
    kind        TEXT NOT NULL,
    channel     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX notifications_recent ON notifications (org_id, user_id, created_at);

CREATE TABLE skipped_events (
    id                  TEXT PRIMARY KEY,
    org_slug            TEXT NOT NULL,
    org_id              TEXT,
    user_handle         TEXT NOT NULL,
    event_type          TEXT NOT NULL,
    event_source        TEXT NOT NULL,
    idempotency_key     TEXT NOT NULL,
    reason              TEXT NOT NULL,
    detail              TEXT NOT NULL,
    created_at          INTEGER NOT NULL
);
CREATE INDEX skipped_events_org ON skipped_events (org_slug, created_at);

-- CRM-lite.
CREATE TABLE companies (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    name        TEXT NOT NULL,
    domain      TEXT,
    industry    TEXT,
    employees   INTEGER,
    data        TEXT NOT NULL DEFAULT '{}',
    UNIQUE (org_id, name)
);

CREATE TABLE contacts (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    company_id  TEXT REFERENCES companies(id),
    name        TEXT NOT NULL,
    email       TEXT,
    title       TEXT,
    phone       TEXT,
    data        TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX contacts_email ON contacts (org_id, email);

CREATE TABLE deals (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    company_id      TEXT REFERENCES companies(id),
    contact_id      TEXT REFERENCES contacts(id),
    owner_user_id   TEXT REFERENCES users(id),
    name            TEXT NOT NULL,
    stage           TEXT NOT NULL,
    amount_cents    INTEGER,
    currency        TEXT NOT NULL DEFAULT 'USD',
    close_date      TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX deals_owner ON deals (org_id, owner_user_id, stage);
-- CRM-lite keys deals by name so an import can be re-run.
CREATE UNIQUE INDEX deals_name ON deals (org_id, name);

CREATE TABLE activities (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    deal_id     TEXT REFERENCES deals(id),
    contact_id  TEXT REFERENCES contacts(id),
    user_id     TEXT REFERENCES users(id),
    kind        TEXT NOT NULL,
    summary     TEXT NOT NULL,
    occurred_at INTEGER NOT NULL
);
-- Stale-deal scans: the latest activity per deal.
CREATE INDEX activities_deal_time ON activities (org_id, deal_id, occurred_at);
-- Re-importing the same history adds nothing.
CREATE UNIQUE INDEX activities_natural ON activities (org_id, deal_id, contact_id, kind, occurred_at);

CREATE TABLE meetings (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    external_id TEXT,
    user_id     TEXT REFERENCES users(id),
    contact_id  TEXT REFERENCES contacts(id),
    deal_id     TEXT REFERENCES deals(id),
    title       TEXT NOT NULL,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER,
    transcript  TEXT,
    UNIQUE (org_id, external_id)
);
CREATE INDEX meetings_user_time ON meetings (org_id, user_id, starts_at);

CREATE TABLE calendar_sources (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    kind        TEXT NOT NULL,
    location    TEXT NOT NULL,
    synced_at   INTEGER
);

CREATE TABLE email_threads (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    contact_id      TEXT REFERENCES contacts(id),
    subject         TEXT NOT NULL,
    last_message_at INTEGER NOT NULL,
    messages        TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX email_threads_contact ON email_threads (org_id, contact_id, last_message_at);

CREATE TABLE campaigns (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    name        TEXT NOT NULL,
    provider    TEXT NOT NULL,
    metrics     TEXT NOT NULL DEFAULT '{}',
    updated_at  INTEGER NOT NULL
);
