ALTER TABLE community
    ALTER COLUMN followers_url SET NOT NULL;

