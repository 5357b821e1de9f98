ALTER TABLE accounts ADD COLUMN full_name text;
UPDATE accounts SET full_name = coalesce(display_name, email);
ALTER TABLE accounts ALTER COLUMN full_name SET NOT NULL;
