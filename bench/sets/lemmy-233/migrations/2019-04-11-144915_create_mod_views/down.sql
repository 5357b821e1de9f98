DROP VIEW mod_remove_post_view;

DROP VIEW mod_lock_post_view;

DROP VIEW mod_remove_comment_view;

DROP VIEW mod_remove_community_view;

DROP VIEW mod_ban_from_community_view;

DROP VIEW mod_ban_view;

DROP VIEW mod_add_community_view;

DROP VIEW mod_add_view;

