ALTER TABLE user_
    DROP COLUMN lang;

