CREATE TABLE t (id int);
CREATE FUNCTION bump(n int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN n + 1; END $$;
