CREATE TABLE t (id int, a int, b int);
CREATE VIEW v1 AS SELECT id, a, b FROM t;
CREATE VIEW v2 AS SELECT id FROM v1;
