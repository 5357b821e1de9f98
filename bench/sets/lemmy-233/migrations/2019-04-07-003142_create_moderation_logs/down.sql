DROP TABLE mod_remove_post;

DROP TABLE mod_lock_post;

DROP TABLE mod_remove_comment;

DROP TABLE mod_remove_community;

DROP TABLE mod_ban;

DROP TABLE mod_ban_from_community;

DROP TABLE mod_add;

DROP TABLE mod_add_community;

