CREATE TABLE t (id int, v int);
CREATE VIEW tv AS SELECT id FROM t;
GRANT SELECT ON tv TO mig_case_reader;
