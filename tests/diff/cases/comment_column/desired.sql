CREATE TABLE t (id int, email text);
COMMENT ON COLUMN t.email IS 'lower-case';
