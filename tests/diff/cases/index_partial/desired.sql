CREATE TABLE t (id int, deleted_at timestamptz);
CREATE INDEX t_live ON t (id) WHERE deleted_at IS NULL;
