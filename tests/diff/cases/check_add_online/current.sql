CREATE TABLE t (id int, qty int);
INSERT INTO t VALUES (1, 3);
