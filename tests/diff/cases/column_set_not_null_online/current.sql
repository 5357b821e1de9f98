CREATE TABLE t (id int PRIMARY KEY, email text);
INSERT INTO t VALUES (1, 'a@b');
