DROP TABLE site;

DROP TABLE community_user_ban;

;

DROP TABLE community_moderator;

DROP TABLE community_follower;

DROP TABLE community;

DROP TABLE category;

