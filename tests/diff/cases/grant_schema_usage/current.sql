CREATE SCHEMA app;
CREATE SCHEMA reports;
GRANT USAGE, CREATE ON SCHEMA reports TO mig_case_reader;
