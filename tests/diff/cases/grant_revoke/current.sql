CREATE TABLE t (id int);
GRANT SELECT, UPDATE ON t TO mig_case_reader;
