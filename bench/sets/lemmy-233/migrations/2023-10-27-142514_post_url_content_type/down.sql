ALTER TABLE post
    DROP COLUMN url_content_type;

