ALTER TABLE instance
    DROP COLUMN software;

ALTER TABLE instance
    DROP COLUMN version;

