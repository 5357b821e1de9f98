DROP TABLE post_hide;

