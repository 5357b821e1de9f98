DO $$ BEGIN CREATE ROLE mig_case_reader; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
