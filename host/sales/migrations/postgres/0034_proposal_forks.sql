-- A proposal asked for as a fork (issue 41): beside the deal's current
-- proposal for another scope or audience, with why (`separate scope: …`,
-- `separate audience: …`). A fork supersedes nothing, and a proposal sent
-- later on the deal's main line does not supersede it. NULL: the main
-- line. Keep the other backend's copy in step.
ALTER TABLE proposals ADD COLUMN fork_reason TEXT;
