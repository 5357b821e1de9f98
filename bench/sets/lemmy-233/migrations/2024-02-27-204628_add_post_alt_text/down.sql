ALTER TABLE post
    DROP COLUMN alt_text;

