CREATE FUNCTION gen_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;
CREATE TABLE t (id int, code text DEFAULT gen_code());
