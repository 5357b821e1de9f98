CREATE FUNCTION norm(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim($1)) $$;
CREATE TABLE t (id int, name text);
CREATE INDEX t_norm ON t (norm(name));
