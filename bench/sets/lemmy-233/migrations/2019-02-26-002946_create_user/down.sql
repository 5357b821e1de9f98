DROP TABLE user_ban;

DROP TABLE user_;

