CREATE TABLE seed (x int);
CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v text);
