ALTER TABLE local_user
    ADD COLUMN auto_expand boolean NOT NULL DEFAULT FALSE;

