-- Step 2 of 3 (migrate): copy the old column into the new one, in batches:
-- each batch is its own short transaction, so the application keeps writing.
-- The application writes both columns since step 1, so rows it changes while
-- this runs are already right; rows above the last key are included at the end.
-- mig:backfill
UPDATE accounts SET display_name = full_name WHERE display_name IS NULL;
