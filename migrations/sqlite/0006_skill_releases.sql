-- Skill releases (issue 16): which version of each skill serves, shared by
-- every replica on this database. skill_versions holds each component file
-- once, by its sha256; skill_releases is the log of what went live, newest
-- last (sha256 NULL: the skill was removed). A replica loads the newest
-- release of each skill; rollback appends the version before. Keep the
-- other backend's copy in step.
CREATE TABLE skill_versions (
    sha256      TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    version     TEXT NOT NULL,
    component   BLOB NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE skill_releases (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    sha256      TEXT REFERENCES skill_versions(sha256),
    source      TEXT NOT NULL,
    released_at BIGINT NOT NULL
);

CREATE INDEX skill_releases_by_name ON skill_releases (name, id);
