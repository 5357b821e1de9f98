ALTER TABLE local_user
    DROP COLUMN collapse_bot_comments;

