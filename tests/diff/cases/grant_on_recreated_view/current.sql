DO $$ BEGIN CREATE ROLE mig_case_reader; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE TABLE t (id int, v int);
CREATE VIEW tv AS SELECT id FROM t;
GRANT SELECT ON tv TO mig_case_reader;
