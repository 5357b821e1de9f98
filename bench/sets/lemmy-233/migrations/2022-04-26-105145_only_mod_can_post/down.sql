ALTER TABLE community
    DROP COLUMN posting_restricted_to_mods;

