-- Rolling back the contract step restores the column in one transaction; it
-- is a rollback for a maintenance window, so its lock findings are accepted.
-- mig-lint:ignore-file statement-after-access-exclusive,unbounded-update,multiple-alter-table,adding-not-nullable-field
ALTER TABLE accounts ADD COLUMN full_name text;
UPDATE accounts SET full_name = coalesce(display_name, email);
ALTER TABLE accounts ALTER COLUMN full_name SET NOT NULL;
