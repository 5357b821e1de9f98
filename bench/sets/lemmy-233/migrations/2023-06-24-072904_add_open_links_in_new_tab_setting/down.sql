ALTER TABLE local_user
    DROP COLUMN open_links_in_new_tab;

