DROP TABLE custom_emoji_keyword;

DROP TABLE custom_emoji;

