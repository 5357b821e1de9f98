-- Add a no-op statement to prevent `diesel migration redo` errors
SELECT
    1;

