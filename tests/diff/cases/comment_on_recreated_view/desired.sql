CREATE TABLE t (id int, v int);
CREATE VIEW tv AS SELECT id, v FROM t;
COMMENT ON VIEW tv IS 'keep me';
