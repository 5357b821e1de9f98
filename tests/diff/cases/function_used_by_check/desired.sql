CREATE FUNCTION is_slug(text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1 ~ '^[a-z-]+$' $$;
CREATE TABLE t (id int, v text CHECK (is_slug(v)));
