-- This migration exists to trigger re-execution of replaceable_schema
SELECT
    1;

