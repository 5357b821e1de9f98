CREATE TABLE t (id int);
GRANT SELECT, INSERT ON t TO mig_case_reader;
