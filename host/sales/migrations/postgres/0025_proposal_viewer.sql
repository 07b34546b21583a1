-- A proposal link's views are counted once per viewer per half hour
-- (issue 38: 300 openings from one client in 0.4 s wrote 300 rows). The
-- viewer is a hash of the client's address and browser; `bucket` is the
-- half hour the view fell in, so the unique index takes one row per
-- viewer per window on both backends at once (views before this change
-- have neither, and NULLs never collide). Keep the other backend's copy
-- in step.
ALTER TABLE proposal_views ADD COLUMN viewer TEXT;
ALTER TABLE proposal_views ADD COLUMN bucket BIGINT;
CREATE UNIQUE INDEX proposal_views_once ON proposal_views (org_id, proposal_id, viewer, bucket);
