CREATE FUNCTION f() RETURNS bigint LANGUAGE sql AS $$ SELECT 1::bigint $$;
CREATE TABLE t (id int, x int DEFAULT f());
CREATE VIEW fv AS SELECT f() AS one;
