DO $$ BEGIN CREATE ROLE mig_case_reader; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE TABLE t (id int);
GRANT SELECT ON t TO mig_case_reader;
