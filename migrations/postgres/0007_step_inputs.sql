-- Step inputs (issue 16, shadow replay): what each step run was given
-- besides the event (which is the job's own row): its params, the earlier
-- steps' outputs, the context tiers and decisions it was shown, and its
-- limits, as JSON. A candidate version is replayed over these. They stay
-- in the database: nothing reads them but replay. Keep the other backend's
-- copy in step.
ALTER TABLE step_runs ADD COLUMN input TEXT;
