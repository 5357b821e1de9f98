ALTER TABLE mod_remove_community
    DROP COLUMN expires;

