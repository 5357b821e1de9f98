-- Drop the column
ALTER TABLE site
    DROP COLUMN creator_id;

