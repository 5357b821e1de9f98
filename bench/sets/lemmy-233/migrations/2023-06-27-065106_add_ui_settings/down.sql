ALTER TABLE local_user
    DROP COLUMN blur_nsfw;

ALTER TABLE local_user
    DROP COLUMN auto_expand;

