ALTER TABLE local_user
    DROP COLUMN show_new_post_notifs;

