CREATE TABLE t (id int, secret text);
GRANT SELECT (id), UPDATE (id) ON t TO mig_case_reader;
