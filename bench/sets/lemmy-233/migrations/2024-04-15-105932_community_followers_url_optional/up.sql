ALTER TABLE community
    ALTER COLUMN followers_url DROP NOT NULL;

