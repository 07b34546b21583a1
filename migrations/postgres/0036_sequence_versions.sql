-- Sequence versions, kept like skill releases: every version of a
-- sequence file served (from the folder, the admin API or `baton sequences
-- publish`), who published it and when; the version each event serves now
-- (its head: moved by a publish or a rollback, held by a pin); and the
-- version each job started on, which it finishes on.
-- Keep the other backend's copy in step.
CREATE TABLE sequence_versions (
    event        TEXT NOT NULL,
    version      BIGINT NOT NULL,
    -- The sha256 of `text`.
    hash         TEXT NOT NULL,
    text         TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    PRIMARY KEY (event, version)
);
-- A text is one version of its event: publishing it again changes nothing.
CREATE UNIQUE INDEX sequence_versions_hash ON sequence_versions (event, hash);
CREATE TABLE sequence_heads (
    event      TEXT PRIMARY KEY,
    version    BIGINT NOT NULL,
    pinned     BOOLEAN NOT NULL DEFAULT FALSE,
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    -- What moved it: published, rolled back, pinned, unpinned.
    why        TEXT NOT NULL
);
ALTER TABLE sequence_jobs ADD COLUMN sequence_version BIGINT;
