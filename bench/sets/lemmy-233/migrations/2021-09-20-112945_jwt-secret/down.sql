DROP TABLE secret;

