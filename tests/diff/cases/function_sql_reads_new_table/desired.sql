CREATE TABLE seed (x int);
CREATE TABLE items (id int);
CREATE FUNCTION count_items() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM items $$;
