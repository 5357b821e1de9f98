ALTER TABLE site
    ADD CONSTRAINT site_name_key UNIQUE (name);

