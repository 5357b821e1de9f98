ALTER TABLE community_follower
    ADD COLUMN pending BOOLEAN DEFAULT FALSE;

