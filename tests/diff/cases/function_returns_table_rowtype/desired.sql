CREATE TABLE seed (x int);
CREATE TABLE items (id int, name text);
CREATE FUNCTION all_items() RETURNS SETOF items LANGUAGE sql STABLE AS $$ SELECT * FROM items $$;
