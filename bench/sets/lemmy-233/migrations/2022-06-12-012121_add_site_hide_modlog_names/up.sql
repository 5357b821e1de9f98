ALTER TABLE site
    ADD COLUMN hide_modlog_mod_names boolean DEFAULT TRUE NOT NULL;

