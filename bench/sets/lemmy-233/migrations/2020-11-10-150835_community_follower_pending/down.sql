ALTER TABLE community_follower
    DROP COLUMN pending;

