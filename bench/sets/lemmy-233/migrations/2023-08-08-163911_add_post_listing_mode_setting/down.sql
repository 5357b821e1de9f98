ALTER TABLE local_user
    DROP COLUMN post_listing_mode;

DROP TYPE post_listing_mode_enum;

