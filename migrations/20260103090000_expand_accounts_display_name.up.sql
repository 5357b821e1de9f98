-- Rename full_name to display_name without downtime, step 1 of 3 (expand):
-- add the new column; the application writes both from this release on.
ALTER TABLE accounts ADD COLUMN display_name text;
