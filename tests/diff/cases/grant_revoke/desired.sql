CREATE TABLE t (id int);
GRANT SELECT ON t TO mig_case_reader;
