ALTER TABLE local_image
    ALTER COLUMN local_user_id SET NOT NULL;

