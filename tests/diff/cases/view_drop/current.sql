CREATE TABLE t (id int, v text);
CREATE VIEW tv AS SELECT id FROM t;
