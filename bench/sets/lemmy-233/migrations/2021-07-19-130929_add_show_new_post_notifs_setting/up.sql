ALTER TABLE local_user
    ADD COLUMN show_new_post_notifs boolean DEFAULT FALSE NOT NULL;

