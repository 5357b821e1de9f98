-- Step 2 of 3 (migrate): copy the old column into the new one.
UPDATE accounts SET display_name = full_name WHERE display_name IS NULL;
