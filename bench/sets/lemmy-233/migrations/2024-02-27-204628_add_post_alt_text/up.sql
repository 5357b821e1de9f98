ALTER TABLE post
    ADD COLUMN alt_text text;

