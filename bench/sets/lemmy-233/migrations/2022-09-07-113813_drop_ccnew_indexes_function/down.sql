DROP FUNCTION drop_ccnew_indexes;

