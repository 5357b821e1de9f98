CREATE TABLE t (id int, gone text);
CREATE VIEW tv AS SELECT id, gone FROM t;
