-- The HubSpot objects (notes, tasks) an effect created, by the effect's
-- uid (issue 45, 2): recorded right after HubSpot answers the create and
-- before the effect is marked sent, so a redelivery updates the object it
-- made rather than searching HubSpot's eventually consistent index and
-- creating a second one. Keep the other backend's copy in step.
CREATE TABLE hubspot_objects (
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    uid         TEXT NOT NULL,
    object      TEXT NOT NULL,
    hubspot_id  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (org_id, uid, object)
);
