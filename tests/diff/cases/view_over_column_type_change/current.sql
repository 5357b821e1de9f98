CREATE TABLE t (id int, amount int);
CREATE VIEW tv AS SELECT id, amount FROM t;
