CREATE TABLE t (id int, name text);
CREATE VIEW v AS SELECT id, name FROM t;
COMMENT ON COLUMN v.name IS 'the name, as entered';
CREATE MATERIALIZED VIEW m AS SELECT id FROM t;
COMMENT ON COLUMN m.id IS 'key';
