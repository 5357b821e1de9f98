CREATE TABLE seed (x int);
