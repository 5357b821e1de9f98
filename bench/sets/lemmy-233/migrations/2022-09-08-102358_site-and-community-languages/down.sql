DROP TABLE site_language;

DROP TABLE community_language;

DELETE FROM local_user_language;

