CREATE TABLE t (id int, amount bigint);
CREATE VIEW tv AS SELECT id, amount FROM t;
