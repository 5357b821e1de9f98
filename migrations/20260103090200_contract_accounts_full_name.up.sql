-- Step 3 of 3 (contract): once no running release reads full_name, drop it.
-- mig-lint:ignore ban-drop-column
ALTER TABLE accounts DROP COLUMN full_name;
