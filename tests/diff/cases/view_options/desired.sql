CREATE TABLE t (id int);
CREATE VIEW tv WITH (security_barrier = true) AS SELECT id FROM t;
