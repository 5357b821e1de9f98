CREATE TABLE t (id int, amount int);
CREATE VIEW v1 AS SELECT id, amount FROM t;
CREATE VIEW v2 AS SELECT id FROM v1 WHERE amount > 0;
