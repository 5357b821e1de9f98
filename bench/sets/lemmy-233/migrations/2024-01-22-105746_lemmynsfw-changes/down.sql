ALTER TABLE site
    DROP COLUMN content_warning;

ALTER TABLE local_site
    DROP COLUMN default_post_listing_mode;

