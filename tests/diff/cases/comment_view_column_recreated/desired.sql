CREATE TABLE t (id int, name text);
CREATE VIEW v AS SELECT id, name FROM t;
COMMENT ON COLUMN v.name IS 'kept across the rebuild';
