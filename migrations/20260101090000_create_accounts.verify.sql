-- The table exists and email is unique.
SELECT EXISTS (
  SELECT 1 FROM pg_indexes WHERE tablename = 'accounts' AND indexdef LIKE 'CREATE UNIQUE INDEX%(email)'
);
