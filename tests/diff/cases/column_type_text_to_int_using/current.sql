CREATE TABLE t (id int, n text);
INSERT INTO t VALUES (1, '42');
