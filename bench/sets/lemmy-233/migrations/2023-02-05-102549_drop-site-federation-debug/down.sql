ALTER TABLE local_site
    ADD COLUMN federation_debug int DEFAULT 0;

