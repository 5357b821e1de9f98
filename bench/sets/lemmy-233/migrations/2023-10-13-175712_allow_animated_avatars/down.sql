ALTER TABLE local_user
    DROP COLUMN enable_animated_images;

