CREATE TABLE t (id int PRIMARY KEY, amount int);
INSERT INTO t VALUES (1, 5);
