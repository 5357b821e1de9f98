ALTER TABLE site
    DROP COLUMN hide_modlog_mod_names;

